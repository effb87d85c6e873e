/* SPDX-License-Identifier: MIT */
/*
 * test_gap.c - estimating a window without a basis reading
 * (core/gap.h): the components scaled by the last basis/components
 * ratio, else the last basis value held, else unknown.
 */
#include <math.h>

#include "core/gap.h"
#include "t.h"

TEST(ratio_then_hold)
{
    struct pact__gap g = {0};
    int gap;
    double u;
    /* No history: unknown. */
    T_ASSERT(isnan(pact__gap_fill(&g, NAN, 100.0, &gap, &u)));
    T_EQ(gap, 1);
    /* Wall 222 W with components 200 W: ratio 1.11. */
    T_NEAR(pact__gap_fill(&g, 222.0, 200.0, &gap, &u), 222.0, 0);
    T_EQ(gap, 0);
    T_NEAR(u, 0, 0);
    /* The PSU drops out; the components read 150 W: 150 x 1.11. */
    T_NEAR(pact__gap_fill(&g, NAN, 150.0, &gap, &u), 166.5, 1e-9);
    T_EQ(gap, 1);
    T_NEAR(u, PACT__GAP_U_RATIO, 0);
    /* Components missing too: the last basis reading, 222 W, held. */
    T_NEAR(pact__gap_fill(&g, NAN, NAN, &gap, &u), 222.0, 0);
    T_NEAR(u, PACT__GAP_U_HOLD, 0);
}

T_MAIN(T_RUN(ratio_then_hold))
