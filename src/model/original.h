/* SPDX-License-Identifier: MIT */
/*
 * original.h - `--pipeline original`: the original research tool's
 * regression pipeline, number for number, quirks included (docs/model.md
 * lists each difference from pact's default pipeline and why pact's
 * default differs).  Loading groups files by the original's delimitPos
 * naming, skips through the first row with a cache-misses value, fills
 * empty cells with 0, takes a running mean that yields n - window rows,
 * then normalises every feature by the smoothed duration, takes the
 * trimmed mean of the trials and splits at int(n * 0.7).  Evaluation
 * scores every row of each test file with the original's MAPE, weighted
 * MAPE (sum |a - p| / sum a) and energy (kWh = J * 0.00000027778).
 */
#ifndef PACT_MODEL_ORIGINAL_H
#define PACT_MODEL_ORIGINAL_H

#include <stddef.h>

#include "model/dataset.h"
#include "model/model.h"

/* The original's constants. */
#define PACT__ORIG_KWH_PER_J 0.00000027778 /* 8e-6 relative above 1/3.6e6 */
#define PACT__ORIG_EFFICIENCY 0.92
#define PACT__ORIG_INTENSITY 646.0
#define PACT__ORIG_SPLIT 0.7

/*
 * Load nin files the original's way.  test = 0 (fit): files whose name
 * contains "PACT", ordered by their first '_'-separated word, a workload
 * per name less its last three '_' parts, at most max(rows of the
 * shortest file matching each first word, 200) rows per file, trials
 * averaged without the lowest and highest by PSU power, the first
 * int(n * 0.7) steps for training.  test = 1 (eval): one workload per
 * name less its last '_' part, every row, no trimming, no training part.
 * feature: nf columns, all normalised per perf period.  The target is
 * Power_Other(W) = PSU - (GPU + RAPL) of the averaged rows.  Returns 0
 * and *out, or < 0 with one line in why.
 */
int pact__orig_load(const struct pact__input *in, size_t nin,
                    const char *const *feature, size_t nf, int test,
                    double perf_period_s, size_t window,
                    struct pact__dataset **out, char *why, size_t len);

/* All rows (train and test parts) of d as an n * nf block, for PFA: the
 * original ran it on every row.  *n gets the count; NULL when out of
 * memory. */
double *pact__orig_all_rows(const struct pact__dataset *d, size_t *n);

/* Figures of one predictor on one workload (every row of d's part). */
struct pact__orig_stats {
    const char *name;
    size_t n;
    double mape_other, wmape_other;  /* fractions */
    double mape_total, wmape_total;
    double energy_kwh, co2_g, energy_pred_kwh, co2_pred_g;
    double r2_other, r2_total;
};

/* Prediction of Power_Other for one row of nf features by the model's
 * global least-squares fit (piecewise = 0, the original's linearReg) or
 * its piecewise fit (1, piecewiseReg). */
double pact__orig_predict(const struct pact__model *m, int piecewise,
                          const double *x);

/*
 * Score predictor piecewise (0/1) on rows [from, to) of each workload:
 * train = 1 scores the training parts, 0 the rest.  res[w] per workload
 * and res[d->nw] over all those rows together.  MAPE divides by
 * max(|a|, DBL_EPSILON) (scikit-learn's), weighted MAPE by sum a,
 * energy = sum duration * P / eff * PACT__ORIG_KWH_PER_J.  Returns the
 * number of rows, or -ENOMEM.
 */
long pact__orig_score(const struct pact__model *m,
                      const struct pact__dataset *d, int piecewise,
                      int train, double eff, double intensity,
                      struct pact__orig_stats *res);

#endif
