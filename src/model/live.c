/* SPDX-License-Identifier: MIT */
/*
 * live.c - the tracker's side of the model: map each model feature to a
 * field of struct pact__row once at open (or to a name looked up per
 * row, for counters and channels), then predict per row.  No smoothing:
 * a row is predicted on its own, as `pact model predict` does.
 */
#include "model/live.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/model_file.h"
#include "pact/pact.h"

enum src {
    SRC_BY_NAME = 0, /* a counter or a channel, looked up per row */
    SRC_UTIL_SM,
    SRC_UTIL_MEM,
    SRC_CPU,
    SRC_GPU,
    SRC_PSU,
    SRC_DUR,
};

struct pact__live_model {
    struct pact__model *m;
    int src[PACT__MODEL_MAX_FEATURES];
};

int pact__live_model_open(const char *path, struct pact__live_model **out,
                          char *why, size_t len)
{
    static const struct {
        const char *name;
        int src;
    } fixed[] = {
        {PACT__COL_UTIL_SM, SRC_UTIL_SM}, {PACT__COL_UTIL_MEM, SRC_UTIL_MEM},
        {PACT__COL_CPU, SRC_CPU},         {PACT__COL_GPU, SRC_GPU},
        {PACT__COL_PSU, SRC_PSU},         {PACT__COL_DUR, SRC_DUR},
    };
    *out = NULL;
    struct pact__model *m;
    int rc = pact__model_load(path, &m, why, len);
    if (rc < 0)
        return rc;
    if (pact__model_total_mode(m) == PACT__TOTAL_NONE) {
        snprintf(why, len, "%s: the model predicts '%s', not a total "
                 "power; fit one with --target %s", path, m->target,
                 PACT__COL_OTHER);
        pact__model_free(m);
        return PACT_EBADCONFIG;
    }
    struct pact__live_model *lm = calloc(1, sizeof *lm);
    if (!lm) {
        pact__model_free(m);
        snprintf(why, len, "%s: out of memory", path);
        return -ENOMEM;
    }
    lm->m = m;
    for (size_t j = 0; j < m->nf; j++) {
        lm->src[j] = SRC_BY_NAME;
        for (size_t k = 0; k < sizeof fixed / sizeof *fixed; k++)
            if (strcmp(m->feature[j], fixed[k].name) == 0)
                lm->src[j] = fixed[k].src;
    }
    *out = lm;
    return 0;
}

static double by_name(const struct pact__row *row, const char *name)
{
    for (int i = 0; i < row->nctr; i++)
        if (row->ctr_name && row->ctr_name[i] &&
            strcmp(row->ctr_name[i], name) == 0)
            return row->ctr_value ? row->ctr_value[i] : NAN;
    for (int i = 0; i < row->nch; i++)
        if (row->ch && strcmp(row->ch[i].name, name) == 0)
            return row->ch_value ? row->ch_value[i] : NAN;
    return NAN;
}

double pact__live_model_predict(const struct pact__live_model *lm,
                                const struct pact__row *row)
{
    if (!lm || !row)
        return NAN;
    const struct pact__model *m = lm->m;
    double x[PACT__MODEL_MAX_FEATURES];
    double period = row->perf_period_s > 0 ? row->perf_period_s
                                           : m->pp.perf_period_s;
    for (size_t j = 0; j < m->nf; j++) {
        double v;
        switch (lm->src[j]) {
        case SRC_UTIL_SM: v = row->gpu_util_sm; break;
        case SRC_UTIL_MEM: v = row->gpu_util_mem; break;
        case SRC_CPU: v = row->cpu_estimated ? NAN : row->cpu_power_w; break;
        case SRC_GPU: v = row->gpu_power_w; break;
        case SRC_PSU: v = row->psu_total_w; break;
        case SRC_DUR: v = row->duration_s; break;
        default: v = by_name(row, m->feature[j]); break;
        }
        x[j] = pact__model_feature(m, j, v, row->duration_s, period);
    }
    double pred = pact__model_predict(m, x);
    if (isnan(pred))
        return NAN;
    /* An estimated CPU power is not RAPL: the CSV leaves that column
     * empty, so the training target counted CPU power in Power_Other. */
    return pact__model_total(m, pred, row->gpu_power_w,
                             row->cpu_estimated ? NAN : row->cpu_power_w);
}

void pact__live_model_close(struct pact__live_model *lm)
{
    if (!lm)
        return;
    pact__model_free(lm->m);
    free(lm);
}

int pact__live_model_check(const struct pact__live_model *lm,
                           int counter_mode, double perf_period_s,
                           const char *present, char *why, size_t len)
{
    int mode = counter_mode == PACT_COUNTER_PACT ? PACT__CTR_SUMS
                                                 : PACT__CTR_WINDOW;
    return pact__model_check_basis(lm->m, mode, perf_period_s, present, why,
                                   len);
}
