/* SPDX-License-Identifier: MIT */
/*
 * model.c - the fitted model's life cycle and its prediction rule.
 */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/ols.h"
#include "pact/pact.h"

struct pact__model *pact__model_new(size_t nf)
{
    struct pact__model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->nf = nf;
    m->feature = calloc(nf ? nf : 1, sizeof *m->feature);
    m->per_period = calloc(nf ? nf : 1, sizeof *m->per_period);
    m->ols = calloc(nf + 1, sizeof *m->ols);
    pact__pp_opts_init(&m->pp);
    m->counter_mode = PACT__CTR_UNKNOWN;
    if (!m->feature || !m->per_period || !m->ols) {
        pact__model_free(m);
        return NULL;
    }
    return m;
}

void pact__model_free(struct pact__model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nf && m->feature; i++)
        free(m->feature[i]);
    free(m->feature);
    free(m->per_period);
    free(m->target);
    free(m->subtracted);
    free(m->ols);
    pact__piecewise_release(&m->pw);
    free(m);
}

double pact__model_predict(const struct pact__model *m, const double *x)
{
    for (size_t j = 0; j < m->nf; j++)
        if (!isfinite(x[j]))
            return NAN;
    if (m->type == PACT__MODEL_PIECEWISE && m->pw.k > 0)
        return pact__piecewise_predict(&m->pw, m->nf, x);
    return pact__ols_predict(m->ols, x, m->nf);
}

double pact__model_feature(const struct pact__model *m, size_t j,
                           double raw, double duration_s,
                           double perf_period_s)
{
    if (!m->per_period[j] || !m->pp.normalise)
        return raw;
    return duration_s > 0 ? raw / (duration_s / perf_period_s) : NAN;
}

int pact__model_total_mode(const struct pact__model *m)
{
    if (m->target && strcmp(m->target, PACT__COL_OTHER) == 0)
        return PACT__TOTAL_ADD;
    if (m->target && strcmp(m->target, PACT__COL_PSU) == 0)
        return PACT__TOTAL_SELF;
    return PACT__TOTAL_NONE;
}

double pact__model_total(const struct pact__model *m, double pred,
                         double gpu_w, double cpu_w)
{
    switch (pact__model_total_mode(m)) {
    case PACT__TOTAL_ADD:
        return pred + (isnan(gpu_w) ? 0 : gpu_w) + (isnan(cpu_w) ? 0 : cpu_w);
    case PACT__TOTAL_SELF:
        return pred;
    default:
        return NAN;
    }
}

int pact__column_is_counter(const char *name)
{
    static const char *const plain[] = {"index", "start_time", "region",
                                        "time", "timestamp", "unix_time"};
    /* pact's extended columns carry their unit as a suffix. */
    static const char *const unit[] = {"_w", "_j", "_g", "_pct", "_s",
                                       "_c", "_v", "_a", "_rpm", "_mhz",
                                       "_mib"};
    size_t l = strlen(name);
    if (strchr(name, '(') || !*name)
        return 0;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (strcmp(name, plain[i]) == 0)
            return 0;
    for (size_t i = 0; i < sizeof unit / sizeof *unit; i++) {
        size_t ul = strlen(unit[i]);
        if (l > ul && strcmp(name + l - ul, unit[i]) == 0)
            return 0;
    }
    return 1;
}

const char *pact__ctr_name(int mode)
{
    return mode == PACT__CTR_WINDOW ? "window"
         : mode == PACT__CTR_SUMS   ? "pact" : "unknown";
}

/* 1 if the comma list has the item. */
static int has_item(const char *list, const char *item)
{
    size_t l = strlen(item);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == l && !strncmp(p, item, l))
            return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

int pact__model_check_basis(const struct pact__model *m, int mode,
                            double perf_period_s, const char *present,
                            char *why, size_t len)
{
    if (m->counter_mode != PACT__CTR_UNKNOWN && mode != PACT__CTR_UNKNOWN &&
        mode != m->counter_mode) {
        snprintf(why, len, "the model was fitted on counter mode '%s' "
                 "(%s) and this data is '%s'; record with --counter-mode "
                 "%s or refit", pact__ctr_name(m->counter_mode),
                 m->counter_mode == PACT__CTR_SUMS ? "running-total sums"
                                                   : "counts per window",
                 pact__ctr_name(mode), pact__ctr_name(m->counter_mode));
        return PACT_EBADCONFIG;
    }
    if (m->counter_mode == PACT__CTR_SUMS && perf_period_s > 0 &&
        fabs(perf_period_s - m->pp.perf_period_s) >
            1e-9 * m->pp.perf_period_s) {
        snprintf(why, len, "the model was fitted with perf period %g s "
                 "and this data has %g s: running-total sums scale with "
                 "it; record with --perf-period %g or refit",
                 m->pp.perf_period_s, perf_period_s, m->pp.perf_period_s);
        return PACT_EBADCONFIG;
    }
    if (m->subtracted && present &&
        pact__model_total_mode(m) == PACT__TOTAL_ADD) {
        static const char *const col[2] = {PACT__COL_GPU, PACT__COL_CPU};
        for (int i = 0; i < 2; i++) {
            int was = has_item(m->subtracted, col[i]);
            int is = has_item(present, col[i]);
            if (was == is)
                continue;
            snprintf(why, len, "the model was fitted %s %s in its runs "
                     "(so Power_Other %s that power) and this data %s it; "
                     "fit on runs with the same power sources",
                     was ? "with" : "without", col[i],
                     was ? "excludes" : "includes",
                     is ? "has" : "lacks");
            return PACT_EBADCONFIG;
        }
    }
    return 0;
}
