/* SPDX-License-Identifier: MIT */
/*
 * test_integrate.c - window values from timestamped samples
 * (core/integrate.h): energy counters over their own read intervals, and
 * the trapezoid integral of sampled power, checked against integrals
 * worked out analytically in the comments.
 */
#include <math.h>

#include "core/integrate.h"
#include "t.h"

#define S(x) ((int64_t)llround((x) * 1e9))

TEST(energy_window_uses_read_times)
{
    /* A steady 50 W ramp; the edge read is 250 ms late (the PSU timed
     * out first): 62.5 J over its own 1.25 s is 50 W. */
    struct pact__integ g = {0};
    struct pact__counter_spec sp = {0, 2000, 0};
    double dj;
    pact__integ_energy(&g, &sp, 1, 0.0, S(0), &dj);
    pact__integ_energy(&g, &sp, 1, 20.0, S(0.4), &dj); /* a tick */
    pact__integ_energy(&g, &sp, 1, 62.5, S(1.25), &dj);
    T_NEAR(pact__integ_energy_close(&g, 1), 50.0, 1e-9);
    /* The next edge read fails: the cell is empty ... */
    pact__integ_energy(&g, &sp, 0, NAN, S(2), &dj);
    T_ASSERT(isnan(pact__integ_energy_close(&g, 0)));
    /* ... and the one after spans the failure: (150 - 62.5) / 1.75. */
    pact__integ_energy(&g, &sp, 1, 150.0, S(3), &dj);
    T_NEAR(pact__integ_energy_close(&g, 1), 50.0, 1e-9);
    /* A reset inside a window empties it. */
    pact__integ_energy(&g, &sp, 1, 1.0, S(3.5), &dj);
    pact__integ_energy(&g, &sp, 1, 26.0, S(4), &dj);
    T_ASSERT(isnan(pact__integ_energy_close(&g, 1)));
}

TEST(square_wave_50ms)
{
    /* 100 W and 300 W alternating every 50 ms (true mean 200 W), sampled
     * every 10 ms: every 100 ms the trapezoid has four 100 W segments,
     * four 300 W ones and two 200 W ones at the steps: exactly 200. */
    struct pact__integ g = {0};
    for (int k = 0; k <= 100; k++) {
        int ms = 10 * k;
        double w = (ms / 50) % 2 ? 300.0 : 100.0;
        pact__integ_power(&g, 1, w, S(ms / 1000.0));
    }
    T_NEAR(pact__integ_power_close(&g), 200.0, 1e-9);
}

TEST(quadratic_has_the_trapezoid_error)
{
    /* P(t) = 100 t^2 on [0, 1], exact mean 100/3.  The composite
     * trapezoid with step h over-estimates by h^2 f''/12 = h^2 x 200/12,
     * so with h = 0.1 the mean is 100 (1/3 + 0.01/6) = 33.5. */
    struct pact__integ g = {0};
    for (int k = 0; k <= 10; k++) {
        double t = k / 10.0;
        pact__integ_power(&g, 1, 100.0 * t * t, S(t));
    }
    T_NEAR(pact__integ_power_close(&g), 100.0 * (1.0 / 3 + 0.01 / 6), 1e-9);
}

TEST(edge_sample_tiles_windows)
{
    /* A linear ramp 0..200 W over [0, 2] s, sampled every 0.25 s, two
     * 1 s windows: the sample at 1 s closes the first and opens the
     * second.  Means: 50 W and 150 W (linear: trapezoid is exact). */
    struct pact__integ g = {0};
    for (int k = 0; k <= 4; k++)
        pact__integ_power(&g, 1, 100.0 * k * 0.25, S(k * 0.25));
    T_NEAR(pact__integ_power_close(&g), 50.0, 1e-9);
    for (int k = 5; k <= 8; k++)
        pact__integ_power(&g, 1, 100.0 * k * 0.25, S(k * 0.25));
    T_NEAR(pact__integ_power_close(&g), 150.0, 1e-9);
}

TEST(failed_samples_are_not_bridged)
{
    /* 100 W from 0 to 0.5 s, reads fail at 0.6 and 0.7 s, 300 W from
     * 0.8 to 1.0 s: the mean covers [0, 0.5] and [0.8, 1.0] only:
     * (100 x 0.5 + 300 x 0.2) / 0.7. */
    struct pact__integ g = {0};
    for (int k = 0; k <= 5; k++)
        pact__integ_power(&g, 1, 100.0, S(k / 10.0));
    pact__integ_power(&g, 0, NAN, S(0.6));
    pact__integ_power(&g, 0, NAN, S(0.7));
    for (int k = 8; k <= 10; k++)
        pact__integ_power(&g, 1, 300.0, S(k / 10.0));
    T_NEAR(pact__integ_power_close(&g), (50.0 + 60.0) / 0.7, 1e-9);
    /* No good sample at all: empty. */
    pact__integ_power(&g, 0, NAN, S(1.5));
    pact__integ_power(&g, 0, NAN, S(2.0));
    T_ASSERT(isnan(pact__integ_power_close(&g)));
}

TEST(constant_is_exact)
{
    /* 11.1875 W (a LINEAR11 value) at uneven times averages to itself
     * to the last bit. */
    struct pact__integ g = {0};
    const double t[] = {0, 0.013, 0.101, 0.377, 0.5, 0.999};
    for (int k = 0; k < 6; k++)
        pact__integ_power(&g, 1, 11.1875, S(t[k]));
    T_ASSERT(pact__integ_power_close(&g) == 11.1875);
}

T_MAIN(T_RUN(energy_window_uses_read_times); T_RUN(square_wave_50ms);
       T_RUN(quadratic_has_the_trapezoid_error);
       T_RUN(edge_sample_tiles_windows);
       T_RUN(failed_samples_are_not_bridged); T_RUN(constant_is_exact))
