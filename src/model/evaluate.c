/* SPDX-License-Identifier: MIT */
/*
 * evaluate.c - apply a model to the test rows of a dataset and summarise
 * per workload and overall (metrics.c does the arithmetic).  A row counts
 * when the model could predict it and the PSU value is known; the same
 * rows feed the actual and the predicted figures.
 */
#include "model/evaluate.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "model/metrics.h"

/* Columns of the scratch block. */
enum { A_T, P_T, A_TOT, P_TOT, DUR, NCOL };

static void summarise(const struct pact__model *m, double *col[NCOL],
                      size_t n, double eff, double ci, struct pact__eval *e)
{
    int tot = pact__model_total_mode(m) != PACT__TOTAL_NONE;
    e->n = n;
    e->r2_target = pact__r2(col[A_T], col[P_T], n);
    e->mape_target = pact__mape(col[A_T], col[P_T], n);
    e->wmape_target = pact__wmape(col[A_T], col[P_T], n);
    e->r2_total = tot ? pact__r2(col[A_TOT], col[P_TOT], n) : NAN;
    e->mape_total = tot ? pact__mape(col[A_TOT], col[P_TOT], n) : NAN;
    e->wmape_total = tot ? pact__wmape(col[A_TOT], col[P_TOT], n) : NAN;
    e->energy_kwh = n ? pact__energy_kwh(col[A_TOT], col[DUR], n, eff) : NAN;
    e->energy_pred_kwh =
        n && tot ? pact__energy_kwh(col[P_TOT], col[DUR], n, eff) : NAN;
    e->co2_g = e->energy_kwh * ci;
    e->co2_pred_g = e->energy_pred_kwh * ci;
}

long pact__model_evaluate(const struct pact__model *m,
                          const struct pact__dataset *d,
                          double psu_efficiency, double intensity_g_per_kwh,
                          struct pact__eval *res)
{
    size_t total = 0, nf = d->nf;
    for (size_t w = 0; w < d->nw; w++)
        total += d->w[w].n - d->w[w].ntrain;
    double *buf = malloc((total ? total : 1) * NCOL * sizeof *buf);
    if (!buf)
        return -ENOMEM;
    double *col[NCOL];
    for (int c = 0; c < NCOL; c++)
        col[c] = buf + (size_t)c * (total ? total : 1);
    size_t at = 0;
    for (size_t w = 0; w < d->nw; w++) {
        const struct pact__workload *wl = &d->w[w];
        size_t start = at;
        for (size_t r = wl->ntrain; r < wl->n; r++) {
            const double *row = wl->v + r * d->ncol, *x = row + nf;
            double p = pact__model_predict(m, row);
            if (isnan(p) || isnan(x[PACT__DS_PSU]) ||
                isnan(x[PACT__DS_TARGET]))
                continue;
            col[A_T][at] = x[PACT__DS_TARGET];
            col[P_T][at] = p;
            col[A_TOT][at] = x[PACT__DS_PSU];
            col[P_TOT][at] = pact__model_total(m, p, x[PACT__DS_GPU],
                                               x[PACT__DS_CPU]);
            col[DUR][at] = x[PACT__DS_DUR];
            at++;
        }
        double *sub[NCOL];
        for (int c = 0; c < NCOL; c++)
            sub[c] = col[c] + start;
        res[w].name = wl->name;
        summarise(m, sub, at - start, psu_efficiency, intensity_g_per_kwh,
                  &res[w]);
    }
    res[d->nw].name = "ALL";
    summarise(m, col, at, psu_efficiency, intensity_g_per_kwh, &res[d->nw]);
    free(buf);
    return (long)at;
}
