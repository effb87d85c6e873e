/* SPDX-License-Identifier: MIT */
/*
 * counter.h - the one policy for energy counters, whatever device they
 * come from: wraps, resets, backward steps, failed reads and absurd raw
 * values.  A driver reports the raw counter in J; this helper turns two
 * readings into an energy delta over their own read interval, or says why
 * there is none.  Policy (docs/energy.md):
 *  - a failed read or a raw value outside [0, range) gives no delta and
 *    keeps the baseline, so the next good reading spans the failure and
 *    no energy is lost;
 *  - a step back is a wrap only if the counter has a range and the
 *    wrapped delta is plausible at the channel's maximum power; otherwise
 *    it is a reset: no delta, and the baseline restarts (the caller says
 *    so in one line);
 *  - a step forward faster than the maximum power is implausible: no
 *    delta, baseline restarts;
 *  - an interval so long that a wrapping counter could have wrapped more
 *    than once is ambiguous: no delta, baseline restarts;
 *  - a counter that has not moved for less than its update period keeps
 *    its baseline (the device has not refreshed it yet).
 */
#ifndef PACT_CORE_COUNTER_H
#define PACT_CORE_COUNTER_H

#include <stdint.h>

struct pact__counter {
    double prev_j;    /* last accepted raw value */
    int64_t prev_ns;  /* its read time */
    int have;         /* a baseline exists */
};

enum pact__counter_step {
    PACT__CTR_DELTA = 0,    /* *delta_j over *dt_s is valid */
    PACT__CTR_BASELINE,     /* first reading: the baseline is set */
    PACT__CTR_WAIT,         /* unchanged within the update period, or no
                               time passed: nothing yet, baseline kept */
    PACT__CTR_FAILED,       /* failed read: nothing, baseline kept */
    PACT__CTR_OUT_OF_RANGE, /* raw < 0 or >= range: as a failed read */
    PACT__CTR_RESET,        /* went back, not a plausible wrap */
    PACT__CTR_IMPLAUSIBLE,  /* forward faster than the maximum power */
    PACT__CTR_AMBIGUOUS,    /* too long an interval to count wraps */
};

struct pact__counter_spec {
    double range_j;         /* wraps to 0 at this value; 0 = never */
    double max_power_w;     /* > 0 */
    double update_period_s; /* refresh period of the device; 0 = none */
};

/* One reading (ok = 0: the read failed).  Returns enum
 * pact__counter_step; on PACT__CTR_DELTA sets *delta_j >= 0 and
 * *dt_s > 0 (the reading's own interval since the last accepted one). */
int pact__counter_step(struct pact__counter *c,
                       const struct pact__counter_spec *spec, int ok,
                       double raw_j, int64_t t_ns, double *delta_j,
                       double *dt_s);

/* Words for a step outcome, for the one-line warnings. */
const char *pact__counter_step_text(int step);

#endif
