/* SPDX-License-Identifier: MIT */
/*
 * counter.c - wrap, reset and backward-step policy for energy counters
 * (see counter.h for the rules).
 */
#include "core/counter.h"

#include <math.h>

static void rebase(struct pact__counter *c, double raw_j, int64_t t_ns)
{
    c->prev_j = raw_j;
    c->prev_ns = t_ns;
    c->have = 1;
}

int pact__counter_step(struct pact__counter *c,
                       const struct pact__counter_spec *spec, int ok,
                       double raw_j, int64_t t_ns, double *delta_j,
                       double *dt_s)
{
    double range = spec->range_j > 0 ? spec->range_j : 0;
    if (!ok || !isfinite(raw_j))
        return PACT__CTR_FAILED;
    if (raw_j < 0 || (range > 0 && raw_j >= range))
        return PACT__CTR_OUT_OF_RANGE;
    if (!c->have) {
        rebase(c, raw_j, t_ns);
        return PACT__CTR_BASELINE;
    }
    if (t_ns <= c->prev_ns)
        return PACT__CTR_WAIT;
    double dt = (double)(t_ns - c->prev_ns) / 1e9;
    double pmax = spec->max_power_w;
    /* Within dt a wrapping counter can wrap more than once when dt x
     * pmax reaches its range: the count of wraps is then unknown. */
    if (range > 0 && dt * pmax >= range) {
        rebase(c, raw_j, t_ns);
        return PACT__CTR_AMBIGUOUS;
    }
    double d;
    if (raw_j >= c->prev_j) {
        d = raw_j - c->prev_j;
        if (d == 0 && dt < spec->update_period_s)
            return PACT__CTR_WAIT; /* not refreshed yet: keep waiting */
    } else if (range > 0 && (raw_j + range - c->prev_j) / dt <= pmax) {
        d = raw_j + range - c->prev_j; /* one wrap, plausible */
    } else {
        rebase(c, raw_j, t_ns);
        return PACT__CTR_RESET;
    }
    if (d / dt > pmax) {
        rebase(c, raw_j, t_ns);
        return PACT__CTR_IMPLAUSIBLE;
    }
    rebase(c, raw_j, t_ns);
    *delta_j = d;
    *dt_s = dt;
    return PACT__CTR_DELTA;
}

const char *pact__counter_step_text(int step)
{
    switch (step) {
    case PACT__CTR_FAILED:
        return "read failed";
    case PACT__CTR_OUT_OF_RANGE:
        return "raw value outside the counter's range";
    case PACT__CTR_RESET:
        return "counter went back without a plausible wrap (reset)";
    case PACT__CTR_IMPLAUSIBLE:
        return "counter jumped faster than the channel's maximum power";
    case PACT__CTR_AMBIGUOUS:
        return "read interval too long to count the counter's wraps";
    default:
        return "ok";
    }
}
