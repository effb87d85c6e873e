/* SPDX-License-Identifier: MIT */
/*
 * clock.c - see clock.h.  The sampler's sleep is a timed wait on a
 * CLOCK_MONOTONIC condition variable with an absolute deadline (the kernel
 * sleeps on the same absolute hrtimer as clock_nanosleep(TIMER_ABSTIME)),
 * so nothing can shift the grid and stop() can wake it.
 */
#include "core/clock.h"

#include <errno.h>
#include <math.h>
#include <time.h>

int64_t pact__s_to_ns(double s)
{
    const double lim = (double)(INT64_MAX / 2);
    double ns = s * 1e9;
    if (isnan(ns))
        return 0;
    if (ns >= lim)
        return INT64_MAX / 2;
    if (ns <= -lim)
        return -(INT64_MAX / 2);
    return (int64_t)llround(ns);
}

int64_t pact__now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * PACT_NS_PER_S + ts.tv_nsec;
}

double pact__unix_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pact__cond_init_monotonic(pthread_cond_t *cond)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(cond, &a);
    pthread_condattr_destroy(&a);
}

int pact__wait_until_ns(pthread_cond_t *cond, pthread_mutex_t *mu,
                        int64_t deadline_ns, const int *stop)
{
    struct timespec ts = {
        .tv_sec = (time_t)(deadline_ns / PACT_NS_PER_S),
        .tv_nsec = (long)(deadline_ns % PACT_NS_PER_S),
    };
    /* Spurious wake-ups and signals re-wait on the same deadline. */
    while (!*stop) {
        if (pthread_cond_timedwait(cond, mu, &ts) == ETIMEDOUT)
            return *stop;
        if (pact__now_ns() >= deadline_ns)
            return *stop;
    }
    return 1;
}
