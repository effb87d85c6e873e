/* SPDX-License-Identifier: MIT */
/*
 * kmeans.c - Lloyd's k-means.  Seeding is greedy k-means++ (Arthur and
 * Vassilvitskii 2007, with 2 + ln k candidates per centre as scikit-learn
 * does) driven by splitmix64 from a fixed seed, so fits are reproducible
 * across machines.  Each iteration is one sweep that assigns points and
 * sums them per cluster.  No threads: the callers' data are small, and
 * the benchmark (bench/model.c) shows one core is enough.
 */
#include "model/kmeans.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pact/pact.h"

void pact__kmeans_opts_init(struct pact__kmeans_opts *o)
{
    o->k = 5;
    o->seed = 0;
    o->max_iter = 1000; /* as the original's KMeans(max_iter=1000) */
    o->tol = 1e-4;
    o->n_init = 10;    /* scikit-learn 1.2's default: best of 10 starts */
}

uint64_t pact__rand64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double rand01(uint64_t *state)
{
    return (double)(pact__rand64(state) >> 11) * 0x1.0p-53;
}

static inline double dist2(const double *a, const double *b, size_t d)
{
    double s = 0;
    for (size_t j = 0; j < d; j++) {
        double t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

size_t pact__kmeans_nearest(const double *centre, size_t k, size_t d,
                            const double *p)
{
    size_t best = 0;
    double bd = INFINITY;
    for (size_t c = 0; c < k; c++) {
        double dd = dist2(centre + c * d, p, d);
        if (dd < bd) {
            bd = dd;
            best = c;
        }
    }
    return best;
}

/* Index i with cum(D2) crossing u * pot. */
static size_t pick(const double *d2, size_t n, double target)
{
    double acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc += d2[i];
        if (acc > target)
            return i;
    }
    /* Rounding: the last point with weight. */
    for (size_t i = n; i-- > 0;)
        if (d2[i] > 0)
            return i;
    return n - 1;
}

/* Greedy k-means++; returns the number of centres placed. */
static size_t seed_pp(const double *x, size_t n, size_t d, size_t k,
                      uint64_t *rng, double *centre, double *d2)
{
    size_t first = (size_t)(rand01(rng) * (double)n);
    if (first >= n)
        first = n - 1;
    memcpy(centre, x + first * d, d * sizeof *centre);
    double pot = 0;
    for (size_t i = 0; i < n; i++) {
        d2[i] = dist2(x + i * d, centre, d);
        pot += d2[i];
    }
    size_t trials = 2 + (size_t)log((double)k);
    size_t placed = 1;
    for (; placed < k; placed++) {
        if (!(pot > 0))
            break; /* every point sits on a centre */
        double best_pot = INFINITY;
        size_t best = 0;
        for (size_t t = 0; t < trials; t++) {
            size_t cand = pick(d2, n, rand01(rng) * pot);
            const double *cp = x + cand * d;
            double np = 0;
            for (size_t i = 0; i < n; i++) {
                double dd = dist2(x + i * d, cp, d);
                np += dd < d2[i] ? dd : d2[i];
            }
            if (np < best_pot) {
                best_pot = np;
                best = cand;
            }
        }
        double *c = centre + placed * d;
        memcpy(c, x + best * d, d * sizeof *c);
        pot = 0;
        for (size_t i = 0; i < n; i++) {
            double dd = dist2(x + i * d, c, d);
            if (dd < d2[i])
                d2[i] = dd;
            pot += d2[i];
        }
    }
    return placed;
}

/* One assignment sweep: labels, distances, per-cluster sums and counts.
 * Returns the number of labels that changed. */
static size_t assign(const double *x, size_t n, size_t d, size_t k,
                     const double *centre, int *label, double *dmin,
                     double *sum, size_t *cnt)
{
    size_t changed = 0;
    memset(sum, 0, k * d * sizeof *sum);
    memset(cnt, 0, k * sizeof *cnt);
    for (size_t i = 0; i < n; i++) {
        const double *p = x + i * d;
        size_t best = 0;
        double bd = INFINITY;
        for (size_t c = 0; c < k; c++) {
            double dd = dist2(centre + c * d, p, d);
            if (dd < bd) {
                bd = dd;
                best = c;
            }
        }
        if (label[i] != (int)best) {
            label[i] = (int)best;
            changed++;
        }
        dmin[i] = bd;
        double *s = sum + best * d;
        for (size_t j = 0; j < d; j++)
            s[j] += p[j];
        cnt[best]++;
    }
    return changed;
}

/* Give each empty cluster the point farthest from its centre. */
static void fill_empty(const double *x, size_t n, size_t d, size_t k,
                       int *label, double *dmin, double *sum, size_t *cnt)
{
    for (size_t c = 0; c < k; c++) {
        if (cnt[c])
            continue;
        size_t far = n;
        double fd = -1;
        for (size_t i = 0; i < n; i++)
            if (cnt[label[i]] > 1 && dmin[i] > fd) {
                fd = dmin[i];
                far = i;
            }
        if (far == n || !(fd > 0))
            continue; /* nothing to move: left empty */
        size_t old = (size_t)label[far];
        for (size_t j = 0; j < d; j++) {
            sum[old * d + j] -= x[far * d + j];
            sum[c * d + j] = x[far * d + j];
        }
        cnt[old]--;
        cnt[c] = 1;
        label[far] = (int)c;
        dmin[far] = 0;
    }
}

/* One start: seeding then Lloyd.  Returns clusters, inertia in *in. */
static size_t lloyd(const double *x, size_t n, size_t d, size_t k,
                    const struct pact__kmeans_opts *o, double tol_abs,
                    uint64_t *rng, double *centre, int *label,
                    double *dmin, double *sum, size_t *cnt, double *in)
{
    size_t kk = seed_pp(x, n, d, k, rng, centre, dmin);
    for (size_t i = 0; i < n; i++)
        label[i] = -1;
    int settled = 0;
    for (unsigned it = 0; it < o->max_iter && !settled; it++) {
        size_t changed = assign(x, n, d, kk, centre, label, dmin, sum, cnt);
        if (changed == 0 && it > 0) {
            settled = 1; /* centres are already the means of these */
            break;
        }
        fill_empty(x, n, d, kk, label, dmin, sum, cnt);
        double shift = 0;
        for (size_t c = 0; c < kk; c++) {
            if (!cnt[c])
                continue;
            for (size_t j = 0; j < d; j++) {
                double nv = sum[c * d + j] / (double)cnt[c];
                double t = nv - centre[c * d + j];
                shift += t * t;
                centre[c * d + j] = nv;
            }
        }
        if (shift <= tol_abs)
            break;
    }
    if (!settled) /* labels and distances for the final centres */
        assign(x, n, d, kk, centre, label, dmin, sum, cnt);
    /* Drop clusters left empty (only with duplicate points). */
    size_t w = 0;
    int map[256];
    int *mp = kk <= 256 ? map : malloc(kk * sizeof *mp);
    if (!mp)
        return 0;
    for (size_t c = 0; c < kk; c++) {
        mp[c] = cnt[c] ? (int)w : -1;
        if (cnt[c]) {
            if (w != c)
                memcpy(centre + w * d, centre + c * d, d * sizeof *centre);
            w++;
        }
    }
    double inertia = 0;
    for (size_t i = 0; i < n; i++) {
        if (w != kk)
            label[i] = mp[label[i]];
        inertia += dmin[i];
    }
    if (mp != map)
        free(mp);
    for (size_t c = w; c < k; c++)
        for (size_t j = 0; j < d; j++)
            centre[c * d + j] = NAN;
    *in = inertia;
    return w;
}

int pact__kmeans(const double *x, size_t n, size_t d,
                 const struct pact__kmeans_opts *o, double *centre,
                 int *label, double *inertia, char *why, size_t len)
{
    size_t k = o->k;
    if (n == 0 || d == 0 || k == 0) {
        snprintf(why, len, "k-means: nothing to cluster (%zu points, "
                 "%zu dimensions, %zu clusters)", n, d, k);
        return PACT_ENUMERIC;
    }
    if (n > 0x7fffffff || k > 0x7fffffff) {
        snprintf(why, len, "k-means: too many points or clusters");
        return -EINVAL;
    }
    /* Mean per-dimension variance sets the absolute tolerance. */
    double var = 0;
    for (size_t j = 0; j < d; j++) {
        double m = 0, s = 0;
        for (size_t i = 0; i < n; i++)
            m += x[i * d + j];
        m /= (double)n;
        if (!isfinite(m)) {
            snprintf(why, len, "k-means: non-finite value in dimension "
                     "%zu", j);
            return PACT_ENUMERIC;
        }
        for (size_t i = 0; i < n; i++) {
            double t = x[i * d + j] - m;
            s += t * t;
        }
        var += s / (double)n;
    }
    double tol_abs = o->tol * var / (double)d;

    int *lab = malloc(n * sizeof *lab);
    int *best_lab = label ? label : malloc(n * sizeof *best_lab);
    double *dmin = malloc(n * sizeof *dmin);
    double *sum = malloc(k * d * sizeof *sum);
    double *cen = malloc(k * d * sizeof *cen);
    size_t *cnt = malloc(k * sizeof *cnt);
    int rc = 0;
    if (!lab || !best_lab || !dmin || !sum || !cen || !cnt) {
        snprintf(why, len, "k-means: out of memory");
        rc = -ENOMEM;
        goto out;
    }
    uint64_t rng = o->seed;
    double best = INFINITY;
    unsigned starts = o->n_init ? o->n_init : 1;
    for (unsigned s = 0; s < starts; s++) {
        double in = 0;
        size_t kk = lloyd(x, n, d, k, o, tol_abs, &rng, cen, lab, dmin,
                          sum, cnt, &in);
        if (kk == 0) {
            rc = -ENOMEM;
            snprintf(why, len, "k-means: out of memory");
            goto out;
        }
        if (in < best) {
            best = in;
            rc = (int)kk;
            memcpy(centre, cen, k * d * sizeof *cen);
            memcpy(best_lab, lab, n * sizeof *lab);
        }
    }
    if (inertia)
        *inertia = best;
out:
    free(lab);
    if (best_lab != label)
        free(best_lab);
    free(dmin);
    free(sum);
    free(cen);
    free(cnt);
    return rc;
}
