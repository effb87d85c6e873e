/* SPDX-License-Identifier: MIT */
/*
 * preprocess.h - pact's pre-processing (the original's steps, corrected:
 * docs/model.md), one function per step so each can be switched off and
 * tested alone.  All work on row-major
 * blocks of n rows by ncol doubles (NaN = missing) and never print.
 * Order used by the pipeline: skip leading rows, normalise counters,
 * running mean, trimmed mean across trials, split by time.
 */
#ifndef PACT_MODEL_PREPROCESS_H
#define PACT_MODEL_PREPROCESS_H

#include <stddef.h>

/* Which steps run, and their parameters. */
struct pact__pp_opts {
    int skip_leading;      /* 1: drop rows before the first counter reading */
    int normalise;         /* 1: counters per perf period */
    double perf_period_s;  /* the original's perf_measure_period, 0.01 */
    size_t window;         /* running-mean rows; 0 or 1 = off; 20 */
    int trim;              /* 1: drop highest and lowest trial by PSU */
    double train_fraction; /* first part of each workload for training */
    int pipeline;          /* enum pact__pipeline */
};

/* Which pipeline: pact's corrected one, or the original's number for
 * number (model/original.h). */
enum pact__pipeline {
    PACT__PIPE_PACT = 0,
    PACT__PIPE_ORIGINAL = 1,
};

/* Defaults: every step on, window 20, perf period 0.01 s, 70/30. */
void pact__pp_opts_init(struct pact__pp_opts *o);

/*
 * Number of leading rows before the first counter reading: rows in which
 * every column flagged in is_counter is NaN or 0.  0 when no column is
 * flagged.  n when no row has a reading.
 */
size_t pact__pp_leading(const double *v, size_t n, size_t ncol,
                        const int *is_counter);

/*
 * In place, counter columns become count / (duration_s / perf_period_s):
 * counts per perf period.  A row without a positive duration gets NaN.
 */
void pact__pp_normalise(double *v, size_t n, size_t ncol,
                        const int *is_counter, size_t dur_col,
                        double perf_period_s);

/*
 * In place running mean over window rows: output row i is the mean of
 * input rows i .. i+window-1 (pandas' rolling(window).mean() with its
 * leading partial windows dropped).  NaN cells are left out of a mean; a
 * window with no value gives NaN.  Returns the new row count,
 * n - window + 1, or 0 when n < window; window <= 1 returns n unchanged.
 */
size_t pact__pp_running_mean(double *v, size_t n, size_t ncol,
                             size_t window);

/*
 * Per time step mean across ntrials trials of n[i] rows each; the output
 * has min(n[i]) rows (the trials are cut to the shortest).  With trim
 * and at least 3 trials whose psu_col cell is a number at that step, the
 * trial with the highest and the one with the lowest PSU power are left
 * out (the original's trimmed mean); trials whose PSU cell is NaN are
 * left out of that step when any trial has one.  NaN cells are left out
 * of each column's mean.  psu_col < 0: plain mean.  out (ncol * rows)
 * is allocated here; the caller frees it.  Returns rows or -ENOMEM.
 */
long pact__pp_trimmed_mean(const double *const *trial, const size_t *n,
                           size_t ntrials, size_t ncol, long psu_col,
                           int trim, double **out);

/* Rows for training from the start of n time-ordered rows:
 * floor(n * fraction), clamped to 0..n. */
size_t pact__pp_split(size_t n, double fraction);

#endif
