/* SPDX-License-Identifier: MIT */
/*
 * clock.h - monotonic and wall clocks in nanoseconds/seconds, and the
 * absolute-deadline sleep the sampler is built on.
 */
#ifndef PACT_CORE_CLOCK_H
#define PACT_CORE_CLOCK_H

#include <pthread.h>
#include <stdint.h>

#define PACT_NS_PER_S 1000000000LL

/* Seconds to ns, rounded, saturating at +-INT64_MAX/2 (NaN gives 0), so a
 * conversion never overflows; callers check ranges first. */
int64_t pact__s_to_ns(double s);

/* CLOCK_MONOTONIC now, ns. */
int64_t pact__now_ns(void);
/* CLOCK_REALTIME now, seconds since 1970 with ns resolution. */
double pact__unix_now(void);
/* Make cond wait on CLOCK_MONOTONIC. */
void pact__cond_init_monotonic(pthread_cond_t *cond);

/* Sleep, with mu held on entry and on return, until the CLOCK_MONOTONIC
 * deadline: an absolute deadline, as clock_nanosleep(TIMER_ABSTIME), so
 * there is no drift whatever the caller spent since the last wake-up; but
 * one that another thread can cut short by setting *stop and signalling
 * cond.  Returns 1 when stopped, 0 at the deadline. */
int pact__wait_until_ns(pthread_cond_t *cond, pthread_mutex_t *mu,
                        int64_t deadline_ns, const int *stop);

#endif
