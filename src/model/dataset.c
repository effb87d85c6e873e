/* SPDX-License-Identifier: MIT */
/*
 * dataset.c - the loading half of the model pipeline: group files, read
 * each with csv_table.c, copy the needed columns into a block, derive
 * the target, then skip leading rows, normalise counters and smooth per
 * file, and average the trials of each workload (preprocess.c).
 */
#include "model/dataset.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "model/csv_basis.h"
#include "model/csv_table.h"
#include "model/model.h"
#include "pact/pact.h"

int pact__input_name(const char *path, char *workload, size_t wlen,
                     char *trial, size_t tlen)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t bl = strlen(base);
    static const char suffix[] = "_PACT.csv";
    size_t sl = sizeof suffix - 1;

    if (bl > sl && strcmp(base + bl - sl, suffix) == 0) {
        size_t stem = bl - sl;
        const char *us = NULL;
        for (const char *p = base; p < base + stem; p++)
            if (*p == '_')
                us = p;
        if (us && us > base && us + 1 < base + stem) {
            size_t nl = (size_t)(us - base), tl = stem - nl - 1;
            if (nl >= wlen || tl >= tlen)
                return -ENAMETOOLONG;
            memcpy(workload, base, nl);
            workload[nl] = '\0';
            memcpy(trial, us + 1, tl);
            trial[tl] = '\0';
            return 1;
        }
    }
    if (bl > 4 && strcmp(base + bl - 4, ".csv") == 0)
        bl -= 4;
    if (bl >= wlen || tlen < 1)
        return -ENAMETOOLONG;
    memcpy(workload, base, bl);
    workload[bl] = '\0';
    trial[0] = '\0';
    return 0;
}

size_t pact__dataset_train_values(const struct pact__dataset *d, size_t j)
{
    size_t cnt = 0;
    for (size_t w = 0; w < d->nw; w++)
        for (size_t r = 0; r < d->w[w].ntrain; r++)
            cnt += !isnan(d->w[w].v[r * d->ncol + j]);
    return cnt;
}

int pact__dataset_mode(struct pact__dataset *d, const char *path,
                       char *why, size_t len)
{
    int m = pact__csv_counter_mode(path, why, len);
    if (m < PACT__CTR_UNKNOWN)
        return m;
    if (m == PACT__CTR_UNKNOWN)
        return 0;
    if (d->counter_mode != PACT__CTR_UNKNOWN && m != d->counter_mode) {
        snprintf(why, len, "%s holds %s and the files before it %s; fit "
                 "on runs of one counter mode", path,
                 m == PACT__CTR_SUMS ? "running-total sums (counter mode "
                                       "pact, or the original tool)"
                                     : "window counts",
                 d->counter_mode == PACT__CTR_SUMS ? "running-total sums"
                                                   : "window counts");
        return PACT_EBADCONFIG;
    }
    d->counter_mode = m;
    return 0;
}

void pact__dataset_free(struct pact__dataset *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nw; i++) {
        free(d->w[i].name);
        free(d->w[i].v);
    }
    free(d->w);
    free(d);
}

/* Column index of name in t, checking that it holds numbers. */
static int numeric_col(const struct pact__table *t, const char *name,
                       int required, const char *hint, int *col, char *why,
                       size_t len)
{
    *col = pact__table_col(t, name);
    if (*col < 0) {
        if (!required)
            return 0;
        snprintf(why, len, "%s: no column '%s'%s", t->file, name, hint);
        return PACT_EFORMAT;
    }
    if (t->text_line[*col]) {
        snprintf(why, len, "%s:%ld: column '%s' holds text where a number "
                 "is expected; fix the cell", t->file,
                 t->text_line[*col], name);
        return PACT_EFORMAT;
    }
    return 0;
}

/* 1 if column col of t has at least one number. */
static int has_values(const struct pact__table *t, int col)
{
    if (col < 0)
        return 0;
    for (size_t r = 0; r < t->nrows; r++)
        if (!isnan(t->v[r * t->ncols + (size_t)col]))
            return 1;
    return 0;
}

/* Read one file into a block of ncol columns; returns rows or < 0. */
static long load_file(const char *path, const char *const *feature,
                      size_t nf, const int *is_ctr, const char *target,
                      const struct pact__pp_opts *o, double **blk,
                      int *mask, char *why, size_t len)
{
    struct pact__table *t = NULL;
    size_t ncol = nf + PACT__DS_EXTRA;
    int *src = malloc(ncol * sizeof *src);
    long rc = pact__table_read(path, &t, why, len);
    double *v = NULL;
    *blk = NULL;
    if (rc < 0)
        goto out;
    if (!src) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t j = 0; j < nf; j++)
        if ((rc = numeric_col(t, feature[j], 1,
                              "; choose --features among the file's "
                              "columns", &src[j], why, len)) < 0)
            goto out;
    int tcol, psu, gpu, cpu, dur;
    int derive = 0;
    if ((rc = numeric_col(t, target, 0, "", &tcol, why, len)) < 0)
        goto out;
    if (tcol < 0) {
        if (strcmp(target, PACT__COL_OTHER) != 0) {
            snprintf(why, len, "%s: no column '%s' for --target", path,
                     target);
            rc = PACT_EFORMAT;
            goto out;
        }
        derive = 1;
    }
    if ((rc = numeric_col(t, PACT__COL_PSU, derive,
                          ": Power_Other(W) = PSU - (GPU + RAPL) needs a "
                          "run recorded with a PSU meter",
                          &psu, why, len)) < 0 ||
        (rc = numeric_col(t, PACT__COL_GPU, 0, "", &gpu, why, len)) < 0 ||
        (rc = numeric_col(t, PACT__COL_CPU, 0, "", &cpu, why, len)) < 0 ||
        (rc = numeric_col(t, PACT__COL_DUR, 0, "", &dur, why, len)) < 0)
        goto out;
    int gpu_zero = !has_values(t, gpu), cpu_zero = !has_values(t, cpu);
    *mask |= (gpu_zero ? 0 : 1) | (cpu_zero ? 0 : 2);
    int need_dur = 0;
    for (size_t j = 0; j < nf; j++)
        need_dur |= o->normalise && is_ctr[j];
    if (need_dur && dur < 0) {
        snprintf(why, len, "%s: no column '%s' to normalise counters per "
                 "perf period; add it or use --no-normalise", path,
                 PACT__COL_DUR);
        rc = PACT_EFORMAT;
        goto out;
    }
    size_t n = t->nrows;
    v = malloc((n ? n : 1) * ncol * sizeof *v);
    if (!v) {
        rc = -ENOMEM;
        goto out;
    }
    for (size_t r = 0; r < n; r++) {
        double *row = v + r * ncol, *x = row + nf;
        for (size_t j = 0; j < nf; j++)
            row[j] = pact__table_get(t, r, src[j]);
        x[PACT__DS_PSU] = pact__table_get(t, r, psu);
        x[PACT__DS_GPU] = gpu_zero ? 0 : pact__table_get(t, r, gpu);
        x[PACT__DS_CPU] = cpu_zero ? 0 : pact__table_get(t, r, cpu);
        x[PACT__DS_DUR] = pact__table_get(t, r, dur);
        x[PACT__DS_TARGET] = derive ? x[PACT__DS_PSU] - (x[PACT__DS_GPU] +
                                                         x[PACT__DS_CPU])
                                   : pact__table_get(t, r, tcol);
    }
    /* Counter flags over the whole block (extras are never counters). */
    int flags[PACT__MODEL_MAX_FEATURES + PACT__DS_EXTRA] = {0};
    for (size_t j = 0; j < nf; j++)
        flags[j] = is_ctr[j];
    size_t skip = o->skip_leading ? pact__pp_leading(v, n, ncol, flags) : 0;
    if (skip) {
        memmove(v, v + skip * ncol, (n - skip) * ncol * sizeof *v);
        n -= skip;
    }
    if (o->normalise)
        pact__pp_normalise(v, n, ncol, flags, nf + PACT__DS_DUR,
                           o->perf_period_s);
    size_t before = n;
    n = pact__pp_running_mean(v, n, ncol, o->window);
    if (n == 0) {
        snprintf(why, len, "%s: %zu rows left after skipping %zu leading "
                 "rows without counter readings, fewer than the running-"
                 "mean window of %zu; use a smaller --window, --window 1 "
                 "or --no-skip-leading", path, before, skip, o->window);
        rc = PACT_ENUMERIC;
        goto out;
    }
    if (skip)
        pact__log(PACT_LOG_NOTICE, "%s: skipped %zu leading rows without "
                  "counter readings", path, skip);
    *blk = v;
    v = NULL;
    rc = (long)n;
out:
    if (rc == -ENOMEM)
        snprintf(why, len, "%s: out of memory", path);
    free(v);
    free(src);
    pact__table_free(t);
    return rc;
}

/* Find or add workload name; returns its index or -ENOMEM. */
static long workload_index(struct pact__dataset *d, const char *name)
{
    for (size_t i = 0; i < d->nw; i++)
        if (strcmp(d->w[i].name, name) == 0)
            return (long)i;
    struct pact__workload *w = realloc(d->w, (d->nw + 1) * sizeof *w);
    if (!w)
        return -ENOMEM;
    d->w = w;
    memset(&w[d->nw], 0, sizeof *w);
    if (!(w[d->nw].name = strdup(name)))
        return -ENOMEM;
    return (long)d->nw++;
}

int pact__dataset_load(const struct pact__input *in, size_t nin,
                       const char *const *feature, size_t nf,
                       const int *per_period, const char *target,
                       const struct pact__pp_opts *o,
                       struct pact__dataset **out, char *why, size_t len)
{
    *out = NULL;
    if (nin == 0) {
        snprintf(why, len, "no input files; give CSV files or directories");
        return -EINVAL;
    }
    if (nf == 0 || nf > PACT__MODEL_MAX_FEATURES) {
        snprintf(why, len, "%zu features; give 1 to %d with --features", nf,
                 PACT__MODEL_MAX_FEATURES);
        return PACT_EBADCONFIG;
    }
    int is_ctr[PACT__MODEL_MAX_FEATURES];
    for (size_t j = 0; j < nf; j++)
        is_ctr[j] = per_period ? per_period[j]
                               : pact__column_is_counter(feature[j]);
    struct pact__dataset *d = calloc(1, sizeof *d);
    long *wl = calloc(nin, sizeof *wl);
    double **blk = calloc(nin, sizeof *blk);
    size_t *rows = calloc(nin, sizeof *rows);
    size_t *tn = calloc(nin, sizeof *tn);
    const double **tb = calloc(nin, sizeof *tb);
    int rc = 0;
    if (!d || !wl || !blk || !rows || !tn || !tb) {
        rc = -ENOMEM;
        goto out;
    }
    d->nf = nf;
    d->ncol = nf + PACT__DS_EXTRA;
    d->counter_mode = PACT__CTR_UNKNOWN;
    for (size_t i = 0; i < nin; i++) {
        char name[256], trial[128];
        const char *wn = in[i].workload;
        if (!wn) {
            if (pact__input_name(in[i].path, name, sizeof name, trial,
                                 sizeof trial) < 0) {
                snprintf(why, len, "%s: file name too long", in[i].path);
                rc = -ENAMETOOLONG;
                goto out;
            }
            wn = name;
        }
        if ((wl[i] = workload_index(d, wn)) < 0) {
            rc = -ENOMEM;
            goto out;
        }
        if ((rc = pact__dataset_mode(d, in[i].path, why, len)) < 0)
            goto out;
        long n = load_file(in[i].path, feature, nf, is_ctr, target, o,
                           &blk[i], &d->power_mask, why, len);
        if (n < 0) {
            rc = (int)n;
            goto out;
        }
        rows[i] = (size_t)n;
    }
    for (size_t w = 0; w < d->nw; w++) {
        size_t nt = 0;
        for (size_t i = 0; i < nin; i++)
            if (wl[i] == (long)w) {
                tb[nt] = blk[i];
                tn[nt] = rows[i];
                nt++;
            }
        long n = pact__pp_trimmed_mean(tb, tn, nt, d->ncol,
                                       (long)(nf + PACT__DS_PSU), o->trim,
                                       &d->w[w].v);
        if (n < 0) {
            rc = (int)n;
            goto out;
        }
        d->w[w].ntrials = nt;
        d->w[w].n = (size_t)n;
        d->w[w].ntrain = pact__pp_split((size_t)n, o->train_fraction);
    }
    *out = d;
    d = NULL;
out:
    if (rc == -ENOMEM)
        snprintf(why, len, "loading the model inputs: out of memory");
    if (blk)
        for (size_t i = 0; i < nin; i++)
            free(blk[i]);
    free(blk);
    free(wl);
    free(rows);
    free(tn);
    free(tb);
    pact__dataset_free(d);
    return rc;
}
