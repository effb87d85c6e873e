/* SPDX-License-Identifier: MIT */
/*
 * config.c - defaults and validation of struct pact_config, and the small
 * library-wide helpers (version, pact_free).  Validation messages say
 * what to change, in one line.
 */
#include "core/config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pact_config_init_sized(struct pact_config *cfg, size_t size)
{
    /* A caller whose struct is shorter than ours would be written past its
     * end: refuse, and write nothing. */
    if (!cfg || size < sizeof *cfg)
        return PACT_EABI;
    memset(cfg, 0, sizeof *cfg);
    cfg->size = sizeof *cfg;
    cfg->version = PACT_API_VERSION;
    cfg->measure_period_s = 1.0;
    cfg->perf_period_s = 0.01;
    cfg->events = PACT_DEFAULT_EVENTS;
    cfg->output_path = "PACT.csv";
    cfg->scope = PACT_SCOPE_AUTO;
    cfg->counter_mode = PACT_COUNTER_WINDOW;
    cfg->psu = "auto";
    cfg->carbon_intensity = -1.0;
    cfg->pue = 1.0;
    return 0;
}

/* Bytes [from, to) of p are all zero. */
static int zero_tail(const void *p, size_t from, size_t to)
{
    const unsigned char *b = p;
    for (size_t i = from; i < to; i++)
        if (b[i])
            return 0;
    return 1;
}

/* The finite value v lies in [lo, hi]; NaN and infinities never do. */
static int in_range(double v, double lo, double hi)
{
    return isfinite(v) && v >= lo && v <= hi;
}

int pact__config_check(const struct pact_config *cfg, char *why, size_t len)
{
    if (!cfg || cfg->size < sizeof *cfg) {
        snprintf(why, len, "struct pact_config is %u bytes, this libpact "
                 "needs %zu: rebuild against its pact.h and fill the "
                 "struct with pact_config_init()",
                 cfg ? (unsigned)cfg->size : 0u, sizeof *cfg);
        return PACT_EABI;
    }
    /* A newer caller's struct is fine as long as it asks for nothing this
     * library does not know (its extra fields are still zero). */
    if (cfg->size > sizeof *cfg && !zero_tail(cfg, sizeof *cfg, cfg->size)) {
        snprintf(why, len, "struct pact_config has fields this libpact "
                 "(API %#x) does not know: install a newer libpact",
                 PACT_API_VERSION);
        return PACT_EABI;
    }
    if (cfg->version >> 8 != PACT_API_VERSION >> 8) {
        snprintf(why, len, "struct pact_config is for API %#x, this libpact "
                 "is %#x: rebuild against its pact.h",
                 (unsigned)cfg->version, PACT_API_VERSION);
        return PACT_EABI;
    }
    if (!in_range(cfg->measure_period_s, PACT_MEASURE_PERIOD_MIN,
                  PACT_MEASURE_PERIOD_MAX)) {
        if (!(cfg->measure_period_s > 0))
            snprintf(why, len, "measure period must be > 0 seconds (got "
                     "%g): use %g to %g (1 ms to 1 day)",
                     cfg->measure_period_s, PACT_MEASURE_PERIOD_MIN,
                     PACT_MEASURE_PERIOD_MAX);
        else
            snprintf(why, len, "measure period must be between %g and %g "
                     "seconds (1 ms to 1 day), got %g",
                     PACT_MEASURE_PERIOD_MIN, PACT_MEASURE_PERIOD_MAX,
                     cfg->measure_period_s);
        return PACT_EBADCONFIG;
    }
    if (!in_range(cfg->perf_period_s, PACT_PERF_PERIOD_MIN,
                  cfg->measure_period_s * (1 + 1e-9))) {
        if (isfinite(cfg->perf_period_s) &&
            cfg->perf_period_s > cfg->measure_period_s)
            snprintf(why, len,
                     "perf period (%g s) must not exceed the measure period "
                     "(%g s)",
                     cfg->perf_period_s, cfg->measure_period_s);
        else
            snprintf(why, len, "perf period must be at least %g seconds "
                     "(0.1 ms) and at most the measure period, got %g",
                     PACT_PERF_PERIOD_MIN, cfg->perf_period_s);
        return PACT_EBADCONFIG;
    }
    if (cfg->realtime != 0 && cfg->realtime != 1) {
        snprintf(why, len, "realtime must be 0 or 1 (got %d)",
                 cfg->realtime);
        return PACT_EBADCONFIG;
    }
    if (cfg->power_sample_period_s != 0 &&
        !(cfg->power_sample_period_s >= 1e-3 &&
          isfinite(cfg->power_sample_period_s))) {
        snprintf(why, len, "power sample period must be >= 0.001 s, or 0 "
                 "for the default (got %g)", cfg->power_sample_period_s);
        return PACT_EBADCONFIG;
    }
    if (cfg->scope < PACT_SCOPE_AUTO || cfg->scope > PACT_SCOPE_WORKLOAD) {
        snprintf(why, len, "unknown scope %d", cfg->scope);
        return PACT_EBADCONFIG;
    }
    if (cfg->counter_mode != PACT_COUNTER_WINDOW &&
        cfg->counter_mode != PACT_COUNTER_PACT) {
        snprintf(why, len, "unknown counter mode %d", cfg->counter_mode);
        return PACT_EBADCONFIG;
    }
    if (cfg->pue != 0 && (cfg->pue < 1.0 || !isfinite(cfg->pue))) {
        snprintf(why, len, "PUE must be >= 1.0 (got %g)", cfg->pue);
        return PACT_EBADCONFIG;
    }
    if (cfg->psu_efficiency != 0 &&
        !(cfg->psu_efficiency > 0 && cfg->psu_efficiency <= 1.0)) {
        snprintf(why, len, "PSU efficiency must be in (0, 1] (got %g)",
                 cfg->psu_efficiency);
        return PACT_EBADCONFIG;
    }
    return 0;
}

unsigned pact_api_version(void)
{
    return PACT_API_VERSION;
}

const char *pact_version(void)
{
    return PACT_VERSION_STRING;
}

void pact_free(void *p)
{
    free(p);
}
