/* SPDX-License-Identifier: MIT */
/*
 * kmeans.h - k-means (Lloyd's algorithm) with greedy k-means++ seeding
 * from a fixed seed, so the same input always gives the same clusters.
 */
#ifndef PACT_MODEL_KMEANS_H
#define PACT_MODEL_KMEANS_H

#include <stddef.h>
#include <stdint.h>

struct pact__kmeans_opts {
    size_t k;          /* clusters wanted, default 5 */
    uint64_t seed;     /* PRNG seed, default 0 */
    unsigned max_iter; /* Lloyd iterations per start, default 1000 */
    double tol;        /* stop when the squared centre shift is below
                          tol * mean feature variance (scikit-learn's
                          rule), default 1e-4 */
    unsigned n_init;   /* starts; the lowest inertia wins; default 10 */
};

void pact__kmeans_opts_init(struct pact__kmeans_opts *o);

/*
 * Cluster n points of d doubles (row-major, finite).  centre receives
 * k * d doubles, label (if not NULL) n cluster numbers, inertia (if not
 * NULL) the sum of squared distances to the nearest centre.
 *
 * Returns the number of clusters found, 1..k: fewer than k only when the
 * data has fewer than k distinct points (seeding stops when every point
 * already sits on a centre; the unused centres are left NaN).  A cluster
 * that empties during the iterations takes the point farthest from its
 * centre (scikit-learn does the same).  On error returns < 0 with a
 * one-line reason in why (no points, k = 0, non-finite values).
 */
int pact__kmeans(const double *x, size_t n, size_t d,
                 const struct pact__kmeans_opts *o, double *centre,
                 int *label, double *inertia, char *why, size_t len);

/* Index of the centre nearest to p among k centres of d values. */
size_t pact__kmeans_nearest(const double *centre, size_t k, size_t d,
                            const double *p);

/* The small PRNG used for seeding (splitmix64): next value of *state. */
uint64_t pact__rand64(uint64_t *state);

#endif
