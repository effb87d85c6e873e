/* SPDX-License-Identifier: MIT */
/*
 * test_model_pfa.c - Principal Feature Analysis: with three groups of
 * near-duplicate columns it keeps exactly one column per group; constant
 * columns are never chosen; the variance rule picks the component count;
 * all-constant data is an error.
 */
#include "model/pfa.h"
#include "model_synth.h"
#include "pact/pact.h"
#include "t.h"

#define N 1000
#define D 6

static double x[N * D];

/* Columns 0,3 copy a; 1,4 copy b; 2,5 copy c (plus 1 % noise). */
static void groups(uint64_t seed)
{
    uint64_t s = seed;
    for (int i = 0; i < N; i++) {
        double a = syn_uniform(&s, 0, 100), b = syn_normal(&s, 5),
               c = syn_uniform(&s, -1, 1);
        double *r = x + i * D;
        r[0] = a;
        r[1] = b;
        r[2] = c;
        r[3] = 3 * a + syn_normal(&s, 3);
        r[4] = b + syn_normal(&s, 0.05);
        r[5] = -c + syn_normal(&s, 0.01);
    }
}

static int group_of(size_t col)
{
    return (int)(col % 3);
}

TEST(one_feature_per_group)
{
    for (uint64_t seed = 1; seed <= 5; seed++) {
        groups(seed);
        struct pact__pfa_opts o;
        pact__pfa_opts_init(&o);
        o.seed = seed;
        size_t sel[D], q = 0;
        char why[256];
        T_EQ(pact__pfa_select(x, N, D, &o, sel, &q, why, sizeof why), 3);
        T_EQ(q, 3);
        int hit[3] = {0};
        for (int i = 0; i < 3; i++)
            hit[group_of(sel[i])]++;
        T_EQ(hit[0], 1);
        T_EQ(hit[1], 1);
        T_EQ(hit[2], 1);
        T_ASSERT(sel[0] < sel[1] && sel[1] < sel[2]);
    }
}

TEST(variance_rule_counts_components)
{
    groups(7);
    struct pact__pfa_opts o;
    pact__pfa_opts_init(&o);
    o.variance = 0.95; /* three strong components carry ~all variance */
    size_t sel[D], q = 0;
    char why[256];
    T_EQ(pact__pfa_select(x, N, D, &o, sel, &q, why, sizeof why), 3);
    T_EQ(q, 3);
    o.variance = 0.40; /* one component is 1/3: two are needed */
    T_EQ(pact__pfa_select(x, N, D, &o, sel, &q, why, sizeof why), 2);
    T_EQ(q, 2);
}

TEST(constant_columns_never_chosen)
{
    groups(8);
    for (int i = 0; i < N; i++) {
        x[i * D + 1] = 7; /* group b made constant */
        x[i * D + 4] = 7;
    }
    struct pact__pfa_opts o;
    pact__pfa_opts_init(&o);
    o.nsel = 2;
    size_t sel[D];
    char why[256];
    T_EQ(pact__pfa_select(x, N, D, &o, sel, NULL, why, sizeof why), 2);
    for (int i = 0; i < 2; i++)
        T_ASSERT(sel[i] != 1 && sel[i] != 4);
    T_ASSERT(group_of(sel[0]) != group_of(sel[1]));
    o.nsel = 6; /* more than the 4 usable: all of them */
    T_EQ(pact__pfa_select(x, N, D, &o, sel, NULL, why, sizeof why), 4);
}

TEST(all_constant_is_an_error)
{
    for (int i = 0; i < N * D; i++)
        x[i] = 1;
    struct pact__pfa_opts o;
    pact__pfa_opts_init(&o);
    size_t sel[D];
    char why[256] = "";
    T_EQ(pact__pfa_select(x, N, D, &o, sel, NULL, why, sizeof why),
         PACT_ENUMERIC);
    T_ASSERT(strstr(why, "constant") != NULL);
}

T_MAIN(T_RUN(one_feature_per_group); T_RUN(variance_rule_counts_components);
       T_RUN(constant_columns_never_chosen); T_RUN(all_constant_is_an_error))
