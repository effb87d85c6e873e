/* SPDX-License-Identifier: MIT */
/*
 * ols.h - ordinary least squares with intercept, for one group of rows or
 * for several groups (the clusters of a piecewise model) in one sweep.
 * Coefficients are laid out [intercept, slope_1 .. slope_nf] per group.
 */
#ifndef PACT_MODEL_OLS_H
#define PACT_MODEL_OLS_H

#include <stddef.h>

/*
 * Fit y ~ b0 + x b for each group.  x is n rows of nf doubles
 * (row-major), y n doubles, all finite.  label[i] in 0..ngroups-1 says
 * which group row i belongs to (< 0: row unused); label NULL means one
 * group of every row (ngroups must be 1).  coef receives ngroups *
 * (nf + 1) doubles and count (if not NULL) the rows of each group.
 *
 * Method: centre each group, form the Gram matrix of the standardised
 * features, and apply its pseudo-inverse (eigenvalues below 1e-12 of the
 * largest dropped).  So a constant feature, a duplicated feature or a
 * group with fewer rows than nf + 1 still gets the minimum-norm least-
 * squares answer (slope 0 for a constant column), never NaN; a group
 * with no rows gets NaN coefficients and count 0, for the caller to
 * replace.  Returns 0, or < 0 (PACT_ENUMERIC for non-finite input,
 * -ENOMEM) with a one-line reason in why.
 */
int pact__ols_fit(const double *x, const double *y, size_t n, size_t nf,
                  const int *label, size_t ngroups, double *coef,
                  size_t *count, char *why, size_t len);

/* b0 + x . b for one row of nf features. */
double pact__ols_predict(const double *coef, const double *x, size_t nf);

#endif
