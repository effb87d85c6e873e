/* SPDX-License-Identifier: MIT */
/*
 * series.h - a carbon-intensity time series (`timestamp,gco2_per_kwh`,
 * e.g. hourly data exported from a grid operator) as a step function:
 * each value holds from its timestamp until the next one.
 */
#ifndef PACT_CARBON_SERIES_H
#define PACT_CARBON_SERIES_H

#include <stddef.h>

struct pact__series {
    int n;
    double *t_s; /* unix seconds, strictly increasing */
    double *g;   /* g/kWh, >= 0 */
};

/*
 * Read path.  Lines: `timestamp,gco2_per_kwh`; an optional header first;
 * blank lines and lines starting with '#' skipped.  A timestamp is unix
 * seconds or ISO 8601 (2026-11-24T13:00:00Z, +01:00 offsets, a space for
 * the T, fractional seconds; no offset means UTC).  Returns 0 or < 0
 * (PACT_EFORMAT, -errno) with "FILE:LINE: what is wrong" in why.
 * Release with pact__series_release.
 */
int pact__series_load(const char *path, struct pact__series *s, char *why,
                      size_t len);
void pact__series_release(struct pact__series *s);

/* Parse one timestamp; 0 or -EINVAL. */
int pact__parse_time(const char *text, double *unix_s);

/* Integral of the intensity over [t0, t0 + dur_s], in g/kWh * s:
 * piecewise over the steps, the first value held before the series starts
 * and the last after it ends.  Taking the duration (not t1) keeps a
 * millisecond window exact at unix times near 1.8e9 s, where t1 - t0
 * would lose about 1e-4 of it. */
double pact__series_integral(const struct pact__series *s, double t0,
                             double dur_s);

/* Intensity at time t (g/kWh). */
double pact__series_at(const struct pact__series *s, double t);

#endif
