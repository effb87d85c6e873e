/* SPDX-License-Identifier: MIT */
/*
 * test_counter.c - the core's one counter policy (core/counter.h):
 * deltas over each reading's own interval, plausible wraps, resets,
 * failed reads and out-of-range values that keep the baseline, absurd
 * jumps, ambiguous intervals and counters that refresh slowly.  Expected
 * values are worked out by hand in the comments (issue 11, item 11).
 */
#include "core/counter.h"
#include "t.h"

#define S(x) ((int64_t)((x) * 1e9))

/* RAPL's powercap range at ESU 14: 2^32 x 2^-14 J = 262 144 J. */
#define RANGE 262144.0

TEST(delta_over_own_interval)
{
    struct pact__counter c = {0};
    struct pact__counter_spec sp = {RANGE, 2000, 0};
    double d = -1, dt = -1;
    T_EQ(pact__counter_step(&c, &sp, 1, 100.0, S(0), &d, &dt),
         PACT__CTR_BASELINE);
    /* The read came 1.25 s later (a 250 ms timeout elsewhere): 62.5 J
     * over 1.25 s is 50 W, not 62.5 W. */
    T_EQ(pact__counter_step(&c, &sp, 1, 162.5, S(1.25), &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d, 62.5, 1e-9);
    T_NEAR(dt, 1.25, 1e-12);
    T_NEAR(d / dt, 50.0, 1e-9);
}

TEST(plausible_wrap)
{
    struct pact__counter c = {0};
    struct pact__counter_spec sp = {RANGE, 2000, 0};
    double d, dt;
    pact__counter_step(&c, &sp, 1, RANGE - 10.0, S(0), &d, &dt);
    /* 10 J to the top, then 32 J past 0: 42 J in 1 s. */
    T_EQ(pact__counter_step(&c, &sp, 1, 32.0, S(1), &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d, 42.0, 1e-9);
}

TEST(reset_is_a_gap_not_a_huge_number)
{
    struct pact__counter c = {0};
    struct pact__counter_spec sp = {RANGE, 2000, 0};
    double d = 0, dt = 0;
    pact__counter_step(&c, &sp, 1, 200.0, S(0), &d, &dt);
    /* Back from 200 J to 40 J: taken as a wrap it would be
     * 40 + 262144 - 200 = 261 984 J in 0.25 s = 1 047 936 W (the issue's
     * 1,048,404 W), far above 2000 W: a reset. */
    T_EQ(pact__counter_step(&c, &sp, 1, 40.0, S(0.25), &d, &dt),
         PACT__CTR_RESET);
    /* The baseline restarted at 40 J: the next window is exact. */
    T_EQ(pact__counter_step(&c, &sp, 1, 80.0, S(1.25), &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d / dt, 40.0, 1e-9);
    /* A counter without a range that goes back: always a reset. */
    struct pact__counter n = {0};
    struct pact__counter_spec nr = {0, 2000, 0};
    pact__counter_step(&n, &nr, 1, 5000.0, S(0), &d, &dt);
    T_EQ(pact__counter_step(&n, &nr, 1, 4999.0, S(1), &d, &dt),
         PACT__CTR_RESET);
}

TEST(failed_and_out_of_range_keep_the_baseline)
{
    struct pact__counter c = {0};
    struct pact__counter_spec sp = {RANGE, 2000, 0};
    double d, dt;
    pact__counter_step(&c, &sp, 1, 100.0, S(0), &d, &dt);
    T_EQ(pact__counter_step(&c, &sp, 0, 0.0, S(1), &d, &dt),
         PACT__CTR_FAILED);
    /* energy_uj above max_energy_range_uj: never an underflow. */
    T_EQ(pact__counter_step(&c, &sp, 1, RANGE + 5.0, S(2), &d, &dt),
         PACT__CTR_OUT_OF_RANGE);
    T_EQ(pact__counter_step(&c, &sp, 1, -1.0, S(2.5), &d, &dt),
         PACT__CTR_OUT_OF_RANGE);
    /* The next good reading spans both: 126 J over 3 s = 42 W, nothing
     * lost and no baseline silently restarted. */
    T_EQ(pact__counter_step(&c, &sp, 1, 226.0, S(3), &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d, 126.0, 1e-9);
    T_NEAR(dt, 3.0, 1e-12);
}

TEST(implausible_jump_and_ambiguous_interval)
{
    struct pact__counter c = {0};
    struct pact__counter_spec sp = {RANGE, 2000, 0};
    double d, dt;
    pact__counter_step(&c, &sp, 1, 100.0, S(0), &d, &dt);
    /* +100 000 J in 1 s is 100 kW: implausible, baseline restarts. */
    T_EQ(pact__counter_step(&c, &sp, 1, 100100.0, S(1), &d, &dt),
         PACT__CTR_IMPLAUSIBLE);
    T_EQ(pact__counter_step(&c, &sp, 1, 100142.0, S(2), &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d, 42.0, 1e-9);
    /* A 50 J range at 20 W max wraps at most once per 2.5 s: a 3 s
     * interval (60 J possible) cannot be unwrapped. */
    struct pact__counter k = {0};
    struct pact__counter_spec small = {50.0, 20.0, 0};
    pact__counter_step(&k, &small, 1, 10.0, S(0), &d, &dt);
    T_EQ(pact__counter_step(&k, &small, 1, 20.0, S(3), &d, &dt),
         PACT__CTR_AMBIGUOUS);
    /* From the new baseline (20 J at 3 s), 5 J at 5 s: one wrap, 30 + 5
     * = 35 J in 2 s = 17.5 W, plausible at 20 W. */
    T_EQ(pact__counter_step(&k, &small, 1, 5.0, S(5), &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d, 35.0, 1e-9);
    /* The same step back in 1 s would be 35 W: a reset. */
    T_EQ(pact__counter_step(&k, &small, 1, 1.0, S(6), &d, &dt),
         PACT__CTR_RESET);
}

TEST(slow_refresh_waits)
{
    /* Refreshed every 100 ms (NVML): unchanged after 50 ms is "not yet",
     * not 0 W; the next change counts over the whole 100 ms. */
    struct pact__counter c = {0};
    struct pact__counter_spec sp = {0, 2000, 0.1};
    double d = 0, dt = 0;
    pact__counter_step(&c, &sp, 1, 1000.0, S(0), &d, &dt);
    T_EQ(pact__counter_step(&c, &sp, 1, 1000.0, S(0.05), &d, &dt),
         PACT__CTR_WAIT);
    T_EQ(pact__counter_step(&c, &sp, 1, 1010.0, S(0.1), &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d / dt, 100.0, 1e-9);
    /* Unchanged for longer than the refresh period is a real 0 W. */
    T_EQ(pact__counter_step(&c, &sp, 1, 1010.0, S(0.3), &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d, 0.0, 0);
}

T_MAIN(T_RUN(delta_over_own_interval); T_RUN(plausible_wrap);
       T_RUN(reset_is_a_gap_not_a_huge_number);
       T_RUN(failed_and_out_of_range_keep_the_baseline);
       T_RUN(implausible_jump_and_ambiguous_interval);
       T_RUN(slow_refresh_waits))
