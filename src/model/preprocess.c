/* SPDX-License-Identifier: MIT */
/*
 * preprocess.c - pact's pre-processing steps, after the original's but
 * corrected (docs/model.md lists each difference): leading-row skip,
 * counter normalisation per row (before smoothing, so each row's own
 * duration is used), running mean with n - window + 1 rows, trimmed mean
 * across trials and the time-ordered split.  Each step is a pure function
 * on a row-major block; the pipeline (dataset.c) chains them.  The
 * original's steps, quirks included, are in original.c.
 */
#include "model/preprocess.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void pact__pp_opts_init(struct pact__pp_opts *o)
{
    o->skip_leading = 1;
    o->normalise = 1;
    o->perf_period_s = 0.01;
    o->window = 20;
    o->trim = 1;
    o->train_fraction = 0.7;
    o->pipeline = PACT__PIPE_PACT;
}

size_t pact__pp_leading(const double *v, size_t n, size_t ncol,
                        const int *is_counter)
{
    int any = 0;
    for (size_t c = 0; c < ncol; c++)
        any |= is_counter[c] != 0;
    if (!any)
        return 0;
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < ncol; c++) {
            double x = v[r * ncol + c];
            if (is_counter[c] && !isnan(x) && x != 0)
                return r;
        }
    return n;
}

void pact__pp_normalise(double *v, size_t n, size_t ncol,
                        const int *is_counter, size_t dur_col,
                        double perf_period_s)
{
    for (size_t r = 0; r < n; r++) {
        double *row = v + r * ncol;
        double periods = row[dur_col] / perf_period_s;
        for (size_t c = 0; c < ncol; c++) {
            if (!is_counter[c])
                continue;
            row[c] = periods > 0 ? row[c] / periods : NAN;
        }
    }
}

size_t pact__pp_running_mean(double *v, size_t n, size_t ncol,
                             size_t window)
{
    if (window <= 1)
        return n;
    if (n < window)
        return 0;
    size_t nout = n - window + 1;
    /* Output row i only reads input rows >= i, so in place is safe. */
    for (size_t i = 0; i < nout; i++)
        for (size_t c = 0; c < ncol; c++) {
            double sum = 0;
            size_t cnt = 0;
            for (size_t k = 0; k < window; k++) {
                double x = v[(i + k) * ncol + c];
                if (!isnan(x)) {
                    sum += x;
                    cnt++;
                }
            }
            v[i * ncol + c] = cnt ? sum / (double)cnt : NAN;
        }
    return nout;
}

long pact__pp_trimmed_mean(const double *const *trial, const size_t *n,
                           size_t ntrials, size_t ncol, long psu_col,
                           int trim, double **out)
{
    size_t rows = ntrials ? n[0] : 0;
    for (size_t i = 1; i < ntrials; i++)
        if (n[i] < rows)
            rows = n[i];
    double *o = malloc((rows ? rows : 1) * ncol * sizeof *o);
    char *use = malloc(ntrials ? ntrials : 1);
    if (!o || !use) {
        free(o);
        free(use);
        return -ENOMEM;
    }
    for (size_t r = 0; r < rows; r++) {
        size_t ranked = 0, hi = 0, lo = 0;
        for (size_t i = 0; i < ntrials; i++) {
            use[i] = 1;
            if (psu_col < 0)
                continue;
            double p = trial[i][r * ncol + (size_t)psu_col];
            if (isnan(p))
                continue;
            /* Ties: like a stable sort, the first of the lowest and the
             * last of the highest go, so equal trials still trim two. */
            if (!ranked ||
                p >= trial[hi][r * ncol + (size_t)psu_col])
                hi = i;
            if (!ranked ||
                p < trial[lo][r * ncol + (size_t)psu_col])
                lo = i;
            ranked++;
        }
        if (ranked > 0)
            for (size_t i = 0; i < ntrials; i++)
                use[i] = !isnan(trial[i][r * ncol + (size_t)psu_col]);
        if (trim && ranked >= 3 && hi != lo) {
            use[hi] = 0;
            use[lo] = 0;
        }
        for (size_t c = 0; c < ncol; c++) {
            double sum = 0;
            size_t cnt = 0;
            for (size_t i = 0; i < ntrials; i++) {
                double x = trial[i][r * ncol + c];
                if (use[i] && !isnan(x)) {
                    sum += x;
                    cnt++;
                }
            }
            o[r * ncol + c] = cnt ? sum / (double)cnt : NAN;
        }
    }
    free(use);
    *out = o;
    return (long)rows;
}

size_t pact__pp_split(size_t n, double fraction)
{
    if (!(fraction > 0))
        return 0;
    if (fraction >= 1)
        return n;
    /* The small bias keeps 0.7 * 10 at 7 despite binary rounding. */
    double t = floor((double)n * fraction + 1e-9);
    return t > (double)n ? n : (size_t)t;
}
