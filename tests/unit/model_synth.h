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

#endif
