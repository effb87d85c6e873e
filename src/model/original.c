/* SPDX-License-Identifier: MIT */
/*
 * original.c - the loading half of `--pipeline original` (see original.h;
 * scoring is original_score.c).  Written from the original's published
 * algorithm (its regression.py, piecewise.py and PFA.py); the golden test
 * (tests/cli/test_model_original.sh) checks the result against
 * scikit-learn on the same files.
 */
#include "model/original.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "model/csv_table.h"
#include "pact/pact.h"

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* The first '_'-separated word of a base name (the original's fileOrder
 * key for training files). */
static void first_word(const char *b, char *out, size_t len)
{
    size_t n = strcspn(b, "_");
    if (n >= len)
        n = len - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

/* The workload key: the base name less its last `drop` '_' parts (the
 * original's '_'.join(name.split('_')[:-drop])). */
static void key_of(const char *b, int drop, char *out, size_t len)
{
    size_t n = strlen(b);
    for (int k = 0; k < drop; k++) {
        while (n > 0 && b[n - 1] != '_')
            n--;
        if (n == 0)
            break;
        n--; /* the '_' itself */
    }
    if (n >= len)
        n = len - 1;
    memcpy(out, b, n);
    out[n] = '\0';
}

struct file {
    const char *path, *base;
    char first[128], key[256];
    size_t order;   /* index of its first word in the sorted word list */
    size_t rows;    /* data rows in the file */
    long wl;        /* workload index */
    int mask;       /* 1: GPU power has values, 2: RAPL */
    double *blk;    /* rows after reading, smoothing and normalising */
    size_t n;
};

static int cmp_order(const void *x, const void *y)
{
    const struct file *a = x, *b = y;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a < b ? -1 : a > b; /* stable: keep the given order */
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Read one file into f->blk: features (nf), then PACT__DS_EXTRA columns
 * (target left 0 until the trials are averaged). */
static int read_file(struct file *f, size_t num, const char *const *feature,
                     size_t nf, double pp, size_t window, char *why,
                     size_t len)
{
    struct pact__table *t = NULL;
    int rc = pact__table_read(f->path, &t, why, len);
    if (rc < 0)
        return rc;
    size_t ncol = nf + PACT__DS_EXTRA;
    int src[PACT__MODEL_MAX_FEATURES + PACT__DS_EXTRA];
    for (size_t j = 0; j < nf; j++)
        if ((src[j] = pact__table_col(t, feature[j])) < 0) {
            snprintf(why, len, "%s: no column '%s'; the original pipeline "
                     "needs every feature column", f->path, feature[j]);
            pact__table_free(t);
            return PACT_EFORMAT;
        }
    src[nf + PACT__DS_TARGET] = -1;
    src[nf + PACT__DS_PSU] = pact__table_col(t, PACT__COL_PSU);
    src[nf + PACT__DS_GPU] = pact__table_col(t, PACT__COL_GPU);
    src[nf + PACT__DS_CPU] = pact__table_col(t, PACT__COL_CPU);
    src[nf + PACT__DS_DUR] = pact__table_col(t, PACT__COL_DUR);
    for (size_t r = 0; r < t->nrows; r++) {
        if (!isnan(pact__table_get(t, r, src[nf + PACT__DS_GPU])))
            f->mask |= 1;
        if (!isnan(pact__table_get(t, r, src[nf + PACT__DS_CPU])))
            f->mask |= 2;
    }
    if (src[nf + PACT__DS_PSU] < 0 || src[nf + PACT__DS_DUR] < 0) {
        snprintf(why, len, "%s: the original pipeline needs the columns "
                 "'%s' and '%s'", f->path, PACT__COL_PSU, PACT__COL_DUR);
        pact__table_free(t);
        return PACT_EFORMAT;
    }
    /* Start after the first row with a cache-misses value. */
    int cm = pact__table_col(t, "cache-misses");
    size_t start = 0;
    for (size_t r = 0; cm >= 0 && r < t->nrows; r++)
        if (!isnan(pact__table_get(t, r, cm))) {
            start = r + 1;
            break;
        }
    size_t end = start + num < t->nrows ? start + num : t->nrows;
    size_t n = end > start ? end - start : 0;
    if (n <= window) {
        snprintf(why, len, "%s: %zu rows after the first row with a "
                 "cache-misses value; the original's running mean of %zu "
                 "needs more than %zu", f->path, n, window, window);
        pact__table_free(t);
        return PACT_ENUMERIC;
    }
    double *raw = malloc(n * ncol * sizeof *raw);
    size_t m = window > 1 ? n - window : n;
    double *v = malloc(m * ncol * sizeof *v);
    if (!raw || !v) {
        free(raw);
        free(v);
        pact__table_free(t);
        snprintf(why, len, "%s: out of memory", f->path);
        return -ENOMEM;
    }
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < ncol; c++) {
            double x = pact__table_get(t, start + r, src[c]);
            raw[r * ncol + c] = isnan(x) ? 0 : x; /* fillna(0) */
        }
    /* Running mean: rows i .. i+window-1 for i < n - window. */
    for (size_t i = 0; i < m; i++)
        for (size_t c = 0; c < ncol; c++) {
            double s = 0;
            size_t w = window > 1 ? window : 1;
            for (size_t k = 0; k < w; k++)
                s += raw[(i + k) * ncol + c];
            v[i * ncol + c] = s / (double)w;
        }
    /* Then every feature per perf period, by the smoothed duration. */
    for (size_t i = 0; i < m; i++) {
        double *row = v + i * ncol;
        double periods = row[nf + PACT__DS_DUR] / pp;
        for (size_t j = 0; j < nf; j++)
            row[j] = row[j] / periods;
    }
    free(raw);
    pact__table_free(t);
    f->blk = v;
    f->n = m;
    return 0;
}

/* Trimmed mean across nt trials of equal length n (drop lowest and
 * highest `drop` by PSU, stable order), then the target. */
static int average(struct file **tr, size_t nt, size_t nf, int drop,
                   struct pact__workload *w, char *why, size_t len)
{
    size_t ncol = nf + PACT__DS_EXTRA, n = tr[0]->n;
    for (size_t i = 1; i < nt; i++)
        if (tr[i]->n != n) {
            snprintf(why, len, "%s has %zu rows and %s %zu after reading: "
                     "the original pipeline averages trials of equal "
                     "length only (its numpy stacking fails otherwise); "
                     "record trials of equal length", tr[0]->path, n,
                     tr[i]->path, tr[i]->n);
            return PACT_ENUMERIC;
        }
    w->v = malloc((n ? n : 1) * ncol * sizeof *w->v);
    size_t *ord = malloc(nt * sizeof *ord);
    if (!w->v || !ord) {
        free(ord);
        snprintf(why, len, "out of memory");
        return -ENOMEM;
    }
    size_t psu = nf + PACT__DS_PSU;
    for (size_t r = 0; r < n; r++) {
        /* Insertion sort by PSU power: stable, like numpy's argsort on
         * a few values. */
        for (size_t i = 0; i < nt; i++) {
            size_t k = i;
            double p = tr[i]->blk[r * ncol + psu];
            while (k > 0 && tr[ord[k - 1]]->blk[r * ncol + psu] > p) {
                ord[k] = ord[k - 1];
                k--;
            }
            ord[k] = i;
        }
        size_t lo = (size_t)drop, hi = nt > (size_t)drop ? nt - drop : 0;
        double *o = w->v + r * ncol;
        for (size_t c = 0; c < ncol; c++) {
            double s = 0;
            for (size_t i = lo; i < hi; i++)
                s += tr[ord[i]]->blk[r * ncol + c];
            o[c] = hi > lo ? s / (double)(hi - lo) : NAN;
        }
        o[nf + PACT__DS_TARGET] = o[psu] - (o[nf + PACT__DS_GPU] +
                                            o[nf + PACT__DS_CPU]);
    }
    free(ord);
    w->n = n;
    w->ntrials = nt;
    return 0;
}

int pact__orig_load(const struct pact__input *in, size_t nin,
                    const char *const *feature, size_t nf, int test,
                    double perf_period_s, size_t window,
                    struct pact__dataset **out, char *why, size_t len)
{
    *out = NULL;
    if (nf == 0 || nf > PACT__MODEL_MAX_FEATURES) {
        snprintf(why, len, "%zu features; give 1 to %d", nf,
                 PACT__MODEL_MAX_FEATURES);
        return PACT_EBADCONFIG;
    }
    struct file *f = calloc(nin ? nin : 1, sizeof *f);
    char **words = calloc(nin ? nin : 1, sizeof *words);
    struct file **tr = calloc(nin ? nin : 1, sizeof *tr);
    struct pact__dataset *d = calloc(1, sizeof *d);
    size_t nfile = 0, nword = 0;
    int rc = 0;
    if (!f || !words || !tr || !d)
        goto nomem;
    for (size_t i = 0; i < nin; i++) {
        const char *b = base_name(in[i].path);
        if (!strstr(b, "PACT")) {
            pact__log(PACT_LOG_NOTICE, "%s: left out: the original "
                      "pipeline reads only files named *PACT*",
                      in[i].path);
            continue;
        }
        struct file *x = &f[nfile++];
        x->path = in[i].path;
        x->base = b;
        first_word(b, x->first, sizeof x->first);
        key_of(b, test ? 1 : 3, x->key, sizeof x->key);
        words[nword++] = x->first;
    }
    if (nfile == 0) {
        snprintf(why, len, "no input file has PACT in its name; the "
                 "original pipeline reads NAME_..._PACT.csv files");
        rc = -EINVAL;
        goto out;
    }
    /* Sorted distinct first words; files ordered by the first word that
     * prefixes them (stable). */
    qsort(words, nword, sizeof *words, cmp_str);
    size_t nw = 0;
    for (size_t i = 0; i < nword; i++)
        if (nw == 0 || strcmp(words[nw - 1], words[i]))
            words[nw++] = words[i];
    for (size_t i = 0; i < nfile; i++) {
        f[i].order = nw;
        for (size_t k = 0; k < nw; k++)
            if (!strncmp(f[i].base, words[k], strlen(words[k]))) {
                f[i].order = k;
                break;
            }
    }
    qsort(f, nfile, sizeof *f, cmp_order);
    for (size_t i = 0; i < nfile; i++) {
        struct pact__table *t = NULL;
        rc = pact__table_read(f[i].path, &t, why, len);
        if (rc < 0)
            goto out;
        f[i].rows = t->nrows;
        pact__table_free(t);
    }
    for (size_t i = 0; i < nfile; i++) {
        size_t num = f[i].rows;
        if (!test) {
            /* max over first words k of (k in name ? rows of the shortest
             * file whose name contains k : 200). */
            num = 0;
            for (size_t k = 0; k < nw; k++) {
                size_t c = 200;
                if (strstr(f[i].base, words[k])) {
                    c = (size_t)-1;
                    for (size_t j = 0; j < nfile; j++)
                        if (strstr(f[j].base, words[k]) && f[j].rows < c)
                            c = f[j].rows;
                }
                if (c > num)
                    num = c;
            }
        }
        rc = read_file(&f[i], num, feature, nf, perf_period_s, window, why,
                       len);
        if (rc < 0)
            goto out;
    }
    /* Workloads in order of first appearance. */
    d->nf = nf;
    d->ncol = nf + PACT__DS_EXTRA;
    d->counter_mode = PACT__CTR_UNKNOWN;
    for (size_t i = 0; i < nfile; i++) {
        d->power_mask |= f[i].mask;
        if ((rc = pact__dataset_mode(d, f[i].path, why, len)) < 0)
            goto out;
    }
    for (size_t i = 0; i < nfile; i++) {
        f[i].wl = -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(f[j].key, f[i].key)) {
                f[i].wl = f[j].wl;
                break;
            }
        if (f[i].wl >= 0)
            continue;
        struct pact__workload *w = realloc(d->w, (d->nw + 1) * sizeof *w);
        if (!w)
            goto nomem;
        d->w = w;
        memset(&w[d->nw], 0, sizeof *w);
        if (!(w[d->nw].name = strdup(f[i].key)))
            goto nomem;
        f[i].wl = (long)d->nw++;
    }
    for (size_t w = 0; w < d->nw; w++) {
        size_t nt = 0;
        for (size_t i = 0; i < nfile; i++)
            if (f[i].wl == (long)w)
                tr[nt++] = &f[i];
        rc = average(tr, nt, nf, test ? 0 : 1, &d->w[w], why, len);
        if (rc < 0)
            goto out;
        d->w[w].ntrain = test ? 0
                              : (size_t)((double)d->w[w].n *
                                         PACT__ORIG_SPLIT);
    }
    *out = d;
    d = NULL;
    goto out;
nomem:
    snprintf(why, len, "loading the model inputs: out of memory");
    rc = -ENOMEM;
out:
    for (size_t i = 0; f && i < nfile; i++)
        free(f[i].blk);
    free(f);
    free(words);
    free(tr);
    pact__dataset_free(d);
    return rc;
}
