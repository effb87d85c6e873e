/* SPDX-License-Identifier: MIT */
/*
 * test_plausible.c - plausibility bounds (core/plausible.h): a stated
 * rating times the margin, else the generous bound of the channel's
 * layer; the readings issue 11 item 11 found reaching the totals.
 */
#include "core/plausible.h"
#include "t.h"

static struct pact_channel chan(int role, double max_w)
{
    struct pact_channel c;
    memset(&c, 0, sizeof c);
    c.quantity = PACT_Q_POWER_W;
    c.role = role;
    c.max_power_w = max_w;
    return c;
}

TEST(rating_times_margin)
{
    struct pact_channel psu = chan(PACT_ROLE_PSU_TOTAL, 1500);
    T_NEAR(pact__plausible_max_w(&psu), 1500 * PACT__PLAUSIBLE_MARGIN, 0);
    T_ASSERT(pact__plausible_power(&psu, 400));
    T_ASSERT(pact__plausible_power(&psu, 0));
    T_ASSERT(!pact__plausible_power(&psu, -500));   /* negative */
    T_ASSERT(!pact__plausible_power(&psu, 30e6));   /* 30 MW */
    T_ASSERT(!pact__plausible_power(&psu, 3001));   /* > 2 x 1500 W */
}

TEST(generous_defaults)
{
    struct pact_channel gpu = chan(PACT_ROLE_GPU_POWER, 0);
    struct pact_channel wall = chan(PACT_ROLE_WALL_POWER, 0);
    /* A fake NVML answering -5000 mW read as unsigned: 2^32 - 5000 mW. */
    double wrapped = (4294967296.0 - 5000.0) / 1000.0;
    T_ASSERT(!pact__plausible_power(&gpu, wrapped));
    T_ASSERT(pact__plausible_power(&gpu, 700));
    T_ASSERT(pact__plausible_power(&wall, 12000)); /* a big server */
    T_ASSERT(!pact__plausible_power(&wall, 41.8e9));
    T_ASSERT(!pact__plausible_power(&wall, NAN));
}

T_MAIN(T_RUN(rating_times_margin); T_RUN(generous_defaults))
