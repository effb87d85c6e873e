/* SPDX-License-Identifier: MIT */
/*
 * original_score.c - the scoring half of `--pipeline original` (see
 * original.h): both of the original's predictors (its linearReg, the
 * model's global least-squares fit, and its piecewiseReg) and its figures
 * per test run: MAPE over max(|a|, machine epsilon) as scikit-learn's
 * mean_absolute_percentage_error, weighted MAPE over sum a, energy =
 * sum duration * P / 0.92 * 0.00000027778 kWh, r2.
 */
#include "model/original.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/metrics.h"

double *pact__orig_all_rows(const struct pact__dataset *d, size_t *n)
{
    size_t tot = 0, at = 0;
    for (size_t w = 0; w < d->nw; w++)
        tot += d->w[w].n;
    double *x = malloc((tot ? tot : 1) * d->nf * sizeof *x);
    if (!x)
        return NULL;
    /* The original's order: every training part, then every test part. */
    for (int part = 0; part < 2; part++)
        for (size_t w = 0; w < d->nw; w++) {
            size_t a = part ? d->w[w].ntrain : 0;
            size_t b = part ? d->w[w].n : d->w[w].ntrain;
            for (size_t r = a; r < b; r++)
                memcpy(x + at++ * d->nf, d->w[w].v + r * d->ncol,
                       d->nf * sizeof *x);
        }
    *n = at;
    return x;
}

double pact__orig_predict(const struct pact__model *m, int piecewise,
                          const double *x)
{
    if (piecewise && m->type == PACT__MODEL_PIECEWISE)
        return pact__piecewise_predict(&m->pw, m->nf, x);
    double p = m->ols[0];
    for (size_t j = 0; j < m->nf; j++)
        p += m->ols[j + 1] * x[j];
    return p;
}

static void figures(double *const col[5], size_t n, double eff, double ci,
                    struct pact__orig_stats *s)
{
    /* col: actual other, predicted other, actual total, predicted total,
     * duration. */
    double mo = 0, mt = 0, ao = 0, at = 0, so = 0, st = 0, ea = 0, ep = 0;
    for (size_t i = 0; i < n; i++) {
        double eo = fabs(col[0][i] - col[1][i]);
        double et = fabs(col[2][i] - col[3][i]);
        mo += eo / fmax(fabs(col[0][i]), DBL_EPSILON);
        mt += et / fmax(fabs(col[2][i]), DBL_EPSILON);
        ao += eo;
        at += et;
        so += col[0][i];
        st += col[2][i];
        ea += (1 / eff) * col[4][i] * col[2][i];
        ep += (1 / eff) * col[4][i] * col[3][i];
    }
    s->n = n;
    s->mape_other = n ? mo / (double)n : NAN;
    s->mape_total = n ? mt / (double)n : NAN;
    s->wmape_other = n ? ao / so : NAN;
    s->wmape_total = n ? at / st : NAN;
    s->energy_kwh = n ? ea * PACT__ORIG_KWH_PER_J : NAN;
    s->energy_pred_kwh = n ? ep * PACT__ORIG_KWH_PER_J : NAN;
    s->co2_g = s->energy_kwh * ci;
    s->co2_pred_g = s->energy_pred_kwh * ci;
    s->r2_other = n ? pact__r2(col[0], col[1], n) : NAN;
    s->r2_total = n ? pact__r2(col[2], col[3], n) : NAN;
}

long pact__orig_score(const struct pact__model *m,
                      const struct pact__dataset *d, int piecewise,
                      int train, double eff, double intensity,
                      struct pact__orig_stats *res)
{
    size_t tot = 0, nf = d->nf;
    for (size_t w = 0; w < d->nw; w++)
        tot += train ? d->w[w].ntrain : d->w[w].n - d->w[w].ntrain;
    size_t cap = tot ? tot : 1;
    double *buf = malloc(5 * cap * sizeof *buf);
    if (!buf)
        return -ENOMEM;
    double *col[5];
    for (int c = 0; c < 5; c++)
        col[c] = buf + (size_t)c * cap;
    size_t at = 0;
    for (size_t w = 0; w < d->nw; w++) {
        const struct pact__workload *wl = &d->w[w];
        size_t a = train ? 0 : wl->ntrain, b = train ? wl->ntrain : wl->n;
        size_t from = at;
        for (size_t r = a; r < b; r++, at++) {
            const double *row = wl->v + r * d->ncol, *x = row + nf;
            double p = pact__orig_predict(m, piecewise, row);
            col[0][at] = x[PACT__DS_TARGET];
            col[1][at] = p;
            col[2][at] = x[PACT__DS_PSU];
            col[3][at] = p + x[PACT__DS_CPU] + x[PACT__DS_GPU];
            col[4][at] = x[PACT__DS_DUR];
        }
        double *sub[5];
        for (int c = 0; c < 5; c++)
            sub[c] = col[c] + from;
        res[w].name = wl->name;
        figures(sub, at - from, eff, intensity, &res[w]);
    }
    res[d->nw].name = "ALL";
    figures(col, at, eff, intensity, &res[d->nw]);
    free(buf);
    return (long)at;
}
