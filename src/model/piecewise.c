/* SPDX-License-Identifier: MIT */
/*
 * piecewise.c - fit and apply the clustered linear model.  Scaling uses
 * the training minimum and maximum; rows outside that range scale
 * beyond 0..100 and still find their nearest centre.  All clusters'
 * least-squares fits share one two-sweep pass (ols.c).
 */
#include "model/piecewise.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ols.h"

double pact__minmax(double v, double lo, double hi)
{
    return hi > lo ? 100.0 * (v - lo) / (hi - lo) : 0.0;
}

void pact__piecewise_release(struct pact__piecewise *pw)
{
    free(pw->sel);
    free(pw->lo);
    free(pw->hi);
    free(pw->centre);
    free(pw->coef);
    free(pw->rows);
    free(pw->fallback);
    memset(pw, 0, sizeof *pw);
}

int pact__piecewise_fit(const double *x, const double *y, size_t n,
                        size_t nf, const double *global, const size_t *sel,
                        size_t nsel, const struct pact__kmeans_opts *ko,
                        struct pact__piecewise *pw, char *why, size_t len)
{
    size_t k = ko->k, k1 = nf + 1;
    memset(pw, 0, sizeof *pw);
    if (nsel == 0 || k == 0 || nsel > PACT__PW_MAX_SEL) {
        snprintf(why, len, "piecewise model: %zu clustering features and "
                 "%zu clusters; need 1..%d and at least 1", nsel, k,
                 PACT__PW_MAX_SEL);
        return -EINVAL;
    }
    pw->nsel = nsel;
    pw->sel = malloc(nsel * sizeof *pw->sel);
    pw->lo = malloc(nsel * sizeof *pw->lo);
    pw->hi = malloc(nsel * sizeof *pw->hi);
    pw->centre = malloc(k * nsel * sizeof *pw->centre);
    pw->coef = malloc(k * k1 * sizeof *pw->coef);
    pw->rows = calloc(k, sizeof *pw->rows);
    pw->fallback = calloc(k, sizeof *pw->fallback);
    double *z = malloc((n ? n : 1) * nsel * sizeof *z);
    int *label = malloc((n ? n : 1) * sizeof *label);
    int rc;
    if (!pw->sel || !pw->lo || !pw->hi || !pw->centre || !pw->coef ||
        !pw->rows || !pw->fallback || !z || !label) {
        snprintf(why, len, "piecewise model: out of memory");
        rc = -ENOMEM;
        goto out;
    }
    memcpy(pw->sel, sel, nsel * sizeof *sel);
    for (size_t s = 0; s < nsel; s++) {
        double lo = INFINITY, hi = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * nf + sel[s]];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        pw->lo[s] = lo;
        pw->hi[s] = hi;
        for (size_t i = 0; i < n; i++)
            z[i * nsel + s] = pact__minmax(x[i * nf + sel[s]], lo, hi);
    }
    rc = pact__kmeans(z, n, nsel, ko, pw->centre, label, NULL, why, len);
    if (rc < 0)
        goto out;
    pw->k = (size_t)rc;
    rc = pact__ols_fit(x, y, n, nf, label, pw->k, pw->coef, pw->rows, why,
                       len);
    if (rc < 0)
        goto out;
    for (size_t c = 0; c < pw->k; c++)
        if (pw->rows[c] < k1) {
            memcpy(pw->coef + c * k1, global, k1 * sizeof *global);
            pw->fallback[c] = 1;
        }
    rc = (int)pw->k;
out:
    free(z);
    free(label);
    if (rc < 0)
        pact__piecewise_release(pw);
    return rc;
}

size_t pact__piecewise_cluster(const struct pact__piecewise *pw,
                               const double *x)
{
    double z[PACT__PW_MAX_SEL];
    for (size_t s = 0; s < pw->nsel; s++)
        z[s] = pact__minmax(x[pw->sel[s]], pw->lo[s], pw->hi[s]);
    return pact__kmeans_nearest(pw->centre, pw->k, pw->nsel, z);
}

double pact__piecewise_predict(const struct pact__piecewise *pw, size_t nf,
                               const double *x)
{
    size_t c = pact__piecewise_cluster(pw, x);
    return pact__ols_predict(pw->coef + c * (nf + 1), x, nf);
}
