/* SPDX-License-Identifier: MIT */
/*
 * intensity.h - which grid carbon intensity applies to a run, and where
 * it came from: a constant (--carbon-intensity), a time series
 * (--intensity-file), a country's row (--country, else the time zone's
 * country), else the world average.
 */
#ifndef PACT_CARBON_INTENSITY_H
#define PACT_CARBON_INTENSITY_H

#include <stddef.h>

#include "carbon/series.h"
#include "pact/pact.h"

struct pact__intensity {
    double g_per_kwh;          /* constant; NaN when a series applies */
    struct pact__series series;
    char source[128];          /* for the summary, one line */
};

/* Resolve cfg.  Returns 0, or < 0 with a one-line reason and fix in why
 * (unknown country, unreadable or malformed file).  Fallbacks that are
 * not errors (no time zone, a table hole) are logged as notices. */
int pact__intensity_open(const struct pact_config *cfg,
                         struct pact__intensity *in, char *why, size_t len);

/* Integral of intensity over [t0, t0 + dur_s], g/kWh * s. */
double pact__intensity_integral(const struct pact__intensity *in, double t0,
                                double dur_s);

/* Intensity at time t, g/kWh. */
double pact__intensity_at(const struct pact__intensity *in, double t);

void pact__intensity_release(struct pact__intensity *in);

#endif
