/* SPDX-License-Identifier: MIT */
/*
 * nvml_read.c - cost of the NVML driver: time to open it (library load,
 * nvmlInit_v2, discovery) and per read() as the tracker calls it every
 * perf period (10 ms steps, so the slow values are re-read every 10th
 * call).  Run on a GPU machine for real figures; with PACT_NVML_LIB set
 * to the fake library it only measures the fake.
 *   usage: nvml_read [READS]   (default 2000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pact/pact.h"
#include "sensors/nvml.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void on_log(int level, const char *msg, void *user)
{
    (void)user;
    if (level <= PACT_LOG_NOTICE)
        fprintf(stderr, "  %s\n", msg);
}

int main(int argc, char **argv)
{
    long reads = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
    if (reads < 1)
        reads = 1;
    pact_set_log(on_log, NULL);
    struct pact_sensor_env env = {"", NULL};
    struct pact_channel ch[PACT_MAX_CHANNELS];
    struct pact_sample s[PACT_MAX_CHANNELS];
    char why[1024];
    void *st = NULL;
    double t0 = now_s();
    int n = pact_sensor_nvml.open(&env, &st, ch, PACT_MAX_CHANNELS, why,
                                  sizeof why);
    double t_open = now_s() - t0;
    if (n <= 0) {
        printf("nvml_read: nothing to read: %s\n", why);
        return 0;
    }
    printf("nvml_read: %s\n", why);
    printf("nvml_read: open (load, nvmlInit_v2, discovery): %.1f ms\n",
           t_open * 1e3);
    int64_t t_ns = 0;
    t0 = now_s();
    for (long i = 0; i < reads; i++) {
        pact_sensor_nvml.read(st, t_ns, s, n, why, sizeof why);
        t_ns += 10000000; /* the default perf period */
    }
    double per = (now_s() - t0) / (double)reads;
    printf("nvml_read: %ld reads of %d channels: %.1f us per read "
           "(%.2f %% of one core at a 10 ms perf period)\n", reads, n,
           per * 1e6, per / 0.01 * 100);
    for (int i = 0; i < n; i++)
        if (s[i].ok)
            printf("  %-22s %.3f\n", ch[i].name, s[i].value);
    t0 = now_s();
    pact_sensor_nvml.close(st);
    printf("nvml_read: close (nvmlShutdown, unload): %.1f ms\n",
           (now_s() - t0) * 1e3);
    return 0;
}
