/* SPDX-License-Identifier: MIT */
/*
 * test_liveness.c - present but not counting (core/liveness.h): the
 * verdict on its own, and end to end through a tracker on a fixture
 * machine whose RAPL package counter never moves (issue 11, item 1): the
 * package is dropped, the labelled estimate is the total, a lower bound,
 * never "unknown".
 */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "core/liveness.h"
#include "pact/pact.h"
#include "sysfs_fixture.h"
#include "t.h"

static struct pact_channel chan(int q, int role, int est)
{
    struct pact_channel c;
    memset(&c, 0, sizeof c);
    c.quantity = q;
    c.role = role;
    c.estimated = est;
    return c;
}

TEST(verdicts)
{
    char why[128];
    struct pact_channel psys = chan(PACT_Q_ENERGY_J,
                                    PACT_ROLE_PLATFORM_POWER, 0);
    struct pact__alive a = {0};
    for (int i = 0; i < 20; i++)
        pact__alive_note(&a, 1, 0.0); /* 0 J per read, for 2 s */
    T_EQ(pact__alive_dead(&a, &psys, 2.0, why, sizeof why), 1);
    T_ASSERT(strstr(why, "did not advance") != NULL);
    /* Not enough evidence yet: no verdict. */
    T_EQ(pact__alive_dead(&a, &psys, 0.1, why, sizeof why), 0);
    pact__alive_note(&a, 1, 0.004);
    T_EQ(pact__alive_dead(&a, &psys, 2.0, why, sizeof why), 0);

    struct pact_channel gpu = chan(PACT_Q_POWER_W, PACT_ROLE_GPU_POWER, 0);
    struct pact__alive g = {0};
    pact__alive_note(&g, 1, 0.0);
    pact__alive_note(&g, 0, NAN);
    T_EQ(pact__alive_dead(&g, &gpu, 2.0, why, sizeof why), 1);
    T_ASSERT(strstr(why, "exactly 0 W") != NULL);
    /* A counter refreshed every 1.5 s needs 3 s before a verdict. */
    gpu.quantity = PACT_Q_ENERGY_J;
    gpu.update_period_s = 1.5;
    T_EQ(pact__alive_dead(&g, &gpu, 2.0, why, sizeof why), 0);
    /* Rails and estimates are never judged. */
    struct pact_channel rail = chan(PACT_Q_POWER_W, PACT_ROLE_DETAIL_POWER, 0);
    struct pact_channel est = chan(PACT_Q_ENERGY_J, PACT_ROLE_CPU_POWER, 1);
    est.fallback_for = PACT_ROLE_CPU_POWER;
    T_EQ(pact__alive_dead(&g, &rail, 5.0, why, sizeof why), 0);
    T_EQ(pact__alive_dead(&g, &est, 5.0, why, sizeof why), 0);
    /* A device's own estimate (a PSU's input from its curve) is. */
    struct pact_channel psu_in = chan(PACT_Q_POWER_W, PACT_ROLE_WALL_POWER, 1);
    T_EQ(pact__alive_dead(&g, &psu_in, 5.0, why, sizeof why), 1);
}

TEST(dead_rapl_estimate_takes_over)
{
    char *root = fx_root();
    fx_write(root, "sys/class/powercap/intel-rapl:0/name", "package-0\n");
    fx_write(root, "sys/class/powercap/intel-rapl:0/energy_uj", "5000000\n");
    fx_write(root, "proc/cpuinfo", "processor\t: 0\nvendor_id\t: "
             "GenuineIntel\nmodel name\t: Unknown Test CPU\n\n");
    fx_write(root, "proc/stat", "cpu  100 0 50 1000 10 0 0 0 0 0\n"
             "cpu0 100 0 50 1000 10 0 0 0 0 0\n");
    fx_write(root, "proc/meminfo", "MemTotal:       8388608 kB\n");
    setenv("PACT_NVML_LIB", "/nonexistent/libnvidia-ml.so.1", 1);
    struct pact_config c;
    pact_config_init(&c);
    c.sysroot = root;
    c.psu = "none";
    c.output_path = "";
    c.events = "page-faults";
    c.measure_period_s = 0.5;
    c.perf_period_s = 0.05;
    c.carbon_intensity = 100;
    struct pact_tracker *t = NULL;
    char err[512];
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), 0);
    T_EQ(pact_tracker_start(t), 0);
    struct timespec ts = {2, 300000000};
    nanosleep(&ts, NULL);
    T_EQ(pact_tracker_stop(t), 0);
    struct pact_summary s;
    T_EQ(pact_tracker_summary(t, &s), 0);
    printf("  basis %s (%s); dropped: %s\n", s.basis, s.basis_why,
           s.dropped_sources);
    T_STREQ(s.basis, "components");
    T_EQ(s.basis_lower_bound, 1);
    T_ASSERT(strstr(s.dropped_sources, "rapl_package0_w: energy counter "
                                       "did not advance") != NULL);
    T_ASSERT(!isnan(s.energy_j) && s.energy_j > 0);
    /* The total is the estimates' sum: 1 CPU x 4 W x 0.1 idle (the stat
     * file never moves: 0 % busy) plus 8 GiB x 3/8 W, over the run. */
    double want_w = 4.0 * 0.10 + 8.0 * 3.0 / 8.0;
    /* The estimate stamps its samples with the times it integrated to,
     * so only rounding remains. */
    T_NEAR(s.avg_power_w, want_w, 1e-9 * want_w);
    struct pact_source_summary src;
    int n = pact_tracker_source_count(t), seen = 0;
    for (int i = 0; i < n; i++) {
        T_EQ(pact_tracker_source_get(t, i, &src), 0);
        if (strcmp(src.name, "rapl_package0_w") == 0) {
            T_EQ(src.samples, 0); /* dropped: no cell counted */
            seen = 1;
        }
    }
    T_EQ(seen, 1);
    pact_tracker_free(t);
    fx_free(root);
}

T_MAIN(T_RUN(verdicts); T_RUN(dead_rapl_estimate_takes_over))
