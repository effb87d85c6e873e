/* SPDX-License-Identifier: MIT */
/*
 * pfa.c - Principal Feature Analysis with GSL's symmetric eigensolver on
 * the d x d correlation matrix (one sweep over the rows), then k-means
 * (kmeans.c) on the rows of the loading matrix.  Eigenvector signs are
 * fixed (largest component positive) so results do not depend on the
 * GSL version; k-means distances would not change anyway.
 */
#include "model/pfa.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>

#include "model/kmeans.h"
#include "pact/pact.h"

void pact__pfa_opts_init(struct pact__pfa_opts *o)
{
    o->q = 3;
    o->variance = 0;
    o->nsel = 0;
    o->seed = 0;
    o->original = 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Correlation matrix of the m active columns. */
static void correlation(const double *x, size_t n, size_t d,
                        const size_t *act, size_t m, const double *mean,
                        const double *sd, gsl_matrix *r, double *row)
{
    gsl_matrix_set_zero(r);
    for (size_t i = 0; i < n; i++) {
        for (size_t p = 0; p < m; p++)
            row[p] = (x[i * d + act[p]] - mean[act[p]]) / sd[act[p]];
        for (size_t p = 0; p < m; p++)
            for (size_t q = p; q < m; q++)
                *gsl_matrix_ptr(r, p, q) += row[p] * row[q];
    }
    for (size_t p = 0; p < m; p++)
        for (size_t q = p; q < m; q++) {
            double v = gsl_matrix_get(r, p, q) / (double)n;
            gsl_matrix_set(r, p, q, v);
            gsl_matrix_set(r, q, p, v);
        }
}

int pact__pfa_select(const double *x, size_t n, size_t d,
                     const struct pact__pfa_opts *o, size_t *sel,
                     size_t *q_used, char *why, size_t len)
{
    if (n == 0 || d == 0) {
        snprintf(why, len, "feature analysis: no data (%zu rows, %zu "
                 "columns)", n, d);
        return PACT_ENUMERIC;
    }
    double *mean = calloc(d, sizeof *mean), *sd = calloc(d, sizeof *sd);
    size_t *act = malloc(d * sizeof *act);
    double *row = malloc(d * sizeof *row);
    gsl_matrix *r = NULL, *v = NULL;
    gsl_vector *l = NULL;
    gsl_eigen_symmv_workspace *w = NULL;
    double *load = NULL, *cen = NULL;
    int *lab = NULL;
    size_t m = 0;
    int rc = 0;
    gsl_error_handler_t *old = gsl_set_error_handler_off();

    if (!mean || !sd || !act || !row)
        goto nomem;
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < n; i++)
            mean[j] += x[i * d + j];
        mean[j] /= (double)n;
        for (size_t i = 0; i < n; i++) {
            double t = x[i * d + j] - mean[j];
            sd[j] += t * t;
        }
        sd[j] = sqrt(sd[j] / (double)n);
        if (!isfinite(mean[j]) || !isfinite(sd[j])) {
            snprintf(why, len, "feature analysis: non-finite value in "
                     "column %zu", j);
            rc = PACT_ENUMERIC;
            goto out;
        }
        if (sd[j] > 1e-9 * fabs(mean[j]) && sd[j] > 0)
            act[m++] = j;
        else if (o->original) {
            sd[j] = 1; /* StandardScaler: a zero scale becomes 1 */
            act[m++] = j;
        }
    }
    if (m == 0) {
        snprintf(why, len, "feature analysis: every feature is constant "
                 "in the training rows; choose other --features");
        rc = PACT_ENUMERIC;
        goto out;
    }
    size_t nsel = o->nsel ? o->nsel : o->q;
    if (nsel >= m && !(o->variance > 0)) {
        memcpy(sel, act, m * sizeof *sel);
        if (q_used)
            *q_used = m;
        rc = (int)m;
        goto out;
    }
    r = gsl_matrix_alloc(m, m);
    v = gsl_matrix_alloc(m, m);
    l = gsl_vector_alloc(m);
    w = gsl_eigen_symmv_alloc(m);
    if (!r || !v || !l || !w)
        goto nomem;
    correlation(x, n, d, act, m, mean, sd, r, row);
    gsl_eigen_symmv(r, l, v, w);
    gsl_eigen_symmv_sort(l, v, GSL_EIGEN_SORT_VAL_DESC);

    size_t q = o->q;
    if (o->variance > 0) {
        double tot = 0, acc = 0;
        for (size_t k = 0; k < m; k++)
            tot += fmax(gsl_vector_get(l, k), 0);
        for (q = 0; q < m;) {
            acc += fmax(gsl_vector_get(l, q), 0);
            q++;
            if (acc >= o->variance * tot)
                break;
        }
        if (!o->nsel)
            nsel = q;
    }
    if (q < 1)
        q = 1;
    if (q > m)
        q = m;
    if (q_used)
        *q_used = q;
    if (nsel >= m) {
        memcpy(sel, act, m * sizeof *sel);
        rc = (int)m;
        goto out;
    }
    /* Loading rows: feature p at (v[p][0], ..., v[p][q-1]). */
    load = malloc(m * q * sizeof *load);
    cen = malloc(nsel * q * sizeof *cen);
    lab = malloc(m * sizeof *lab);
    if (!load || !cen || !lab)
        goto nomem;
    for (size_t k = 0; k < q; k++) {
        size_t big = 0;
        for (size_t p = 1; p < m; p++)
            if (fabs(gsl_matrix_get(v, p, k)) >
                fabs(gsl_matrix_get(v, big, k)))
                big = p;
        double sign = gsl_matrix_get(v, big, k) < 0 ? -1 : 1;
        for (size_t p = 0; p < m; p++)
            load[p * q + k] = sign * gsl_matrix_get(v, p, k);
    }
    struct pact__kmeans_opts ko;
    pact__kmeans_opts_init(&ko);
    ko.k = nsel;
    ko.seed = o->seed;
    ko.n_init = 10;
    int kk = pact__kmeans(load, m, q, &ko, cen, lab, NULL, why, len);
    if (kk < 0) {
        rc = kk;
        goto out;
    }
    size_t ns = 0;
    if (o->original) {
        /* Each group's member nearest its centre (the lower column on a
         * tie, as a stable sort by distance keeps it first). */
        for (int c = 0; c < kk; c++) {
            size_t best = m;
            double bd = INFINITY;
            for (size_t p = 0; p < m; p++) {
                if (lab[p] != c)
                    continue;
                double dd = 0;
                for (size_t k = 0; k < q; k++) {
                    double t = load[p * q + k] - cen[(size_t)c * q + k];
                    dd += t * t;
                }
                if (dd < bd) {
                    bd = dd;
                    best = p;
                }
            }
            if (best < m)
                sel[ns++] = act[best];
        }
        qsort(sel, ns, sizeof *sel, cmp_size);
        rc = (int)ns;
        goto out;
    }
    /* For each centre, the nearest feature not chosen yet. */
    char *taken = calloc(m, 1);
    if (!taken)
        goto nomem;
    for (int c = 0; c < kk; c++) {
        size_t best = m;
        double bd = INFINITY;
        for (size_t p = 0; p < m; p++) {
            double dd = 0;
            for (size_t k = 0; k < q; k++) {
                double t = load[p * q + k] - cen[(size_t)c * q + k];
                dd += t * t;
            }
            if (!taken[p] && dd < bd) {
                bd = dd;
                best = p;
            }
        }
        if (best < m) {
            taken[best] = 1;
            sel[ns++] = act[best];
        }
    }
    free(taken);
    qsort(sel, ns, sizeof *sel, cmp_size);
    rc = (int)ns;
    goto out;
nomem:
    snprintf(why, len, "feature analysis: out of memory");
    rc = -ENOMEM;
out:
    gsl_set_error_handler(old);
    gsl_eigen_symmv_free(w);
    gsl_vector_free(l);
    gsl_matrix_free(v);
    gsl_matrix_free(r);
    free(load);
    free(cen);
    free(lab);
    free(mean);
    free(sd);
    free(act);
    free(row);
    return rc;
}
