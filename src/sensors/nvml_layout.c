/* SPDX-License-Identifier: MIT */
/*
 * nvml_layout.c - the channels (CSV columns) each GPU offers, and how its power
 * is read, in words.
 */
#include "sensors/nvml_impl.h"

#include <stdio.h>
#include <string.h>

const char *pact__nvml_method_text(int m)
{
    switch (m) {
    case M_ENERGY:
        return "power from the energy counter (exact window energy)";
    case M_INSTANT:
        return "power from the instantaneous power field, sampled every "
               "perf period";
    case M_USAGE:
        return "power from nvmlDeviceGetPowerUsage (a 1 s average on "
               "Ampere and newer), sampled every perf period";
    default:
        return "no power reading on this GPU";
    }
}

static void add_channel(struct pact_channel *c, unsigned int gpu,
                        const char *suffix, int quantity, int role,
                        int fast, double resolution)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "gpu%u_%s", gpu, suffix);
    c->quantity = quantity;
    c->role = role;
    c->fast = fast;
    c->resolution = resolution;
    /* NVIDIA states +-5 % for the power reading (Fermi/Kepler) and no
     * figure for newer boards; keep 5 % as the stated uncertainty. */
    c->accuracy_pct = role == PACT_ROLE_GPU_POWER ? 5.0 : 0.0;
}

/* Declare the columns of one GPU from ch[n] on (ch NULL: only count);
 * detail = memory, temperature, clock.  Returns the new n. */
int pact__nvml_gpu_channels(struct gpu *g, struct pact_channel *ch, int n,
                        int detail)
{
    static const struct {
        int col, quantity, role, fast;
        const char *suffix;
        double resolution;
    } def[K_N] = {
        {K_POWER, PACT_Q_POWER_W, PACT_ROLE_GPU_POWER, 1, "power_w", 0.001},
        {K_ENERGY, PACT_Q_VALUE, PACT_ROLE_NONE, 0, "energy_j", 0.001},
        {K_SAMPLED, PACT_Q_POWER_W, PACT_ROLE_DETAIL_POWER, 1,
         "power_sampled_w", 0.001},
        /* Utilisation is already a time average: read at the edges. */
        {K_UTIL_SM, PACT_Q_PERCENT, PACT_ROLE_GPU_UTIL_SM, 0, "util_sm", 1},
        {K_UTIL_MEM, PACT_Q_PERCENT, PACT_ROLE_GPU_UTIL_MEM, 0, "util_mem",
         1},
        {K_MEM, PACT_Q_VALUE, PACT_ROLE_NONE, 0, "mem_used_mib",
         1.0 / 1048576.0},
        {K_TEMP, PACT_Q_VALUE, PACT_ROLE_NONE, 0, "temp_c", 1},
        {K_CLOCK, PACT_Q_VALUE, PACT_ROLE_NONE, 0, "sm_clock_mhz", 1},
    };
    int want[K_N] = {
        [K_POWER] = g->method != M_NONE,
        [K_ENERGY] = g->method == M_ENERGY,
        [K_SAMPLED] = g->has[C_SAMPLED],
        [K_UTIL_SM] = g->has[C_UTIL],
        [K_UTIL_MEM] = g->has[C_UTIL],
        [K_MEM] = detail && g->has[C_MEM],
        [K_TEMP] = detail && g->has[C_TEMP],
        [K_CLOCK] = detail && g->has[C_CLOCK],
    };
    for (int k = 0; k < K_N; k++) {
        g->col[def[k].col] = -1;
        if (!want[k])
            continue;
        g->col[def[k].col] = n;
        if (ch) {
            int energy = def[k].col == K_POWER && g->method == M_ENERGY;
            add_channel(&ch[n], g->index, def[k].suffix,
                        energy ? PACT_Q_ENERGY_J : def[k].quantity,
                        def[k].role, energy ? 0 : def[k].fast,
                        def[k].resolution);
            if (energy) {
                /* The counter refreshes every 20-100 ms (nvml.md sec. 6):
                 * a shorter window takes the sampled power instead. */
                ch[n].update_period_s = PACT_NVML_COUNTER_PERIOD_S;
                if (g->sampled != M_NONE)
                    snprintf(ch[n].twin, sizeof ch[n].twin,
                             "gpu%u_power_sampled_w", g->index);
            }
            if (def[k].col == K_POWER)
                snprintf(ch[n].method, sizeof ch[n].method, "%s",
                         g->method == M_ENERGY ? "NVML energy counter"
                         : g->method == M_INSTANT
                             ? "NVML instant power, averaged"
                             : "NVML power usage, averaged");
        }
        n++;
    }
    return n;
}

/* Columns needed for GPUs [0, ngpu). */
int pact__nvml_columns(struct nvml_state *s, int ngpu, int detail)
{
    int n = 0;
    for (int i = 0; i < ngpu; i++)
        n = pact__nvml_gpu_channels(&s->gpu[i], NULL, n, detail);
    return n;
}

