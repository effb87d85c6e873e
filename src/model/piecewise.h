/* SPDX-License-Identifier: MIT */
/*
 * piecewise.h - the original's piecewise linear model: k-means on a few
 * features min-max scaled to 0..100, one least-squares fit (on every
 * feature) per cluster; a row is predicted by its nearest centre's fit.
 */
#ifndef PACT_MODEL_PIECEWISE_H
#define PACT_MODEL_PIECEWISE_H

#include <stddef.h>

#include "model/kmeans.h"

/* Most features a piecewise model may cluster on. */
#define PACT__PW_MAX_SEL 64

struct pact__piecewise {
    size_t k;        /* clusters */
    size_t nsel;     /* features clustered on */
    size_t *sel;     /* their indices among the nf features */
    double *lo;      /* nsel training minima ... */
    double *hi;      /* ... and maxima, for the 0..100 scaling */
    double *centre;  /* k * nsel, scaled units */
    double *coef;    /* k * (nf + 1): intercept, slopes */
    size_t *rows;    /* training rows per cluster */
    int *fallback;   /* 1: too few rows, the cluster uses the global fit */
};

/* 100 * (v - lo) / (hi - lo); 0 when the training range is empty. */
double pact__minmax(double v, double lo, double hi);

/*
 * Fit on n rows of nf features x and target y (all finite), clustering on
 * the nsel columns in sel.  global is the all-rows OLS fit (nf + 1
 * values): a cluster with fewer than nf + 1 rows takes it instead of its
 * own fit (fallback[c] = 1).  nsel is at most PACT__PW_MAX_SEL.  Fills
 * *pw, which the caller releases with pact__piecewise_release.  Returns the cluster count (may be below
 * ko->k when there are fewer distinct points), or < 0 with why.
 */
int pact__piecewise_fit(const double *x, const double *y, size_t n,
                        size_t nf, const double *global, const size_t *sel,
                        size_t nsel, const struct pact__kmeans_opts *ko,
                        struct pact__piecewise *pw, char *why, size_t len);

/* Cluster of one row of nf features (the nearest scaled centre). */
size_t pact__piecewise_cluster(const struct pact__piecewise *pw,
                               const double *x);

/* Prediction for one row of nf features. */
double pact__piecewise_predict(const struct pact__piecewise *pw, size_t nf,
                               const double *x);

/* Free the arrays inside pw (not pw itself) and zero it. */
void pact__piecewise_release(struct pact__piecewise *pw);

#endif
