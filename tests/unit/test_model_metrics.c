/* SPDX-License-Identifier: MIT */
/*
 * test_model_metrics.c - r², MAPE, weighted MAPE and wall energy on
 * examples small enough to work out by hand (the sums are in comments).
 */
#include "model/metrics.h"
#include "t.h"

TEST(mape_and_wmape_by_hand)
{
    double a[] = {100, 200, 50, 0};
    double p[] = {110, 180, 50, 3};
    /* MAPE over a != 0: (10/100 + 20/200 + 0/50) / 3 = 0.2 / 3. */
    T_NEAR(pact__mape(a, p, 4), 0.2 / 3, 1e-15);
    /* WMAPE: (10 + 20 + 0 + 3) / (100 + 200 + 50 + 0) = 33 / 350. */
    T_NEAR(pact__wmape(a, p, 4), 33.0 / 350, 1e-15);
}

TEST(wmape_weights_big_values)
{
    /* One small row with a big relative error: MAPE shows it, WMAPE
     * barely does.  MAPE = (1 + 0.01) / 2; WMAPE = (1 + 10) / 1001. */
    double a[] = {1, 1000}, p[] = {2, 1010};
    T_NEAR(pact__mape(a, p, 2), 1.01 / 2, 1e-15);
    T_NEAR(pact__wmape(a, p, 2), 11.0 / 1001, 1e-15);
}

TEST(r2_by_hand)
{
    double a[] = {1, 2, 3, 4}, p[] = {1, 2, 4, 3};
    /* mean 2.5, SStot = 2.25 + 0.25 + 0.25 + 2.25 = 5, SSres = 2. */
    T_NEAR(pact__r2(a, p, 4), 1 - 2.0 / 5, 1e-15);
    double c[] = {5, 5, 5};
    T_NEAR(pact__r2(c, c, 3), 1, 0);     /* constant, exact */
    double q[] = {5, 6, 5};
    T_NEAR(pact__r2(c, q, 3), 0, 0);     /* constant, not exact */
}

TEST(nan_pairs_left_out_and_empty_is_nan)
{
    double a[] = {100, NAN, 200}, p[] = {90, 5, NAN};
    T_NEAR(pact__mape(a, p, 3), 0.1, 1e-15);
    T_NEAR(pact__wmape(a, p, 3), 0.1, 1e-15);
    T_ASSERT(isnan(pact__r2(a, p, 0)));
    T_ASSERT(isnan(pact__mape(a, p, 0)));
    double z[] = {0, 0}, zp[] = {1, 1};
    T_ASSERT(isnan(pact__mape(z, zp, 2)));
    T_ASSERT(isnan(pact__wmape(z, zp, 2)));
}

TEST(energy_kwh_by_hand)
{
    /* 100 W for 1800 s + 200 W for 1800 s = 540 kJ = 0.15 kWh at the
     * PSU output; / 0.92 at the wall.  A NaN row counts for nothing. */
    double pw[] = {100, 200, NAN}, d[] = {1800, 1800, 10};
    T_NEAR(pact__energy_kwh(pw, d, 3, 0.92), 0.15 / 0.92, 1e-15);
    /* Carbon (energy * intensity) is computed by pact__model_evaluate and
     * checked from its own output in tests/cli/test_model.sh
     * (eval_carbon_646, eval_carbon_intensity). */
}

T_MAIN(T_RUN(mape_and_wmape_by_hand); T_RUN(wmape_weights_big_values);
       T_RUN(r2_by_hand); T_RUN(nan_pairs_left_out_and_empty_is_nan);
       T_RUN(energy_kwh_by_hand))
