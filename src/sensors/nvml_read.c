/* SPDX-License-Identifier: MIT */
/*
 * nvml_read.c - reading NVML values for one GPU: the power by its method, the
 * sampled power beside it, the slow values (utilisation, memory,
 * temperature, clock) at most every PACT_NVML_SLOW_NS, and one log line
 * per change of a call's state; a GPU that fell off the bus is asked
 * again every PACT_NVML_RETRY_NS.
 */
#include "sensors/nvml_impl.h"

#include <stdio.h>
#include <string.h>

#include "core/log.h"

static const char *const call_what[C_N] = {
    "power", "utilisation", "memory", "temperature", "SM clock",
    "sampled power",
};

/* ---- Reading one value ---- */

nvmlReturn_t pact__nvml_read_energy(nvmlDevice_t d, unsigned long long *mj)
{
    if (!pact__nvml_sym_nvmlDeviceGetTotalEnergyConsumption)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return pact__nvml_sym_nvmlDeviceGetTotalEnergyConsumption(d, mj);
}

nvmlReturn_t pact__nvml_read_instant(nvmlDevice_t d, double *mw)
{
    if (!pact__nvml_sym_nvmlDeviceGetFieldValues)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    nvmlFieldValue_t f;
    memset(&f, 0, sizeof f);
    f.fieldId = NVML_FI_DEV_POWER_INSTANT;
    f.scopeId = NVML_POWER_SCOPE_GPU;
    nvmlReturn_t rc = pact__nvml_sym_nvmlDeviceGetFieldValues(d, 1, &f);
    if (rc != NVML_SUCCESS)
        return rc;
    if (f.nvmlReturn != NVML_SUCCESS)
        return f.nvmlReturn;
    /* Honour valueType: uiVal in practice, but not promised. */
    switch (f.valueType) {
    case NVML_VALUE_TYPE_DOUBLE:
        *mw = f.value.dVal;
        break;
    case NVML_VALUE_TYPE_UNSIGNED_INT:
        *mw = f.value.uiVal;
        break;
    case NVML_VALUE_TYPE_UNSIGNED_LONG:
        *mw = (double)f.value.ulVal;
        break;
    case NVML_VALUE_TYPE_UNSIGNED_LONG_LONG:
        *mw = (double)f.value.ullVal;
        break;
    case NVML_VALUE_TYPE_SIGNED_LONG_LONG:
        *mw = (double)f.value.sllVal;
        break;
    case NVML_VALUE_TYPE_SIGNED_INT:
        *mw = f.value.siVal;
        break;
    case NVML_VALUE_TYPE_UNSIGNED_SHORT:
        *mw = f.value.usVal;
        break;
    default:
        return NVML_ERROR_UNKNOWN;
    }
    return NVML_SUCCESS;
}

nvmlReturn_t pact__nvml_read_usage(nvmlDevice_t d, double *mw)
{
    if (!pact__nvml_sym_nvmlDeviceGetPowerUsage)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    unsigned int v = 0;
    nvmlReturn_t rc = pact__nvml_sym_nvmlDeviceGetPowerUsage(d, &v);
    *mw = v;
    return rc;
}

nvmlReturn_t pact__nvml_read_util(nvmlDevice_t d, nvmlUtilization_t *u)
{
    if (!pact__nvml_sym_nvmlDeviceGetUtilizationRates)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return pact__nvml_sym_nvmlDeviceGetUtilizationRates(d, u);
}

nvmlReturn_t pact__nvml_read_mem(nvmlDevice_t d, nvmlMemory_t *m)
{
    if (!pact__nvml_sym_nvmlDeviceGetMemoryInfo)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return pact__nvml_sym_nvmlDeviceGetMemoryInfo(d, m);
}

nvmlReturn_t pact__nvml_read_temp(nvmlDevice_t d, unsigned int *c)
{
    if (!pact__nvml_sym_nvmlDeviceGetTemperature)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return pact__nvml_sym_nvmlDeviceGetTemperature(d, NVML_TEMPERATURE_GPU, c);
}

nvmlReturn_t pact__nvml_read_clock(nvmlDevice_t d, unsigned int *mhz)
{
    if (!pact__nvml_sym_nvmlDeviceGetClockInfo)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return pact__nvml_sym_nvmlDeviceGetClockInfo(d, NVML_CLOCK_SM, mhz);
}

/* One log line for the calls that started failing in this read, one
 * for those that recovered: a state change is logged once. */
void pact__nvml_report(const struct gpu *g, const int *before)
{
    char bad[512] = "", back[256] = "";
    size_t nb = 0, nk = 0;
    for (int c = 0; c < C_N; c++) {
        if (g->rc[c] == before[c])
            continue;
        if (g->rc[c] != NVML_SUCCESS && nb < sizeof bad)
            nb += (size_t)snprintf(bad + nb, sizeof bad - nb, "%s%s (%s)",
                                   nb ? ", " : "", call_what[c],
                                   pact__nvml_errstr(g->rc[c]));
        else if (g->rc[c] == NVML_SUCCESS && nk < sizeof back)
            nk += (size_t)snprintf(back + nk, sizeof back - nk, "%s%s",
                                   nk ? ", " : "", call_what[c]);
    }
    if (nb)
        pact__log(PACT_LOG_WARN,
                  "nvml: gpu%u: read failed: %s; those columns stay empty "
                  "until it recovers, the run goes on", g->index, bad);
    if (nk)
        pact__log(PACT_LOG_NOTICE, "nvml: gpu%u: readings are back: %s",
                  g->index, back);
}

/* Record a call's outcome.  Returns 1 when the GPU fell off the bus
 * (logged here, once; the caller stops reading it). */
static int settle(struct gpu *g, int call, nvmlReturn_t rc, int64_t t_ns)
{
    if (rc == NVML_ERROR_GPU_IS_LOST) {
        if (!g->lost)
            pact__log(PACT_LOG_WARN,
                      "nvml: gpu%u %s fell off the bus (NVML: %s); its columns "
                      "stay empty, the run goes on, asked again every "
                      "%lld s", g->index, g->name, pact__nvml_errstr(rc),
                      PACT_NVML_RETRY_NS / 1000000000LL);
        g->lost = 1;
        g->retry_ns = t_ns + PACT_NVML_RETRY_NS;
        g->slow_ns = 0;
        g->slow_valid = 0;
        return 1;
    }
    if (g->lost) {
        pact__log(PACT_LOG_NOTICE, "nvml: gpu%u %s answers again",
                  g->index, g->name);
        g->lost = 0;
    }
    g->rc[call] = rc;
    return 0;
}

static void put(struct pact_sample *out, int col, double v)
{
    if (col >= 0) {
        out[col].value = v;
        out[col].ok = 1;
    }
}

/* Re-read utilisation, memory, temperature, clock.  1 if lost. */
static int read_slow(struct gpu *g, int64_t t_ns)
{
    nvmlUtilization_t u;
    nvmlMemory_t m;
    unsigned int v;
    if (g->has[C_UTIL]) {
        nvmlReturn_t rc = pact__nvml_read_util(g->dev, &u);
        if (settle(g, C_UTIL, rc, t_ns))
            return 1;
        if (rc == NVML_SUCCESS)
            g->util = u;
    }
    if (g->col[K_MEM] >= 0) {
        nvmlReturn_t rc = pact__nvml_read_mem(g->dev, &m);
        if (settle(g, C_MEM, rc, t_ns))
            return 1;
        if (rc == NVML_SUCCESS)
            g->memory = m;
    }
    if (g->col[K_TEMP] >= 0) {
        nvmlReturn_t rc = pact__nvml_read_temp(g->dev, &v);
        if (settle(g, C_TEMP, rc, t_ns))
            return 1;
        if (rc == NVML_SUCCESS)
            g->temp_c = v;
    }
    if (g->col[K_CLOCK] >= 0) {
        nvmlReturn_t rc = pact__nvml_read_clock(g->dev, &v);
        if (settle(g, C_CLOCK, rc, t_ns))
            return 1;
        if (rc == NVML_SUCCESS)
            g->clock_mhz = v;
    }
    g->slow_ns = t_ns;
    g->slow_valid = 1;
    return 0;
}

void pact__nvml_read_gpu(struct gpu *g, int64_t t_ns, struct pact_sample *out)
{
    if (g->lost && t_ns < g->retry_ns)
        return;
    int before[C_N];
    memcpy(before, g->rc, sizeof before);
    if (g->method != M_NONE) {
        nvmlReturn_t rc;
        unsigned long long mj = 0;
        double mw = 0;
        if (g->method == M_ENERGY)
            rc = pact__nvml_read_energy(g->dev, &mj);
        else if (g->method == M_INSTANT)
            rc = pact__nvml_read_instant(g->dev, &mw);
        else
            rc = pact__nvml_read_usage(g->dev, &mw);
        if (settle(g, C_POWER, rc, t_ns))
            return;
        if (rc == NVML_SUCCESS && g->method == M_ENERGY) {
            /* The raw counter: the core handles resets (counter.h). */
            put(out, g->col[K_POWER], (double)mj / 1000.0);
            put(out, g->col[K_ENERGY], (double)mj / 1000.0);
        } else if (rc == NVML_SUCCESS) {
            put(out, g->col[K_POWER], mw / 1000.0);
        }
    }
    if (g->sampled != M_NONE) {
        double mw = 0;
        nvmlReturn_t rc = g->sampled == M_INSTANT ? pact__nvml_read_instant(g->dev, &mw)
                                                  : pact__nvml_read_usage(g->dev, &mw);
        if (settle(g, C_SAMPLED, rc, t_ns))
            return;
        if (rc == NVML_SUCCESS)
            put(out, g->col[K_SAMPLED], mw / 1000.0);
    }
    if (!g->slow_valid || t_ns - g->slow_ns >= PACT_NVML_SLOW_NS ||
        t_ns < g->slow_ns) {
        if (read_slow(g, t_ns))
            return;
    }
    if (g->rc[C_UTIL] == NVML_SUCCESS) {
        put(out, g->col[K_UTIL_SM], g->util.gpu);
        put(out, g->col[K_UTIL_MEM], g->util.memory);
    }
    if (g->rc[C_MEM] == NVML_SUCCESS)
        put(out, g->col[K_MEM], (double)g->memory.used / 1048576.0);
    if (g->rc[C_TEMP] == NVML_SUCCESS)
        put(out, g->col[K_TEMP], g->temp_c);
    if (g->rc[C_CLOCK] == NVML_SUCCESS)
        put(out, g->col[K_CLOCK], g->clock_mhz);
    pact__nvml_report(g, before);
}

