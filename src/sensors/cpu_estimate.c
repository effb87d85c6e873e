/* SPDX-License-Identifier: MIT */
/*
 * cpu_estimate.c - the labelled estimate when no CPU power can be
 * measured: CPU power from utilisation (/proc/stat over the window) and
 * TDP (data/cpu_tdp.csv by /proc/cpuinfo model name), and memory power
 * from installed memory (/proc/meminfo).  Both channels are estimated=1
 * and fallback_for the CPU role: the core counts them only while no live
 * measured CPU power exists (core/basis.h), so a RAPL that is present but
 * dead is covered.  Offers nothing when cfg->no_estimate is set.
 * The model and its sources: docs/power-sources.md.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/datafile.h"
#include "core/log.h"
#include "sensors/cpu_info.h"
#include "sensors/cpu_tdp.h"
#include "sensors/sensor.h"

/* P_cpu = TDP_eff x (IDLE + (1 - IDLE) x u), u = busy/total CPU time.
 * IDLE: CodeCarbon's floor for its CPU-load mode ("minimum power
 * consumption is 10% of TDP"); linear in u as in Fan, Weber & Barroso
 * (ISCA 2007) and the Cloud Carbon Footprint methodology. */
#define EST_IDLE_FRACTION 0.10
/* TDP_eff when the model is unknown, and the cap for a guest: W per
 * logical CPU at full load, rounded from the Cloud Carbon Footprint
 * per-vCPU "max watts" coefficients (1.9 W AMD Milan .. 6.0 W Haswell;
 * Skylake 4.05 W, Cascade Lake 3.8 W). */
#define EST_W_PER_CPU 4.0
/* CodeCarbon's memory model: 3 W per 8 GiB of installed memory. */
#define EST_W_PER_GIB (3.0 / 8.0)
/* Relative standard uncertainty we state for these estimates (assumed,
 * not validated on hardware here): +-50 %. */
#define EST_UNCERTAINTY_PCT 50.0

struct est {
    char root[PATH_MAX];
    int cpu_ch, mem_ch; /* channel index, -1 when not offered */
    double tdp_eff_w;
    double mem_w;
    struct pact__cpu_times prev;
    int have_prev;
    int64_t t_prev_ns;
    int have_t;
    double cpu_j, mem_j;
    int stat_err; /* last /proc/stat error, to log changes once */
};

/* Decide TDP_eff; basis gets one clause saying where it came from. */
static double effective_tdp(const struct pact_config *cfg,
                            const struct pact__cpu_info *ci, char *basis,
                            size_t len)
{
    char table[PATH_MAX] = "", matched[160];
    double tdp = 0;
    double per_cpu = EST_W_PER_CPU * ci->logical_cpus;
    int rc = pact__data_path(cfg, "cpu_tdp.csv", table, sizeof table);
    if (rc == 0)
        rc = pact__cpu_tdp_lookup(table, ci->model_name, &tdp, matched,
                                  sizeof matched);
    if (rc == 0 && !ci->hypervisor) {
        snprintf(basis, len, "TDP %g W x %d package%s (%s, cpu_tdp.csv)", tdp,
                 ci->packages, ci->packages > 1 ? "s" : "", matched);
        return tdp * ci->packages;
    }
    if (rc == 0) {
        /* A guest sees a slice of a chip whose size it cannot know. */
        double cap = tdp * ci->packages;
        snprintf(basis, len,
                 "guest: %d vCPU%s x %g W, at most the TDP "
                 "%g W of %s",
                 ci->logical_cpus, ci->logical_cpus > 1 ? "s" : "",
                 EST_W_PER_CPU, cap, matched);
        return per_cpu < cap ? per_cpu : cap;
    }
    if (rc == -ENOENT && table[0] && access(table, R_OK) == 0)
        snprintf(basis, len, "'%s' not in cpu_tdp.csv: %d CPU%s x %g W",
                 ci->model_name[0] ? ci->model_name : "unknown model",
                 ci->logical_cpus, ci->logical_cpus > 1 ? "s" : "",
                 EST_W_PER_CPU);
    else
        snprintf(basis, len,
                 "cpu_tdp.csv not found (set PACT_DATA_DIR or "
                 "--data-dir): %d CPU%s x %g W",
                 ci->logical_cpus, ci->logical_cpus > 1 ? "s" : "",
                 EST_W_PER_CPU);
    return per_cpu;
}

/* Work out what to offer.  Returns the channel count (0 = nothing). */
static int plan(const struct pact_sensor_env *env, struct est *e,
                struct pact_channel *ch, int max, char *why, size_t len)
{
    const struct pact_config *cfg = env->cfg;
    e->cpu_ch = e->mem_ch = -1;
    if (cfg && cfg->no_estimate) {
        snprintf(why, len, "off (--no-estimate)");
        return 0;
    }
    const char *root = env->sysroot ? env->sysroot : "";
    snprintf(e->root, sizeof e->root, "%s", root);
    struct pact__cpu_info ci;
    if (pact__cpu_info_read(root, &ci) < 0) {
        memset(&ci, 0, sizeof ci);
        ci.logical_cpus = ci.packages = 1;
    }
    char basis[512];
    e->tdp_eff_w = effective_tdp(cfg, &ci, basis, sizeof basis);
    int n = 0;
    size_t off = 0;
    struct pact__cpu_times t;
    int rc = pact__proc_stat_read(root, &t);
    if (rc == 0 && n < max) {
        e->cpu_ch = n++;
        off += (size_t)snprintf(why, len,
                                "cpu_estimated_w = %.1f W x "
                                "(%.2f + %.2f x utilisation) [%s]",
                                e->tdp_eff_w, EST_IDLE_FRACTION,
                                1 - EST_IDLE_FRACTION, basis);
    } else {
        off += (size_t)snprintf(why, len,
                                "no CPU estimate: %s/proc/stat: "
                                "%s",
                                root, strerror(rc < 0 ? -rc : ENOSPC));
    }
    uint64_t kib;
    rc = pact__meminfo_total_kib(root, &kib);
    if (rc == 0 && n < max && off < len) {
        double gib = (double)kib / (1024.0 * 1024.0);
        e->mem_w = gib * EST_W_PER_GIB;
        e->mem_ch = n++;
        snprintf(why + off, len - off,
                 "; memory_estimated_w = %.1f GiB x "
                 "%.3f W/GiB = %.2f W",
                 gib, EST_W_PER_GIB, e->mem_w);
    } else if (off < len) {
        snprintf(why + off, len - off,
                 "; no memory estimate: "
                 "%s/proc/meminfo: %s",
                 root, strerror(rc < 0 ? -rc : ENOSPC));
    }
    for (int i = 0; ch && i < n; i++) {
        struct pact_channel *c = &ch[i];
        memset(c, 0, sizeof *c);
        int cpu = i == e->cpu_ch;
        snprintf(c->name, sizeof c->name, "%s",
                 cpu ? "cpu_estimated_w" : "memory_estimated_w");
        /* Cumulative estimated joules, so any read pattern integrates. */
        c->quantity = PACT_Q_ENERGY_J;
        c->role = cpu ? PACT_ROLE_CPU_POWER : PACT_ROLE_OTHER_POWER;
        c->estimated = 1;
        c->fallback_for = PACT_ROLE_CPU_POWER;
        c->fast = 0;
        c->accuracy_pct = EST_UNCERTAINTY_PCT;
        c->resolution = 0;
    }
    return n;
}

static int est_probe(const struct pact_sensor_env *env, char *why, size_t len)
{
    struct est *e = calloc(1, sizeof *e);
    if (!e)
        return -ENOMEM;
    int n = plan(env, e, NULL, 2, why, len);
    free(e);
    return n;
}

static int est_open(const struct pact_sensor_env *env, void **state,
                    struct pact_channel *ch, int max, char *why, size_t len)
{
    struct est *e = calloc(1, sizeof *e);
    *state = e;
    if (!e)
        return -ENOMEM;
    return plan(env, e, ch, max, why, len);
}

static int est_read(void *state, int64_t t_ns, struct pact_sample *out, int n,
                    char *why, size_t len)
{
    struct est *e = state;
    double dt = e->have_t ? (double)(t_ns - e->t_prev_ns) / 1e9 : 0;
    if (dt < 0)
        dt = 0;
    e->t_prev_ns = t_ns;
    e->have_t = 1;
    int rc = 0;
    if (e->cpu_ch >= 0 && e->cpu_ch < n) {
        struct pact_sample *s = &out[e->cpu_ch];
        struct pact__cpu_times t;
        rc = pact__proc_stat_read(e->root, &t);
        if (rc == 0) {
            if (e->stat_err)
                pact__log(PACT_LOG_NOTICE, "estimate: /proc/stat readable "
                                           "again");
            e->stat_err = 0;
            if (e->have_prev && t.total >= e->prev.total &&
                t.busy >= e->prev.busy) {
                uint64_t dtot = t.total - e->prev.total;
                double u =
                    dtot ? (double)(t.busy - e->prev.busy) / (double)dtot : 0;
                if (u > 1)
                    u = 1;
                e->cpu_j += e->tdp_eff_w *
                            (EST_IDLE_FRACTION + (1 - EST_IDLE_FRACTION) * u) *
                            dt;
            }
            e->prev = t;
            e->have_prev = 1;
            s->value = e->cpu_j;
            s->ok = 1;
            s->t_ns = t_ns; /* integrated up to t_ns: stamp it so */
        } else {
            /* The next good reading starts a new baseline. */
            if (rc != e->stat_err)
                pact__log(PACT_LOG_WARN,
                          "estimate: %s/proc/stat: %s; "
                          "cpu_estimated_w stays empty until it comes back",
                          e->root, strerror(-rc));
            e->stat_err = rc;
            e->have_prev = 0;
            s->value = NAN;
            s->ok = 0;
            if (len)
                snprintf(why, len, "estimate: %s/proc/stat: %s", e->root,
                         strerror(-rc));
        }
    }
    if (e->mem_ch >= 0 && e->mem_ch < n) {
        e->mem_j += e->mem_w * dt;
        out[e->mem_ch].value = e->mem_j;
        out[e->mem_ch].ok = 1;
        out[e->mem_ch].t_ns = t_ns;
        rc = 0; /* part of the device still answers */
    }
    return rc;
}

static void est_close(void *state)
{
    free(state);
}

const struct pact_sensor_ops pact_sensor_cpu_estimate = {
    .abi = PACT_SENSOR_ABI,
    .name = "estimate",
    .probe = est_probe,
    .open = est_open,
    .read = est_read,
    .close = est_close,
};
