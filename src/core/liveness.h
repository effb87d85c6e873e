/* SPDX-License-Identifier: MIT */
/*
 * liveness.h - is a present source actually counting?  Over the first
 * PACT__LIVENESS_S seconds of a run, an energy counter that never
 * advances, or a power channel that never reads anything but exactly 0,
 * is "present but not counting" (a dead perf psys PMU reads 0 J forever).
 * A live device draws power even when idle, so no busy CPU is needed to
 * tell.  Only device channels that can feed a total are judged; rails,
 * core/uncore breakdowns and pact's fallback estimates are not.  The decision is the
 * core's: the channel is dropped with one line and the fallbacks (the
 * labelled estimate) take over.
 */
#ifndef PACT_CORE_LIVENESS_H
#define PACT_CORE_LIVENESS_H

#include <stddef.h>

#include "sensors/sensor.h"

#define PACT__LIVENESS_S 2.0   /* probation at the start of a run */
#define PACT__LIVENESS_MIN_S 0.2 /* less evidence than this: no verdict */

struct pact__alive {
    int readings; /* good readings seen */
    int moved;    /* a counter delta > 0 or a power reading != 0 */
};

/* Does this channel's liveness matter (it can feed a total)? */
int pact__alive_judged(const struct pact_channel *c);
void pact__alive_note(struct pact__alive *a, int ok, double moved_by);
/* After elapsed_s of observation: 1 (and a reason in why) if c is
 * present but not counting, else 0. */
int pact__alive_dead(const struct pact__alive *a,
                     const struct pact_channel *c, double elapsed_s,
                     char *why, size_t len);

#endif
