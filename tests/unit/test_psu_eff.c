/* SPDX-License-Identifier: MIT */
/*
 * test_psu_eff.c - 80 PLUS curves: the programme's points, linear
 * interpolation between them, flat ends, the 230 V table, and the
 * --psu-rating parser.
 */
#include "carbon/psu_eff.h"
#include "pact/pact.h"
#include "t.h"

TEST(curve_points_and_interpolation)
{
    /* Published points come back exactly. */
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_PLATINUM, 115, 0.50), 0.92, 1e-12);
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_GOLD, 115, 0.20), 0.87, 1e-12);
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_TITANIUM, 115, 0.10), 0.90, 1e-12);
    /* Between: 75 % load on platinum 115 V, halfway 0.92 -> 0.89. */
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_PLATINUM, 115, 0.75), 0.905,
           1e-12);
    /* 15 % on titanium: halfway 0.90 -> 0.92. */
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_TITANIUM, 115, 0.15), 0.91,
           1e-12);
    /* Below the lowest point (bronze 115 V: 0.82 at 20 %) efficiency
     * falls: the midpoint of 0.82 and the constant-loss value
     * 0.05 / (0.05 + 0.20 (1/0.82 - 1)) = 0.532468 (python3:
     * (0.82 + 0.05/(0.05+0.2*(1/0.82-1)))/2 = 0.676234). */
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_BRONZE, 115, 0.05), 0.676234,
           1e-6);
    /* Its uncertainty: half the spread over sqrt(3). */
    T_NEAR(pact__psu_eff_light_u(PACT__PSU_BRONZE, 115, 0.05),
           (0.82 - 0.532468) / 2 / sqrt(3.0), 1e-6);
    T_NEAR(pact__psu_eff_light_u(PACT__PSU_BRONZE, 115, 0.20), 0, 0);
    /* Above 100 %: held flat. */
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_BRONZE, 115, 1.30), 0.82, 1e-12);
    /* 230 V EU internal table. */
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_TITANIUM, 230, 0.50), 0.96,
           1e-12);
    T_NEAR(pact__psu_eff_at_load(PACT__PSU_WHITE, 230, 0.35), 0.835, 1e-12);
    T_ASSERT(isnan(pact__psu_eff_at_load(99, 115, 0.5)));
}

TEST(rating_parse)
{
    struct pact__psu_rating r;
    char why[256] = "";
    T_EQ(pact__psu_rating_parse("Gold", &r, why, sizeof why), 0);
    T_EQ(r.level, PACT__PSU_GOLD);
    T_NEAR(r.rated_w, 0, 0);
    T_EQ(r.mains_v, 115);
    /* Wattage unknown: the 50 % point. */
    T_NEAR(pact__psu_eff(&r, 123.0), 0.90, 1e-12);
    T_EQ(pact__psu_rating_parse("platinum:1000W:230V", &r, why, sizeof why),
         0);
    T_EQ(r.level, PACT__PSU_PLATINUM);
    T_NEAR(r.rated_w, 1000, 0);
    T_EQ(r.mains_v, 230);
    /* 200 W of 1000 W at 230 V: the 20 % point, 0.92. */
    T_NEAR(pact__psu_eff(&r, 200.0), 0.92, 1e-12);
    T_EQ(pact__psu_rating_parse("80plus-titanium,850", &r, why, sizeof why),
         0);
    T_EQ(r.level, PACT__PSU_TITANIUM);
    T_NEAR(r.rated_w, 850, 0);
    T_EQ(pact__psu_rating_parse("80+", &r, why, sizeof why), 0);
    T_EQ(r.level, PACT__PSU_WHITE);
    T_EQ(pact__psu_rating_parse("diamond", &r, why, sizeof why),
         PACT_EBADCONFIG);
    T_ASSERT(strstr(why, "'diamond'") && strstr(why, "gold:850W:230V"));
    T_EQ(pact__psu_rating_parse("gold:850X", &r, why, sizeof why),
         PACT_EBADCONFIG);
    T_EQ(pact__psu_rating_parse("gold silver", &r, why, sizeof why),
         PACT_EBADCONFIG);
    T_EQ(pact__psu_rating_parse("850W", &r, why, sizeof why),
         PACT_EBADCONFIG);
}

T_MAIN(T_RUN(curve_points_and_interpolation); T_RUN(rating_parse))
