/* SPDX-License-Identifier: MIT */
/*
 * clock.h - monotonic and wall clocks in nanoseconds/seconds, and the
 * absolute-deadline sleep the sampler is built on.
 */
#ifndef PACT_CORE_CLOCK_H
#define PACT_CORE_CLOCK_H

#include <stdint.h>

#define PACT_NS_PER_S 1000000000LL

/* CLOCK_MONOTONIC now, ns. */
int64_t pact__now_ns(void);
/* CLOCK_REALTIME now, seconds since 1970 with ns resolution. */
double pact__unix_now(void);
/* Sleep until the CLOCK_MONOTONIC deadline (TIMER_ABSTIME): no drift
 * whatever the caller spent since the last wake-up.  A cancellation
 * point (the tracker stops its sampler with pthread_cancel here). */
void pact__sleep_until_ns(int64_t deadline_ns);

#endif
