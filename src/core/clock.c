/* SPDX-License-Identifier: MIT */
/*
 * clock.c - see clock.h.  clock_nanosleep(TIMER_ABSTIME) is restarted
 * on EINTR with the same deadline, so a signal cannot shift the grid.
 */
#include "core/clock.h"

#include <errno.h>
#include <time.h>

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

void pact__sleep_until_ns(int64_t deadline_ns)
{
    struct timespec ts = {
        .tv_sec = (time_t)(deadline_ns / PACT_NS_PER_S),
        .tv_nsec = (long)(deadline_ns % PACT_NS_PER_S),
    };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
           EINTR)
        ;
}
