/* SPDX-License-Identifier: MIT */
/*
 * test_model_preprocess.c - each pre-processing step on small blocks
 * worked out by hand: leading-row skip, per-period normalisation,
 * running mean (with NaN), trimmed mean across trials, time split.
 */
#include <stdlib.h>

#include "model/preprocess.h"
#include "t.h"

TEST(defaults_are_the_originals)
{
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    T_EQ(o.window, 20);
    T_NEAR(o.perf_period_s, 0.01, 0);
    T_NEAR(o.train_fraction, 0.7, 0);
    T_ASSERT(o.skip_leading && o.normalise && o.trim);
}

TEST(leading_rows_without_counters_are_skipped)
{
    /* columns: power, counter, counter */
    double v[] = {50, NAN, NAN, 51, 0, NAN, 52, 0, 7, 53, 1, 1};
    int ctr[] = {0, 1, 1};
    T_EQ(pact__pp_leading(v, 4, 3, ctr), 2);
    int none[] = {0, 0, 0};
    T_EQ(pact__pp_leading(v, 4, 3, none), 0);
    double z[] = {1, 0, 0, 2, NAN, 0};
    T_EQ(pact__pp_leading(z, 2, 3, ctr), 2);
}

TEST(counters_per_perf_period)
{
    /* columns: counter, util, duration.  1000 events in 2 s at 0.01 s
     * periods = 1000 / 200 = 5 per period. */
    double v[] = {1000, 40, 2.0, 300, 50, 0.5, 10, 60, NAN, 10, 70, 0};
    int ctr[] = {1, 0, 0};
    pact__pp_normalise(v, 4, 3, ctr, 2, 0.01);
    T_NEAR(v[0], 5, 1e-12);
    T_NEAR(v[1], 40, 0);
    T_NEAR(v[3], 6, 1e-12);
    T_ASSERT(isnan(v[6]));
    T_ASSERT(isnan(v[9]));
    T_NEAR(v[10], 70, 0);
}

TEST(running_mean_trailing_windows)
{
    double v[] = {1, 10, 2, 20, 3, NAN, 4, 40, 5, 50};
    T_EQ(pact__pp_running_mean(v, 5, 2, 3), 3);
    T_NEAR(v[0], 2, 1e-15);      /* (1+2+3)/3 */
    T_NEAR(v[1], 15, 1e-15);     /* (10+20)/2, NaN left out */
    T_NEAR(v[2], 3, 1e-15);      /* (2+3+4)/3 */
    T_NEAR(v[3], 30, 1e-15);     /* (20+40)/2 */
    T_NEAR(v[4], 4, 1e-15);
    T_NEAR(v[5], 45, 1e-15);     /* (40+50)/2 */
    double w[] = {1, 2};
    T_EQ(pact__pp_running_mean(w, 2, 1, 3), 0);  /* shorter than window */
    T_EQ(pact__pp_running_mean(w, 2, 1, 1), 2);  /* off */
    T_NEAR(w[0], 1, 0);
}

TEST(trimmed_mean_drops_highest_and_lowest_by_psu)
{
    /* columns: feature, psu.  Five trials, two steps (one trial longer). */
    double t0[] = {1, 100, 5, 300};
    double t1[] = {2, 110, 6, 310};
    double t2[] = {3, 120, 7, 320};
    double t3[] = {4, 500, 8, 330, 9, 9};  /* highest at step 0 */
    double t4[] = {100, 10, 9, 340};       /* lowest at step 0 */
    const double *tr[] = {t0, t1, t2, t3, t4};
    size_t n[] = {2, 2, 2, 3, 2};
    double *out = NULL;
    T_EQ(pact__pp_trimmed_mean(tr, n, 5, 2, 1, 1, &out), 2);
    /* Step 0 keeps t0..t2: feature (1+2+3)/3, psu (100+110+120)/3. */
    T_NEAR(out[0], 2, 1e-12);
    T_NEAR(out[1], 110, 1e-12);
    /* Step 1: drop t0 (300) and t4 (340): (6+7+8)/3, 320. */
    T_NEAR(out[2], 7, 1e-12);
    T_NEAR(out[3], 320, 1e-12);
    free(out);
    /* Without trimming: the plain mean. */
    T_EQ(pact__pp_trimmed_mean(tr, n, 5, 2, 1, 0, &out), 2);
    T_NEAR(out[0], 110.0 / 5, 1e-12);
    free(out);
}

TEST(trimmed_mean_small_and_nan_cases)
{
    double a[] = {1, 100}, b[] = {3, NAN}, c[] = {5, 300};
    const double *tr[] = {a, b, c};
    size_t n[] = {1, 1, 1};
    double *out = NULL;
    /* b has no PSU value: left out; two rankable trials: plain mean. */
    T_EQ(pact__pp_trimmed_mean(tr, n, 3, 2, 1, 1, &out), 1);
    T_NEAR(out[0], 3, 1e-12);
    T_NEAR(out[1], 200, 1e-12);
    free(out);
    /* Equal PSU values still trim two trials (stable-sort rule). */
    double e0[] = {1, 7}, e1[] = {2, 7}, e2[] = {6, 7};
    const double *te[] = {e0, e1, e2};
    T_EQ(pact__pp_trimmed_mean(te, n, 3, 2, 1, 1, &out), 1);
    T_NEAR(out[0], 2, 1e-12);
    free(out);
}

TEST(split_by_time)
{
    T_EQ(pact__pp_split(10, 0.7), 7);
    T_EQ(pact__pp_split(100, 0.7), 70);
    T_EQ(pact__pp_split(3, 0.7), 2);
    T_EQ(pact__pp_split(10, 0), 0);
    T_EQ(pact__pp_split(10, 1), 10);
}

T_MAIN(T_RUN(defaults_are_the_originals);
       T_RUN(leading_rows_without_counters_are_skipped);
       T_RUN(counters_per_perf_period); T_RUN(running_mean_trailing_windows);
       T_RUN(trimmed_mean_drops_highest_and_lowest_by_psu);
       T_RUN(trimmed_mean_small_and_nan_cases); T_RUN(split_by_time))
