/* SPDX-License-Identifier: MIT */
/*
 * model_synth.h - synthetic data for the model tests: a seeded uniform
 * and normal generator (splitmix64 + Box-Muller), temporary directories,
 * and small file writers.  Included by tests/unit/test_model_*.c only.
 */
#ifndef PACT_TESTS_MODEL_SYNTH_H
#define PACT_TESTS_MODEL_SYNTH_H

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/kmeans.h"

static inline double syn_uniform(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * (double)(pact__rand64(s) >> 11) * 0x1.0p-53;
}

static inline double syn_normal(uint64_t *s, double sd)
{
    double u = syn_uniform(s, 1e-12, 1), v = syn_uniform(s, 0, 1);
    return sd * sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* A fresh temporary directory in buf ("/tmp/pact-model-XXXXXX"). */
static inline const char *syn_tmpdir(char *buf, size_t len)
{
    snprintf(buf, len, "/tmp/pact-model-XXXXXX");
    return mkdtemp(buf);
}

static inline int syn_write(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Remove dir and its plain files (one level). */
static inline void syn_rmdir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[1024];
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* The law the synthetic runs follow: Power_Other(W) from the original's
 * six features, counters per 0.01 s perf period. */
static const double syn_law[7] = {30, 0.3, 0.1, 0.5, 0.01, 0.002, 2e-5};

/*
 * Write DIR/NAME_TRIAL_PACT.csv with the original's columns: `rows` rows
 * of a workload whose load level is `load` (0..1), following syn_law
 * plus normal noise of sd `noise` W.  The first `lead` rows have empty
 * counter cells (counters not started yet).  Returns 0 or -1.
 */
static inline int syn_run(const char *dir, const char *name, int trial,
                          int rows, double load, int gpu, double noise,
                          int lead, uint64_t seed)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s_%d_PACT.csv", dir, name, trial);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    uint64_t s = seed;
    fprintf(f, "index,start_time,duration(s),Total_PSU_Power(W),"
            "Nvidia_SMI_Power(W),Intel_RAPL_Power(W),GPU_Util_SM(%%),"
            "GPU_Util_Memory(%%),migrations,faults,cache-misses,cycles\n");
    for (int i = 0; i < rows; i++) {
        double d = 1.0 + syn_uniform(&s, -0.002, 0.002);
        double sm = gpu ? 60 + 30 * sin(i / 9.0) + syn_uniform(&s, 0, 5)
                        : syn_uniform(&s, 0, 2);
        double mem = sm * 0.4 + syn_uniform(&s, 0, 10);
        double l = load * (1 + 0.3 * sin(i / 6.0));
        double f6[4] = {20 * l + syn_uniform(&s, 0, 3),
                        300 * l + syn_uniform(&s, 0, 40),
                        1e4 * l + syn_uniform(&s, 0, 800),
                        1e6 * l + syn_uniform(&s, 0, 5e4)};
        double other = syn_law[0] + syn_law[1] * sm + syn_law[2] * mem;
        for (int k = 0; k < 4; k++)
            other += syn_law[3 + k] * f6[k];
        other += syn_normal(&s, noise);
        double g = gpu ? 100 + 2 * sm : 15, c = 20 + 80 * l;
        fprintf(f, "%d,2024-01-01 00:00:%02d,%.6f,%.6f,%.3f,%.3f,%.4f,%.4f",
                i, i % 60, d, other + g + c, g, c, sm, mem);
        for (int k = 0; k < 4; k++) {
            if (i < lead)
                fprintf(f, ",");
            else
                fprintf(f, ",%.3f", f6[k] * 100 * d); /* raw counts */
        }
        fprintf(f, "\n");
    }
    return fclose(f);
}

#endif
