/* SPDX-License-Identifier: MIT */
/*
 * pfa.h - Principal Feature Analysis (Lu, Cohen, Zhou and Tian, 2007):
 * choose a few original columns that carry the structure of the data, as
 * the original tool did to pick the features its piecewise model
 * clusters on.
 */
#ifndef PACT_MODEL_PFA_H
#define PACT_MODEL_PFA_H

#include <stddef.h>
#include <stdint.h>

struct pact__pfa_opts {
    size_t q;        /* principal components kept, default 3 */
    double variance; /* > 0: instead, the fewest components whose
                        variance fraction reaches this (e.g. 0.95) */
    size_t nsel;     /* features to choose; 0 = q (the original) */
    uint64_t seed;   /* k-means seed, default 0 */
    int original;    /* 1: the original's rules (--pipeline original):
                        constant columns stay in (standardised to 0, as
                        scikit-learn's StandardScaler does), and each
                        k-means group gives its own member nearest its
                        centre, ties to the lower column */
};

void pact__pfa_opts_init(struct pact__pfa_opts *o);

/*
 * Choose features among the d columns of x (n rows, row-major, finite):
 * standardise, take the eigenvectors of the correlation matrix, keep q
 * components, cluster the d rows of the loading matrix (features as
 * points in q dimensions) with k-means into nsel groups (10 seeded
 * starts), and keep the feature nearest each centre.  Constant columns
 * carry no structure and are never chosen.  sel receives the chosen
 * column indices in increasing order (at most nsel); q_used (if not
 * NULL) the number of components.  Returns the count chosen (>= 1; all
 * non-constant columns when there are no more than nsel of them), or
 * < 0 with a one-line reason in why (every column constant, no rows).
 */
int pact__pfa_select(const double *x, size_t n, size_t d,
                     const struct pact__pfa_opts *o, size_t *sel,
                     size_t *q_used, char *why, size_t len);

#endif
