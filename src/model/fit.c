/* SPDX-License-Identifier: MIT */
/*
 * fit.c - the fitting half of the model pipeline.  Degenerate training
 * data end here as one-line errors (nothing to fit) or as notices through
 * the log (constant feature: slope 0; small cluster: global fit; fewer
 * distinct points than clusters: fewer clusters).
 */
#include "model/fit.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "model/csv_basis.h"
#include "model/ols.h"
#include "model/piecewise.h"
#include "pact/pact.h"

void pact__fit_opts_init(struct pact__fit_opts *o)
{
    memset(o, 0, sizeof *o);
    o->type = PACT__MODEL_PIECEWISE;
    o->clusters = 5;
    o->seed = 0;
    o->pfa = 1;
    pact__pfa_opts_init(&o->pfa_opts);
}

/* Copy the usable training rows into x (n * nf) and y. */
static size_t gather(const struct pact__dataset *d, double *x, double *y)
{
    size_t nf = d->nf, n = 0;
    for (size_t w = 0; w < d->nw; w++) {
        const struct pact__workload *wl = &d->w[w];
        for (size_t r = 0; r < wl->ntrain; r++) {
            const double *row = wl->v + r * d->ncol;
            int ok = isfinite(row[nf + PACT__DS_TARGET]);
            for (size_t j = 0; j < nf && ok; j++)
                ok = isfinite(row[j]);
            if (!ok)
                continue;
            if (x) {
                memcpy(x + n * nf, row, nf * sizeof *x);
                y[n] = row[nf + PACT__DS_TARGET];
            }
            n++;
        }
    }
    return n;
}

/* Error if some column has no number in the training part. */
static int check_columns(const struct pact__dataset *d,
                         const char *const *feature, const char *target,
                         size_t *ntrain, char *why, size_t len)
{
    size_t nf = d->nf;
    *ntrain = 0;
    for (size_t j = 0; j <= nf; j++) {
        size_t cnt = 0;
        for (size_t w = 0; w < d->nw; w++) {
            if (j == 0)
                *ntrain += d->w[w].ntrain;
            for (size_t r = 0; r < d->w[w].ntrain; r++)
                cnt += isfinite(d->w[w].v[r * d->ncol + j]) != 0;
        }
        if (cnt)
            continue;
        if (*ntrain == 0)
            snprintf(why, len, "no training rows: the inputs are too short "
                     "for a train fraction; record longer runs or raise "
                     "--split");
        else if (j < nf)
            snprintf(why, len, "column '%s' has no value in the %zu "
                     "training rows; drop it from --features", feature[j],
                     *ntrain);
        else
            snprintf(why, len, "target '%s' has no value in the %zu "
                     "training rows; it needs PSU readings", target,
                     *ntrain);
        return PACT_ENUMERIC;
    }
    return 0;
}

static void note_constant(const double *x, size_t n, size_t nf,
                          const char *const *feature)
{
    for (size_t j = 0; j < nf; j++) {
        size_t i = 1;
        while (i < n && x[i * nf + j] == x[j])
            i++;
        if (i >= n)
            pact__log(PACT_LOG_WARN, "feature '%s' is constant in the "
                      "training rows: its slope is 0", feature[j]);
    }
}

/* The clustering features: explicit names, PFA, or all. */
static int choose(const double *x, size_t n, const struct pact__dataset *d,
                  const char *const *feature,
                  const struct pact__fit_opts *o, size_t *sel, char *why,
                  size_t len)
{
    size_t nf = d->nf;
    if (o->ncluster_feature) {
        size_t ns = 0;
        for (size_t c = 0; c < o->ncluster_feature; c++) {
            size_t j = 0;
            while (j < nf && strcmp(feature[j], o->cluster_feature[c]))
                j++;
            if (j == nf) {
                snprintf(why, len, "clustering feature '%s' is not one of "
                         "--features", o->cluster_feature[c]);
                return PACT_EBADCONFIG;
            }
            sel[ns++] = j;
        }
        return (int)ns;
    }
    if (!o->pfa) {
        for (size_t j = 0; j < nf; j++)
            sel[j] = j;
        return (int)nf;
    }
    struct pact__pfa_opts po = o->pfa_opts;
    po.seed = o->seed;
    size_t q = 0;
    if (o->pfa_x) {
        x = o->pfa_x;
        n = o->pfa_n;
    }
    int ns = pact__pfa_select(x, n, nf, &po, sel, &q, why, len);
    if (ns > 0) {
        char list[512] = "";
        size_t at = 0;
        for (int s = 0; s < ns && at < sizeof list; s++) {
            int w = snprintf(list + at, sizeof list - at, "%s%s",
                             s ? "," : "", feature[sel[s]]);
            at += w > 0 ? (size_t)w : 0;
        }
        pact__log(PACT_LOG_NOTICE, "feature analysis (%zu components) "
                  "chose %s for clustering", q, list);
    }
    return ns;
}

int pact__model_fit(const struct pact__dataset *d,
                    const char *const *feature, const int *per_period,
                    const char *target, const struct pact__pp_opts *pp,
                    const struct pact__fit_opts *o,
                    struct pact__model **out, char *why, size_t len)
{
    size_t nf = d->nf, ntrain;
    *out = NULL;
    int rc = check_columns(d, feature, target, &ntrain, why, len);
    if (rc < 0)
        return rc;
    size_t n = gather(d, NULL, NULL);
    if (n < nf + 1) {
        snprintf(why, len, "%zu usable training rows for %zu features; "
                 "need at least %zu: record longer runs, lower --window "
                 "or use fewer --features", n, nf, nf + 1);
        return PACT_ENUMERIC;
    }
    if (n < ntrain)
        pact__log(PACT_LOG_NOTICE, "%zu of %zu training rows left out: a "
                  "feature or the target is empty there", ntrain - n,
                  ntrain);
    double *x = malloc(n * nf * sizeof *x), *y = malloc(n * sizeof *y);
    size_t sel[PACT__MODEL_MAX_FEATURES];
    struct pact__model *m = pact__model_new(nf);
    if (!x || !y || !m) {
        rc = -ENOMEM;
        goto out;
    }
    gather(d, x, y);
    note_constant(x, n, nf, feature);
    m->target = strdup(target);
    if (!m->target) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t j = 0; j < nf; j++) {
        if (!(m->feature[j] = strdup(feature[j]))) {
            rc = -ENOMEM;
            goto out;
        }
        m->per_period[j] = per_period ? per_period[j]
                                      : pact__column_is_counter(feature[j]);
    }
    m->pp = *pp;
    m->counter_mode = d->counter_mode;
    char list[128];
    pact__basis_list(d->power_mask, list, sizeof list);
    if (!(m->subtracted = strdup(list))) {
        rc = -ENOMEM;
        goto out;
    }
    m->seed = o->seed;
    m->ntrain = n;
    m->type = o->type;
    rc = pact__ols_fit(x, y, n, nf, NULL, 1, m->ols, NULL, why, len);
    if (rc < 0 || o->type != PACT__MODEL_PIECEWISE)
        goto out;
    int ns = choose(x, n, d, feature, o, sel, why, len);
    if (ns < 0) {
        rc = ns;
        goto out;
    }
    struct pact__kmeans_opts ko;
    pact__kmeans_opts_init(&ko);
    ko.k = o->clusters;
    ko.seed = o->seed;
    rc = pact__piecewise_fit(x, y, n, nf, m->ols, sel, (size_t)ns, &ko,
                             &m->pw, why, len);
    if (rc < 0)
        goto out;
    if (m->pw.k < o->clusters)
        pact__log(PACT_LOG_WARN, "only %zu distinct points to cluster: "
                  "the model has %zu clusters, not %zu", m->pw.k, m->pw.k,
                  o->clusters);
    for (size_t c = 0; c < m->pw.k; c++)
        if (m->pw.fallback[c])
            pact__log(PACT_LOG_WARN, "cluster %zu has %zu training rows, "
                      "fewer than %zu: it uses the global fit", c,
                      m->pw.rows[c], nf + 1);
    rc = 0;
out:
    if (rc == -ENOMEM)
        snprintf(why, len, "fitting the model: out of memory");
    free(x);
    free(y);
    if (rc < 0)
        pact__model_free(m);
    else
        *out = m;
    return rc;
}
