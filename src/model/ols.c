/* SPDX-License-Identifier: MIT */
/*
 * ols.c - least squares through the normal equations of centred,
 * standardised features, solved with GSL's symmetric eigensolver.  Two
 * sweeps over the rows (means, then the Gram matrix) whatever the number
 * of groups, so a piecewise fit costs about as much as a global one.
 * Standardising keeps the condition number of the small matrix near that
 * of the data's correlation matrix; the pseudo-inverse copes with what
 * remains (duplicate or constant columns).
 */
#include "model/ols.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_matrix.h>

#include "pact/pact.h"

double pact__ols_predict(const double *coef, const double *x, size_t nf)
{
    double s = coef[0];
    for (size_t j = 0; j < nf; j++)
        s += coef[j + 1] * x[j];
    return s;
}

/* Slopes from the centred Gram matrix g (nf x nf, upper triangle filled)
 * and cross products c = Xc'yc of one group of cnt rows. */
static int solve(const double *g, const double *c, const double *mean,
                 size_t nf, size_t cnt, double *slope)
{
    size_t act[64], *a = nf <= 64 ? act : malloc(nf * sizeof *a);
    double sd[64], *s = nf <= 64 ? sd : malloc(nf * sizeof *s);
    size_t m = 0;
    int rc = 0;

    if (!a || !s) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t j = 0; j < nf; j++) {
        slope[j] = 0;
        double var = g[j * nf + j] / (double)cnt;
        /* Constant: no spread, or spread at rounding level of the mean. */
        if (var > 0 && sqrt(var) > 1e-9 * fabs(mean[j])) {
            s[j] = sqrt(g[j * nf + j]);
            a[m++] = j;
        }
    }
    if (m == 0)
        goto out;
    gsl_matrix *r = gsl_matrix_alloc(m, m);
    gsl_matrix *v = gsl_matrix_alloc(m, m);
    gsl_vector *l = gsl_vector_alloc(m);
    gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(m);
    if (!r || !v || !l || !w) {
        rc = -ENOMEM;
    } else {
        for (size_t p = 0; p < m; p++)
            for (size_t q = p; q < m; q++) {
                size_t i = a[p], j = a[q];
                double gij = g[i * nf + j] / (s[i] * s[j]);
                gsl_matrix_set(r, p, q, gij);
                gsl_matrix_set(r, q, p, gij);
            }
        gsl_eigen_symmv(r, l, v, w);
        double lmax = 0;
        for (size_t k = 0; k < m; k++)
            if (gsl_vector_get(l, k) > lmax)
                lmax = gsl_vector_get(l, k);
        for (size_t k = 0; k < m; k++) {
            double lk = gsl_vector_get(l, k);
            if (!(lk > lmax * 1e-12))
                continue;
            double proj = 0;
            for (size_t p = 0; p < m; p++)
                proj += gsl_matrix_get(v, p, k) * c[a[p]] / s[a[p]];
            proj /= lk;
            for (size_t p = 0; p < m; p++)
                slope[a[p]] += gsl_matrix_get(v, p, k) * proj;
        }
        for (size_t p = 0; p < m; p++)
            slope[a[p]] /= s[a[p]];
    }
    gsl_eigen_symmv_free(w);
    gsl_vector_free(l);
    gsl_matrix_free(v);
    gsl_matrix_free(r);
out:
    if (a != act)
        free(a);
    if (s != sd)
        free(s);
    return rc;
}

int pact__ols_fit(const double *x, const double *y, size_t n, size_t nf,
                  const int *label, size_t ngroups, double *coef,
                  size_t *count, char *why, size_t len)
{
    size_t k1 = nf + 1;
    if (ngroups == 0 || (!label && ngroups != 1)) {
        snprintf(why, len, "least squares: bad group count %zu", ngroups);
        return -EINVAL;
    }
    /* Per group: sums of x and y, then Gram (nf*nf) and x'y (nf). */
    double *mean = calloc(ngroups * k1, sizeof *mean);
    size_t *cnt = calloc(ngroups, sizeof *cnt);
    double *gram = calloc(ngroups * nf * nf + 1, sizeof *gram);
    double *xy = calloc(ngroups * nf + 1, sizeof *xy);
    double *row = malloc(k1 * sizeof *row);
    int rc = 0;
    gsl_error_handler_t *old = gsl_set_error_handler_off();

    if (!mean || !cnt || !gram || !xy || !row) {
        snprintf(why, len, "least squares: out of memory");
        rc = -ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int g = label ? label[i] : 0;
        if (g < 0 || (size_t)g >= ngroups)
            continue;
        const double *xi = x + i * nf;
        double *m = mean + (size_t)g * k1;
        for (size_t j = 0; j < nf; j++)
            m[j] += xi[j];
        m[nf] += y[i];
        cnt[g]++;
    }
    for (size_t g = 0; g < ngroups; g++) {
        double *m = mean + g * k1;
        for (size_t j = 0; j < k1; j++) {
            if (!isfinite(m[j])) {
                snprintf(why, len, "least squares: non-finite input "
                         "(NaN or infinite value in column %zu)", j);
                rc = PACT_ENUMERIC;
                goto out;
            }
            m[j] = cnt[g] ? m[j] / (double)cnt[g] : 0;
        }
    }
    for (size_t i = 0; i < n; i++) {
        int g = label ? label[i] : 0;
        if (g < 0 || (size_t)g >= ngroups)
            continue;
        const double *xi = x + i * nf, *m = mean + (size_t)g * k1;
        double *gg = gram + (size_t)g * nf * nf, *c = xy + (size_t)g * nf;
        double yc = y[i] - m[nf];
        for (size_t j = 0; j < nf; j++)
            row[j] = xi[j] - m[j];
        for (size_t j = 0; j < nf; j++) {
            double rj = row[j];
            double *gj = gg + j * nf;
            for (size_t l = j; l < nf; l++)
                gj[l] += rj * row[l];
            c[j] += rj * yc;
        }
    }
    for (size_t g = 0; g < ngroups; g++) {
        double *b = coef + g * k1;
        const double *m = mean + g * k1;
        if (count)
            count[g] = cnt[g];
        if (cnt[g] == 0) {
            for (size_t j = 0; j < k1; j++)
                b[j] = NAN;
            continue;
        }
        rc = solve(gram + g * nf * nf, xy + g * nf, m, nf, cnt[g], b + 1);
        if (rc < 0) {
            snprintf(why, len, "least squares: out of memory");
            goto out;
        }
        b[0] = m[nf];
        for (size_t j = 0; j < nf; j++)
            b[0] -= b[j + 1] * m[j];
    }
out:
    gsl_set_error_handler(old);
    free(mean);
    free(cnt);
    free(gram);
    free(xy);
    free(row);
    return rc;
}
