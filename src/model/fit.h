/* SPDX-License-Identifier: MIT */
/*
 * fit.h - fit a model on the training part of a dataset: gather the rows
 * with every feature and the target, fit the global least squares, and
 * for a piecewise model choose the clustering features (PFA by default)
 * and fit one least squares per cluster.
 */
#ifndef PACT_MODEL_FIT_H
#define PACT_MODEL_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "model/dataset.h"
#include "model/model.h"
#include "model/pfa.h"

struct pact__fit_opts {
    int type;                  /* enum pact__model_type, piecewise */
    size_t clusters;           /* k-means clusters, 5 */
    uint64_t seed;             /* k-means and PFA seed, 0 */
    int pfa;                   /* 1: PFA chooses the clustering features;
                                  0: cluster on every feature */
    struct pact__pfa_opts pfa_opts;
    const char *const *cluster_feature; /* explicit choice (overrides
                                           pfa), names among features */
    size_t ncluster_feature;
    const double *pfa_x;       /* non-NULL: PFA runs on these pfa_n rows
                                  of nf features instead of the training
                                  rows (the original used every row) */
    size_t pfa_n;
};

void pact__fit_opts_init(struct pact__fit_opts *o);

/*
 * Fit on d (loaded with the same feature names, per-period flags, target
 * and pre-processing options, which the model records).  Rows with a NaN
 * feature or target are left out (a notice says how many).  Errors, with
 * one line in why: a feature or the target with no value in the training
 * rows, fewer usable rows than features + 1, a clustering feature that
 * is not a feature.  On success *out owns the model.
 */
int pact__model_fit(const struct pact__dataset *d,
                    const char *const *feature, const int *per_period,
                    const char *target, const struct pact__pp_opts *pp,
                    const struct pact__fit_opts *o,
                    struct pact__model **out, char *why, size_t len);

#endif
