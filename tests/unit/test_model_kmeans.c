/* SPDX-License-Identifier: MIT */
/*
 * test_model_kmeans.c - k-means: separated blobs are found, a fixed seed
 * gives identical results, fewer distinct points than clusters gives
 * fewer clusters (never an empty or NaN one), and bad input is refused.
 */
#include "model/kmeans.h"
#include "model_synth.h"
#include "pact/pact.h"
#include "t.h"

#define NB 3
#define PER 300

static const double truth[NB][2] = {{0, 0}, {50, 10}, {-20, 60}};
static double pts[NB * PER * 2];

static void blobs(uint64_t seed)
{
    uint64_t s = seed;
    for (int b = 0; b < NB; b++)
        for (int i = 0; i < PER; i++) {
            pts[(b * PER + i) * 2] = truth[b][0] + syn_normal(&s, 1);
            pts[(b * PER + i) * 2 + 1] = truth[b][1] + syn_normal(&s, 1);
        }
}

TEST(finds_separated_blobs)
{
    blobs(11);
    struct pact__kmeans_opts o;
    pact__kmeans_opts_init(&o);
    o.k = NB;
    double c[NB * 2], in;
    int lab[NB * PER];
    char why[256];
    T_EQ(pact__kmeans(pts, NB * PER, 2, &o, c, lab, &in, why, sizeof why),
         NB);
    for (int b = 0; b < NB; b++) {
        int l = lab[b * PER];
        for (int i = 0; i < PER; i++)
            T_EQ(lab[b * PER + i], l);
        /* sd 1 and 300 points: a centre's standard error is 1/sqrt(300)
         * = 0.058; 0.3 is five of them (absolute, on centres 0..60). */
        T_NEAR(c[l * 2], truth[b][0], 0.3);
        T_NEAR(c[l * 2 + 1], truth[b][1], 0.3);
    }
    /* Inertia is about n * d * variance = 900 * 2 * 1. */
    T_ASSERT(in > 1500 && in < 2100);
}

TEST(same_seed_same_result)
{
    blobs(12);
    struct pact__kmeans_opts o;
    pact__kmeans_opts_init(&o);
    o.k = 5; /* more than the blobs: the split depends on the seed */
    double c1[10], c2[10];
    int l1[NB * PER], l2[NB * PER];
    char why[256];
    T_EQ(pact__kmeans(pts, NB * PER, 2, &o, c1, l1, NULL, why, sizeof why),
         5);
    T_EQ(pact__kmeans(pts, NB * PER, 2, &o, c2, l2, NULL, why, sizeof why),
         5);
    T_ASSERT(memcmp(c1, c2, sizeof c1) == 0);
    T_ASSERT(memcmp(l1, l2, sizeof l1) == 0);
}

TEST(fewer_distinct_points_than_clusters)
{
    double p[12] = {1, 1, 1, 1, 5, 5, 5, 5, 9, 9, 1, 1};
    struct pact__kmeans_opts o;
    pact__kmeans_opts_init(&o);
    o.k = 5;
    double c[10];
    int lab[6];
    char why[256];
    int k = pact__kmeans(p, 6, 2, &o, c, lab, NULL, why, sizeof why);
    T_EQ(k, 3);
    for (int i = 0; i < 6; i++)
        T_ASSERT(lab[i] >= 0 && lab[i] < k);
    for (int i = 0; i < k * 2; i++)
        T_ASSERT(isfinite(c[i]));
    /* Identical points share a cluster. */
    T_EQ(lab[0], lab[1]);
    T_EQ(lab[0], lab[5]);
    T_EQ(lab[2], lab[3]);
}

TEST(all_points_identical_is_one_cluster)
{
    double p[20];
    for (int i = 0; i < 20; i++)
        p[i] = 3.0;
    struct pact__kmeans_opts o;
    pact__kmeans_opts_init(&o);
    double c[10], in = -1;
    char why[256];
    T_EQ(pact__kmeans(p, 10, 2, &o, c, NULL, &in, why, sizeof why), 1);
    T_NEAR(c[0], 3.0, 0);
    T_NEAR(in, 0, 0);
}

TEST(bad_input_is_refused)
{
    double p[4] = {1, 2, NAN, 4};
    struct pact__kmeans_opts o;
    pact__kmeans_opts_init(&o);
    double c[10];
    char why[256] = "";
    T_EQ(pact__kmeans(p, 2, 2, &o, c, NULL, NULL, why, sizeof why),
         PACT_ENUMERIC);
    T_ASSERT(strstr(why, "non-finite") != NULL);
    T_EQ(pact__kmeans(p, 0, 2, &o, c, NULL, NULL, why, sizeof why),
         PACT_ENUMERIC);
    o.k = 0;
    T_EQ(pact__kmeans(p, 2, 2, &o, c, NULL, NULL, why, sizeof why),
         PACT_ENUMERIC);
}

T_MAIN(T_RUN(finds_separated_blobs); T_RUN(same_seed_same_result);
       T_RUN(fewer_distinct_points_than_clusters);
       T_RUN(all_points_identical_is_one_cluster);
       T_RUN(bad_input_is_refused))
