/* SPDX-License-Identifier: MIT */
/*
 * nvml_discover.c - finding the GPUs NVML offers: init, selection (--gpus,
 * CUDA_VISIBLE_DEVICES), names, MIG mode and instances, and which power
 * method each GPU supports.
 */
#include "sensors/nvml_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "sensors/nvml_init.h"

/* ---- Discovery (shared by probe and open) ---- */

static void gpu_names(struct gpu *g)
{
    snprintf(g->name, sizeof g->name, "?");
    g->uuid[0] = '\0';
    if (pact__nvml_sym_nvmlDeviceGetName &&
        pact__nvml_sym_nvmlDeviceGetName(g->dev, g->name, sizeof g->name) != 0)
        snprintf(g->name, sizeof g->name, "?");
    if (pact__nvml_sym_nvmlDeviceGetUUID &&
        pact__nvml_sym_nvmlDeviceGetUUID(g->dev, g->uuid, sizeof g->uuid) != 0)
        g->uuid[0] = '\0';
    /* A driver may fill the buffer without a NUL: never trust it. */
    g->name[sizeof g->name - 1] = '\0';
    g->uuid[sizeof g->uuid - 1] = '\0';
}

/* Is MIG mode on, and which instances exist?  Sets g->mig_on and
 * g->mig; MIG UUIDs are appended to ids (capacity cap) for selection. */
static void gpu_mig(struct gpu *g, struct pact__nvml_id *ids, int *nids,
                    int cap)
{
    unsigned int cur = 0, pend = 0, max = 0, n = 0;
    g->mig_on = 0;
    g->mig = 0;
    if (!pact__nvml_sym_nvmlDeviceGetMigMode ||
        pact__nvml_sym_nvmlDeviceGetMigMode(g->dev, &cur, &pend) != NVML_SUCCESS ||
        cur != NVML_DEVICE_MIG_ENABLE)
        return;
    g->mig_on = 1;
    if (!pact__nvml_sym_nvmlDeviceGetMaxMigDeviceCount ||
        !pact__nvml_sym_nvmlDeviceGetMigDeviceHandleByIndex ||
        pact__nvml_sym_nvmlDeviceGetMaxMigDeviceCount(g->dev, &max) != NVML_SUCCESS)
        return; /* on, instances unknown: still reported at the parent */
    for (unsigned int k = 0; k < max; k++) {
        nvmlDevice_t m;
        if (pact__nvml_sym_nvmlDeviceGetMigDeviceHandleByIndex(g->dev, k, &m) !=
            NVML_SUCCESS)
            continue; /* slot not populated */
        n++;
        if (*nids < cap && pact__nvml_sym_nvmlDeviceGetUUID &&
            pact__nvml_sym_nvmlDeviceGetUUID(m, ids[*nids].uuid, PACT_NVML_UUID_LEN) ==
                NVML_SUCCESS) {
            ids[*nids].uuid[PACT_NVML_UUID_LEN - 1] = '\0';
            ids[*nids].gpu = (int)g->index;
            ids[*nids].mig = 1;
            (*nids)++;
        }
    }
    g->mig = n;
}

/* Decide how this GPU's power is read and which calls work.  Returns
 * NVML_ERROR_GPU_IS_LOST if it fell off the bus meanwhile, else 0. */
static nvmlReturn_t gpu_methods(struct gpu *g, int short_windows)
{
    unsigned long long mj;
    double mw;
    nvmlReturn_t rc = pact__nvml_read_energy(g->dev, &mj);
    if (rc == NVML_SUCCESS || !pact__nvml_unsupported(rc)) {
        g->method = M_ENERGY;
    } else if ((rc = pact__nvml_read_instant(g->dev, &mw)) == NVML_SUCCESS ||
               !pact__nvml_unsupported(rc)) {
        g->method = M_INSTANT;
    } else if ((rc = pact__nvml_read_usage(g->dev, &mw)) == NVML_SUCCESS ||
               !pact__nvml_unsupported(rc)) {
        g->method = M_USAGE;
    } else {
        g->method = M_NONE;
    }
    if (rc == NVML_ERROR_GPU_IS_LOST)
        return NVML_ERROR_GPU_IS_LOST;
    g->has[C_POWER] = g->method != M_NONE;
    g->rc[C_POWER] = g->method != M_NONE ? rc : NVML_SUCCESS;

    /* PACT_NVML_SAMPLED=1: beside the counter, also sample the power
     * reading (a detail column) to compare the two methods in one run.
     * Windows shorter than twice the counter's refresh period get it
     * too: the core takes it where the counter has not moved yet. */
    const char *cmp = getenv(PACT_NVML_SAMPLED_ENV);
    g->sampled = M_NONE;
    g->rc[C_SAMPLED] = NVML_SUCCESS;
    if (g->method == M_ENERGY &&
        ((cmp && strcmp(cmp, "1") == 0) || short_windows)) {
        if (!pact__nvml_unsupported(rc = pact__nvml_read_instant(g->dev, &mw)))
            g->sampled = M_INSTANT;
        else if (!pact__nvml_unsupported(rc = pact__nvml_read_usage(g->dev, &mw)))
            g->sampled = M_USAGE;
        if (rc == NVML_ERROR_GPU_IS_LOST)
            return NVML_ERROR_GPU_IS_LOST;
        if (g->sampled != M_NONE)
            g->rc[C_SAMPLED] = rc;
    }
    g->has[C_SAMPLED] = g->sampled != M_NONE;

    nvmlReturn_t r[C_N];
    r[C_UTIL] = pact__nvml_read_util(g->dev, &g->util);
    r[C_MEM] = pact__nvml_read_mem(g->dev, &g->memory);
    r[C_TEMP] = pact__nvml_read_temp(g->dev, &g->temp_c);
    r[C_CLOCK] = pact__nvml_read_clock(g->dev, &g->clock_mhz);
    for (int c = C_UTIL; c <= C_CLOCK; c++) {
        if (r[c] == NVML_ERROR_GPU_IS_LOST)
            return NVML_ERROR_GPU_IS_LOST;
        g->has[c] = !pact__nvml_unsupported(r[c]);
        g->rc[c] = g->has[c] ? r[c] : NVML_SUCCESS;
    }
    /* Calls that exist but fail now: said once, as later changes are. */
    static const int all_ok[C_N];
    pact__nvml_report(g, all_ok);
    return NVML_SUCCESS;
}

void pact__nvml_state_free(struct nvml_state *s)
{
    if (!s)
        return;
    free(s->gpu);
    free(s);
    pact__nvml_sym_nvmlShutdown();
    pact__nvml_lib_close();
}

/* Which selection applies, and its text for messages. */
static const char *gpu_spec(const struct pact_sensor_env *env, int *strict)
{
    const char *cfg = env && env->cfg ? env->cfg->gpus : NULL;
    *strict = 1;
    if (cfg)
        return cfg;
    *strict = 0;
    return getenv("CUDA_VISIBLE_DEVICES");
}

/* Integer CUDA_VISIBLE_DEVICES entries are CUDA ordinals; CUDA numbers
 * fastest-first unless CUDA_DEVICE_ORDER=PCI_BUS_ID, NVML in PCI order.
 * They agree when all GPUs are the same model. */
static void order_notice(const struct gpu *all, int n)
{
    const char *order = getenv("CUDA_DEVICE_ORDER");
    if (order && strcmp(order, "PCI_BUS_ID") == 0)
        return;
    for (int i = 1; i < n; i++)
        if (strcmp(all[i].name, all[0].name) != 0) {
            pact__log(PACT_LOG_NOTICE,
                      "nvml: CUDA_VISIBLE_DEVICES indices are read in PCI "
                      "bus order (nvidia-smi's) and these GPUs differ; set "
                      "CUDA_DEVICE_ORDER=PCI_BUS_ID so CUDA numbers them "
                      "the same way");
            return;
        }
}

static int init_error(nvmlReturn_t rc, char *why, size_t len)
{
    switch (rc) {
    case NVML_ERROR_DRIVER_NOT_LOADED:
        snprintf(why, len,
                 "no NVIDIA driver (NVML: %s); load it (modprobe nvidia) "
                 "or install the NVIDIA driver", pact__nvml_errstr(rc));
        break;
    case NVML_ERROR_LIB_RM_VERSION_MISMATCH:
        snprintf(why, len,
                 "NVIDIA library and kernel module differ (NVML: %s); "
                 "reboot after the driver upgrade", pact__nvml_errstr(rc));
        break;
    case NVML_ERROR_NO_PERMISSION:
        snprintf(why, len,
                 "no access to the NVIDIA driver (NVML: %s); check the "
                 "permissions of /dev/nvidia*", pact__nvml_errstr(rc));
        break;
    default:
        snprintf(why, len, "NVML initialisation failed: %s (%s)",
                 pact__nvml_errstr(rc), pact__nvml_code_name(rc));
        break;
    }
    return PACT_ENODEVICE;
}

/*
 * Load the library, initialise NVML, enumerate and select GPUs and find
 * each one's methods.  On success *out owns the state (NVML stays
 * initialised) and the return is the number of GPUs (0 with the reason
 * in why when none is usable).  < 0: unavailable, reason in why.
 */
int pact__nvml_discover(const struct pact_sensor_env *env,
                    struct nvml_state **out, char *why, size_t len)
{
    *out = NULL;
    int err = pact__nvml_lib_open(why, len);
    if (err < 0)
        return PACT_ENODEVICE;
    nvmlReturn_t rc;
    if (pact__nvml_init_timed(pact__nvml_sym_nvmlInit_v2,
                              pact__nvml_init_timeout(), &rc) < 0) {
        /* The library stays loaded: the thread may still be inside. */
        snprintf(why, len, "nvmlInit_v2 did not return within %g s (a hung "
                 "NVIDIA driver? try nvidia-smi); GPUs are not measured",
                 pact__nvml_init_timeout());
        return PACT_ENODEVICE;
    }
    if (rc != NVML_SUCCESS) {
        err = init_error(rc, why, len); /* while nvmlErrorString is there */
        pact__nvml_lib_close();
        return err;
    }
    struct nvml_state *s = calloc(1, sizeof *s);
    unsigned int count = 0;
    if (!s) {
        pact__nvml_sym_nvmlShutdown();
        pact__nvml_lib_close();
        snprintf(why, len, "out of memory");
        return -ENOMEM;
    }
    rc = pact__nvml_sym_nvmlDeviceGetCount_v2(&count);
    if (rc != NVML_SUCCESS || count == 0) {
        if (rc != NVML_SUCCESS)
            snprintf(why, len, "NVML cannot count GPUs: %s", pact__nvml_errstr(rc));
        else
            snprintf(why, len,
                     "the NVIDIA driver sees no GPU; check nvidia-smi");
        pact__nvml_state_free(s);
        return PACT_ENODEVICE;
    }
    if (count > 1024)
        count = 1024;
    int cap = (int)count * 8; /* GPUs and MIG instances (<= 7 each) */
    struct gpu *all = calloc(count, sizeof *all);
    struct pact__nvml_id *ids = calloc((size_t)cap, sizeof *ids);
    int *sel = calloc(count, sizeof *sel);
    s->gpu = calloc(count, sizeof *s->gpu);
    if (!all || !ids || !sel || !s->gpu) {
        free(all);
        free(ids);
        free(sel);
        pact__nvml_state_free(s);
        snprintf(why, len, "out of memory");
        return -ENOMEM;
    }

    /* Enumerate: handles, names, UUIDs, MIG instances. */
    int nids = 0;
    for (unsigned int i = 0; i < count; i++) {
        struct gpu *g = &all[i];
        g->index = i;
        rc = pact__nvml_sym_nvmlDeviceGetHandleByIndex_v2(i, &g->dev);
        g->open_rc = rc;
        if (rc != NVML_SUCCESS) {
            g->dev = NULL;
            snprintf(g->name, sizeof g->name, "?");
            continue;
        }
        gpu_names(g);
        snprintf(ids[nids].uuid, PACT_NVML_UUID_LEN, "%s", g->uuid);
        ids[nids].gpu = (int)i;
        ids[nids].mig = 0;
        nids++;
        gpu_mig(g, ids, &nids, cap);
    }

    int strict;
    const char *spec = gpu_spec(env, &strict);
    char notes[512];
    int n = pact__nvml_select(spec, strict, (int)count, ids, nids, sel,
                              (int)count, notes, sizeof notes);
    if (n < 0) {
        snprintf(why, len, "%s", notes);
        free(all);
        free(ids);
        free(sel);
        pact__nvml_state_free(s);
        return n;
    }
    if (notes[0])
        pact__log(PACT_LOG_NOTICE, "nvml: %s", notes);
    if (!strict && spec)
        order_notice(all, (int)count);

    /* Find the methods of the selected GPUs. */
    for (int k = 0; k < n; k++) {
        struct gpu *g = &all[sel[k]];
        if (!g->dev) {
            rc = g->open_rc;
            pact__log(PACT_LOG_WARN,
                      "nvml: gpu%u: cannot open it (%s)%s; skipped",
                      g->index, pact__nvml_errstr(rc),
                      rc == NVML_ERROR_NO_PERMISSION
                          ? "; check the permissions of /dev/nvidia*"
                          : "");
            continue;
        }
        int short_windows = env && env->cfg &&
                            env->cfg->measure_period_s > 0 &&
                            env->cfg->measure_period_s <
                                2 * PACT_NVML_COUNTER_PERIOD_S;
        if (gpu_methods(g, short_windows) == NVML_ERROR_GPU_IS_LOST) {
            pact__log(PACT_LOG_WARN,
                      "nvml: gpu%u %s fell off the bus (%s); skipped",
                      g->index, g->name, pact__nvml_errstr(NVML_ERROR_GPU_IS_LOST));
            continue;
        }
        s->gpu[s->ngpu++] = *g;
    }
    free(all);
    free(ids);
    free(sel);

    if (s->ngpu == 0)
        snprintf(why, len, "%s",
                 n == 0 ? (strict ? "no GPU selected (--gpus none)"
                                  : "no GPU selected (CUDA_VISIBLE_DEVICES "
                                    "hides them all)")
                        : "no selected GPU could be read (see the log)");
    *out = s;
    return s->ngpu;
}

/* One line per GPU: "gpu0 NVIDIA H100 (energy counter ...)". */
void pact__nvml_describe(const struct nvml_state *s, char *why, size_t len)
{
    char drv[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE] = "";
    if (pact__nvml_sym_nvmlSystemGetDriverVersion &&
        pact__nvml_sym_nvmlSystemGetDriverVersion(drv, sizeof drv) != NVML_SUCCESS)
        drv[0] = '\0';
    drv[sizeof drv - 1] = '\0'; /* not trusted to be terminated */
    size_t used = 0;
    int w = snprintf(why, len, "NVIDIA driver %s, %d GPU%s:",
                     drv[0] ? drv : "?", s->ngpu, s->ngpu == 1 ? "" : "s");
    for (int i = 0; i < s->ngpu && w >= 0; i++) {
        used += (size_t)w;
        if (used >= len)
            return;
        const struct gpu *g = &s->gpu[i];
        w = snprintf(why + used, len - used, "%s gpu%u %s: %s%s",
                     i ? ";" : "", g->index, g->name,
                     pact__nvml_method_text(g->method),
                     g->mig_on ? " (MIG on: whole-GPU figures)" : "");
    }
}

