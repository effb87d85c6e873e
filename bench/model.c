/* SPDX-License-Identifier: MIT */
/*
 * model.c - benchmark of the model fits: 1 000 000 synthetic rows of the
 * original's six features drawn from five linear regimes; times the OLS
 * fit, the piecewise fit (min-max scaling to 0..100 of all six features,
 * k-means with 5 clusters, one least squares per cluster) and pact's
 * default fit (PFA choosing 3 clustering features, then piecewise).
 * With --dump FILE it writes the rows (n x 7 float64: features, target)
 * for bench/model_sklearn.py to fit the same data.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/kmeans.h"
#include "model/metrics.h"
#include "model/ols.h"
#include "model/pfa.h"
#include "model/piecewise.h"

#define NF 6

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double unif(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * (double)(pact__rand64(s) >> 11) * 0x1.0p-53;
}

/* Five regimes (idle, cpu, io, vm, gpu-like) of the six features:
 * GPU_Util_SM, GPU_Util_Memory, migrations, faults, cache-misses and
 * cycles per perf period, with a different linear law each. */
static void generate(double *x, double *y, size_t n)
{
    static const double lo[5][NF] = {
        {0, 0, 0, 10, 1e2, 1e4},    {0, 0, 5, 100, 5e3, 8e5},
        {0, 0, 1, 400, 2e3, 2e5},   {0, 0, 2, 3000, 1e4, 5e5},
        {60, 20, 1, 50, 1e3, 3e5}};
    static const double hi[5][NF] = {
        {2, 1, 2, 50, 5e2, 5e4},    {2, 1, 20, 300, 1e4, 1e6},
        {2, 1, 4, 900, 4e3, 4e5},   {2, 1, 6, 6000, 3e4, 7e5},
        {100, 60, 3, 120, 3e3, 5e5}};
    static const double law[5][NF + 1] = {
        {40, 0.1, 0.1, 0.5, 0.01, 1e-3, 1e-5},
        {55, 0.1, 0.1, 0.8, 0.02, 2e-3, 4e-5},
        {48, 0.1, 0.1, 0.3, 0.03, 1e-3, 2e-5},
        {60, 0.1, 0.1, 0.2, 0.004, 5e-4, 3e-5},
        {70, 0.6, 0.3, 0.1, 0.01, 1e-3, 1e-5}};
    uint64_t s = 42;
    for (size_t i = 0; i < n; i++) {
        int r = (int)(i * 5 / n);
        double *p = x + i * NF, t = law[r][0];
        for (int j = 0; j < NF; j++) {
            p[j] = unif(&s, lo[r][j], hi[r][j]);
            t += law[r][j + 1] * p[j];
        }
        y[i] = t + unif(&s, -1, 1);
    }
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    size_t n = 1000000;
    int reps = 5;
    const char *dump = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            n = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = (int)strtol(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else {
            fprintf(stderr, "usage: model [--rows N] [--reps R] "
                    "[--dump FILE]\n");
            return 2;
        }
    }
    if (n < 100 || reps < 1 || reps > 50) {
        fprintf(stderr, "model: need --rows >= 100 and 1..50 --reps\n");
        return 2;
    }
    double *x = malloc(n * NF * sizeof *x), *y = malloc(n * sizeof *y);
    double *p = malloc(n * sizeof *p);
    double t_ols[50], t_pw[50], t_def[50];
    if (!x || !y || !p)
        return 1;
    generate(x, y, n);
    if (dump) {
        FILE *f = fopen(dump, "wb");
        if (!f) {
            fprintf(stderr, "model: %s: %s\n", dump, strerror(errno));
            return 1;
        }
        for (size_t i = 0; i < n; i++) {
            fwrite(x + i * NF, sizeof *x, NF, f);
            fwrite(y + i, sizeof *y, 1, f);
        }
        if (fclose(f) != 0)
            return 1;
    }
    char why[256];
    double b[NF + 1];
    struct pact__kmeans_opts ko;
    pact__kmeans_opts_init(&ko);
    size_t all[NF] = {0, 1, 2, 3, 4, 5};
    struct pact__piecewise pw;
    double r2_ols = 0, r2_pw = 0, inertia = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now_s();
        if (pact__ols_fit(x, y, n, NF, NULL, 1, b, NULL, why, sizeof why) <
            0) {
            fprintf(stderr, "model: %s\n", why);
            return 1;
        }
        double t1 = now_s();
        if (pact__ols_fit(x, y, n, NF, NULL, 1, b, NULL, why, sizeof why) <
                0 ||
            pact__piecewise_fit(x, y, n, NF, b, all, NF, &ko, &pw, why,
                                sizeof why) < 0) {
            fprintf(stderr, "model: %s\n", why);
            return 1;
        }
        double t2 = now_s();
        t_ols[r] = t1 - t0;
        t_pw[r] = t2 - t1;
        if (r == 0) {
            for (size_t i = 0; i < n; i++)
                p[i] = pact__ols_predict(b, x + i * NF, NF);
            r2_ols = pact__r2(y, p, n);
            inertia = 0;
            for (size_t i = 0; i < n; i++) {
                double z[NF];
                const double *xi = x + i * NF;
                for (int j = 0; j < NF; j++)
                    z[j] = pact__minmax(xi[j], pw.lo[j], pw.hi[j]);
                size_t c = pact__kmeans_nearest(pw.centre, pw.k, NF, z);
                for (int j = 0; j < NF; j++) {
                    double d = z[j] - pw.centre[c * NF + j];
                    inertia += d * d;
                }
                p[i] = pact__ols_predict(pw.coef + c * (NF + 1), xi, NF);
            }
            r2_pw = pact__r2(y, p, n);
        }
        pact__piecewise_release(&pw);
        /* pact's default: PFA picks 3 features, then piecewise. */
        double t3 = now_s();
        struct pact__pfa_opts po;
        pact__pfa_opts_init(&po);
        size_t sel[NF];
        int ns = pact__pfa_select(x, n, NF, &po, sel, NULL, why, sizeof why);
        if (ns < 0 || pact__ols_fit(x, y, n, NF, NULL, 1, b, NULL, why,
                                    sizeof why) < 0 ||
            pact__piecewise_fit(x, y, n, NF, b, sel, (size_t)ns, &ko, &pw,
                                why, sizeof why) < 0) {
            fprintf(stderr, "model: %s\n", why);
            return 1;
        }
        t_def[r] = now_s() - t3;
        pact__piecewise_release(&pw);
    }
    qsort(t_ols, (size_t)reps, sizeof *t_ols, cmp_d);
    qsort(t_pw, (size_t)reps, sizeof *t_pw, cmp_d);
    qsort(t_def, (size_t)reps, sizeof *t_def, cmp_d);
    printf("pact rows=%zu features=%d reps=%d (median seconds)\n", n, NF,
           reps);
    printf("pact ols_fit_s %.4f r2 %.6f\n", t_ols[reps / 2], r2_ols);
    printf("pact piecewise_fit_s %.4f r2 %.6f inertia %.6g\n",
           t_pw[reps / 2], r2_pw, inertia);
    printf("pact default_fit_s %.4f (PFA + piecewise on 3 features)\n",
           t_def[reps / 2]);
    free(x);
    free(y);
    free(p);
    return 0;
}
