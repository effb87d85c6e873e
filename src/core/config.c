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

void pact_config_init(struct pact_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->size = sizeof *cfg;
    cfg->measure_period_s = 1.0;
    cfg->perf_period_s = 0.01;
    cfg->events = PACT_DEFAULT_EVENTS;
    cfg->output_path = "PACT.csv";
    cfg->scope = PACT_SCOPE_AUTO;
    cfg->counter_mode = PACT_COUNTER_WINDOW;
    cfg->psu = "auto";
    cfg->carbon_intensity = -1.0;
    cfg->pue = 1.0;
}

int pact__config_check(const struct pact_config *cfg, char *why, size_t len)
{
    if (!cfg || cfg->size != sizeof *cfg) {
        snprintf(why, len, "struct pact_config size mismatch: call "
                 "pact_config_init() from the same pact.h version");
        return PACT_EBADCONFIG;
    }
    if (!(cfg->measure_period_s > 0) || !isfinite(cfg->measure_period_s)) {
        snprintf(why, len, "measure period must be > 0 seconds (got %g)",
                 cfg->measure_period_s);
        return PACT_EBADCONFIG;
    }
    if (!(cfg->perf_period_s > 0) || !isfinite(cfg->perf_period_s)) {
        snprintf(why, len, "perf period must be > 0 seconds (got %g)",
                 cfg->perf_period_s);
        return PACT_EBADCONFIG;
    }
    if (cfg->perf_period_s > cfg->measure_period_s * (1 + 1e-9)) {
        snprintf(why, len,
                 "perf period (%g s) must not exceed the measure period "
                 "(%g s)",
                 cfg->perf_period_s, cfg->measure_period_s);
        return PACT_EBADCONFIG;
    }
    if (cfg->perf_period_s < 1e-4) {
        snprintf(why, len, "perf period %g s is below the 0.1 ms floor",
                 cfg->perf_period_s);
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

const char *pact_version(void)
{
    return PACT_VERSION_STRING;
}

void pact_free(void *p)
{
    free(p);
}
