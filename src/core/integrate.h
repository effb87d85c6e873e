/* SPDX-License-Identifier: MIT */
/*
 * integrate.h - a channel's window value from its timestamped samples.
 * An energy counter: the sum of its accepted deltas over the sum of their
 * own read intervals (not the window's length).  An instantaneous power
 * reading: the trapezoid integral of its samples over the time they
 * cover, divided by that time; the sample at a window edge closes one
 * window and opens the next, so windows tile time.  Anything else: the
 * reading at the window's end.
 */
#ifndef PACT_CORE_INTEGRATE_H
#define PACT_CORE_INTEGRATE_H

#include <stdint.h>

#include "core/counter.h"

struct pact__integ {
    struct pact__counter ctr;
    double e_j, e_s;  /* accepted deltas in this window, J and s */
    int e_broken;     /* a reset/implausible/ambiguous step this window */
    int e_wait;       /* a step waited for the device to refresh */

    double last_w;    /* power: last good sample */
    int64_t last_ns;
    int have_last;
    double ref_w;     /* values are summed relative to this one, so a
                         constant reading averages to itself exactly */
    double area_j, area_s; /* trapezoid area (relative to ref_w) this
                              window, and the time it covers */
    int nsamples;     /* good power samples this window */
    double s1, s2;    /* sums of the samples (relative to ref_w) and of
                         their squares, for the sampling uncertainty */
    double span_s;    /* energy: the read interval the last closed
                         window's delta covered (> the window after a
                         failed read) */
};

/* Feed an energy counter reading; returns the counter step (counter.h)
 * and, on a delta, *delta_j (for liveness). */
int pact__integ_energy(struct pact__integ *g,
                       const struct pact__counter_spec *spec, int ok,
                       double raw_j, int64_t t_ns, double *delta_j);
/* Close the window of an energy channel: mean power, W, or NaN when the
 * edge reading failed, the counter broke, or no delta was accepted. */
double pact__integ_energy_close(struct pact__integ *g, int edge_ok);

/* Feed a power sample (ok = 0: failed or implausible: left out, and the
 * trapezoid is not drawn across it: the window's mean covers only the
 * time between good neighbouring samples). */
void pact__integ_power(struct pact__integ *g, int ok, double w,
                       int64_t t_ns);
/* Close the window of a power channel: the time-weighted mean, W, or
 * the one sample it had, or NaN.  *u_w (may be NULL) gets the standard
 * uncertainty of that mean from sampling: the samples' standard
 * deviation over the square root of their number (the sampler spreads
 * its reads at random within each slot, so they are a stratified random
 * sample of the window), 0 with fewer than two. */
double pact__integ_power_close_u(struct pact__integ *g, double *u_w);
double pact__integ_power_close(struct pact__integ *g);

#endif
