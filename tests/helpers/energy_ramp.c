/* SPDX-License-Identifier: MIT */
/*
 * energy_ramp.c - a stand-in for a RAPL energy counter: rewrites FILE
 * (atomically, via rename) every millisecond with the microjoules a
 * constant WATTS source has used since start, for SECONDS.  Usage:
 * energy_ramp FILE WATTS SECONDS.  The CLI tests point pact at it.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    /* A hardware counter moves whatever the load: keep the 1 ms rewrite
     * cadence on a busy machine with a real-time priority (root only;
     * it sleeps between writes, so it cannot starve anything). */
    struct sched_param sp = {.sched_priority = 1};
    sched_setscheduler(0, SCHED_FIFO, &sp);
    if (argc != 4) {
        fprintf(stderr, "usage: energy_ramp FILE WATTS SECONDS\n");
        return 2;
    }
    char tmp[4096];
    double watts = strtod(argv[2], NULL), secs = strtod(argv[3], NULL);
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    double t0 = now_s();
    struct timespec ms = { 0, 1000000 };
    for (;;) {
        double t = now_s() - t0;
        FILE *f = fopen(tmp, "w");
        if (!f)
            return 1;
        fprintf(f, "%.0f\n", watts * t * 1e6);
        if (fclose(f) != 0 || rename(tmp, argv[1]) != 0)
            return 1;
        if (t >= secs)
            return 0;
        nanosleep(&ms, NULL);
    }
}
