/* SPDX-License-Identifier: MIT */
/*
 * rapl_counter.c - stand-in for powercap energy_uj files: every
 * millisecond for SECONDS, rewrite each FILE (atomically, via rename) with
 * START + WATTS x elapsed in microjoules, wrapped past MAX as the kernel's
 * counter wraps past max_energy_range_uj.  Usage:
 *   rapl_counter SECONDS FILE WATTS START_UJ MAX_UJ [FILE WATTS START MAX]...
 */
#include <math.h>
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
    if (argc < 6 || (argc - 2) % 4 != 0) {
        fprintf(stderr, "usage: rapl_counter SECONDS FILE WATTS START_UJ "
                        "MAX_UJ [FILE WATTS START_UJ MAX_UJ]...\n");
        return 2;
    }
    double secs = strtod(argv[1], NULL);
    int n = (argc - 2) / 4;
    double t0 = now_s();
    struct timespec ms = {0, 1000000};
    for (;;) {
        double t = now_s() - t0;
        for (int i = 0; i < n; i++) {
            char **a = argv + 2 + 4 * i, tmp[4096];
            double w = strtod(a[1], NULL), start = strtod(a[2], NULL);
            double max = strtod(a[3], NULL);
            double uj = fmod(start + w * t * 1e6, max + 1);
            snprintf(tmp, sizeof tmp, "%s.tmp", a[0]);
            FILE *f = fopen(tmp, "w");
            if (!f)
                return 1;
            fprintf(f, "%.0f\n", floor(uj));
            if (fclose(f) != 0 || rename(tmp, a[0]) != 0)
                return 1;
        }
        if (t >= secs)
            return 0;
        nanosleep(&ms, NULL);
    }
}
