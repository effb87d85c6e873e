/* SPDX-License-Identifier: MIT */
/*
 * test_basis.c - containment and the one basis of a run
 * (core/basis.h): measured wall over the PSU's estimate, never both
 * added; PSU DC; psys; the sum of components as a lower bound; the
 * labelled estimate standing aside while a measurement is live.  The
 * numbers are the reproductions (issue 11, items 1, 2 and 4).
 */
#include <math.h>

#include "core/basis.h"
#include "t.h"

static struct pact_channel chan(const char *name, int q, int role, int est,
                                int fallback_for)
{
    struct pact_channel c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    c.quantity = q;
    c.role = role;
    c.estimated = est;
    c.fallback_for = fallback_for;
    return c;
}

static void row_for(struct pact__row *r, const struct pact_channel *ch,
                    int n, double *v)
{
    memset(r, 0, sizeof *r);
    r->nch = n;
    r->ch = ch;
    r->ch_value = v;
    r->region = "";
}

TEST(two_wall_sources_are_not_added)
{
    /* An ACPI power meter at 300 W and a Corsair PSU whose input is
     * estimated at 160 W (DC 147 W): the measured wall wins, 300 W,
     * not 460 W. */
    struct pact_channel ch[3] = {
        chan("hwmon_power_meter_power1_w", PACT_Q_POWER_W,
             PACT_ROLE_WALL_POWER, 0, 0),
        chan("psu_input_estimated_w", PACT_Q_POWER_W, PACT_ROLE_WALL_POWER,
             1, 0),
        chan("psu_output_w", PACT_Q_POWER_W, PACT_ROLE_PSU_TOTAL, 0, 0),
    };
    unsigned char dropped[3] = {0};
    struct pact__basis b;
    T_EQ(pact__basis_choose(&b, ch, 3, dropped), 0);
    T_EQ(b.kind, PACT__BASIS_WALL);
    T_EQ(b.wall_estimated, 0);
    T_ASSERT(strstr(b.why, "not added") != NULL);
    double v[3] = {300.0, 160.0, 147.0};
    struct pact__row r;
    row_for(&r, ch, 3, v);
    pact__basis_row(&b, &r, v);
    T_NEAR(r.basis_power_w, 300.0, 0);
    T_NEAR(r.wall_power_w, 300.0, 0);
    T_NEAR(r.psu_total_w, 147.0, 0);
    T_NEAR(v[1], 160.0, 0); /* the estimate stays a column */
    pact__basis_free(&b);
}

TEST(dead_psys_estimate_takes_over)
{
    /* psys present but dropped (reads 0 J forever): never CPU power,
     * and the labelled estimate is the total, a lower bound. */
    struct pact_channel ch[3] = {
        chan("rapl_psys_w", PACT_Q_ENERGY_J, PACT_ROLE_PLATFORM_POWER, 0, 0),
        chan("cpu_estimated_w", PACT_Q_ENERGY_J, PACT_ROLE_CPU_POWER, 1,
             PACT_ROLE_CPU_POWER),
        chan("memory_estimated_w", PACT_Q_ENERGY_J, PACT_ROLE_OTHER_POWER, 1,
             PACT_ROLE_CPU_POWER),
    };
    unsigned char dropped[3] = {1, 0, 0};
    struct pact__basis b;
    T_EQ(pact__basis_choose(&b, ch, 3, dropped), 0);
    T_EQ(b.kind, PACT__BASIS_COMPONENTS);
    double v[3] = {0.0, 12.5, 6.0};
    struct pact__row r;
    row_for(&r, ch, 3, v);
    pact__basis_row(&b, &r, v);
    T_ASSERT(isnan(v[0])); /* dropped: its cell is emptied */
    T_NEAR(r.cpu_power_w, 12.5, 0);
    T_EQ(r.cpu_estimated, 1);
    T_NEAR(r.basis_power_w, 18.5, 1e-12);
    pact__basis_free(&b);

    /* The same psys live: it is the basis, and the estimates still
     * count as components (no measured CPU power). */
    dropped[0] = 0;
    T_EQ(pact__basis_choose(&b, ch, 3, dropped), 0);
    T_EQ(b.kind, PACT__BASIS_PSYS);
    double w[3] = {35.0, 12.5, 6.0};
    row_for(&r, ch, 3, w);
    pact__basis_row(&b, &r, w);
    T_NEAR(r.basis_power_w, 35.0, 0);
    pact__basis_free(&b);
}

TEST(estimate_stands_aside_for_live_rapl)
{
    struct pact_channel ch[4] = {
        chan("rapl_package0_w", PACT_Q_ENERGY_J, PACT_ROLE_CPU_POWER, 0, 0),
        chan("rapl_dram0_w", PACT_Q_ENERGY_J, PACT_ROLE_OTHER_POWER, 0, 0),
        chan("cpu_estimated_w", PACT_Q_ENERGY_J, PACT_ROLE_CPU_POWER, 1,
             PACT_ROLE_CPU_POWER),
        chan("memory_estimated_w", PACT_Q_ENERGY_J, PACT_ROLE_OTHER_POWER, 1,
             PACT_ROLE_CPU_POWER),
    };
    unsigned char dropped[4] = {0};
    struct pact__basis b;
    T_EQ(pact__basis_choose(&b, ch, 4, dropped), 0);
    T_EQ(b.kind, PACT__BASIS_COMPONENTS);
    double v[4] = {42.0, 3.0, 30.0, 6.0};
    struct pact__row r;
    row_for(&r, ch, 4, v);
    pact__basis_row(&b, &r, v);
    T_NEAR(r.cpu_power_w, 42.0, 0);
    T_EQ(r.cpu_estimated, 0);
    T_NEAR(r.basis_power_w, 45.0, 0);
    T_ASSERT(isnan(v[2]) && isnan(v[3]));
    pact__basis_free(&b);
}

TEST(psu_outage_is_a_gap_not_a_switch)
{
    /* PSU DC 222 W over CPU + DRAM 60 + 9 W; two windows without the
     * PSU: the components (69, then 55 W) scaled by 222/69, never the
     * components alone on the DC side. */
    struct pact_channel ch[3] = {
        chan("psu_output_w", PACT_Q_POWER_W, PACT_ROLE_PSU_TOTAL, 0, 0),
        chan("rapl_package0_w", PACT_Q_ENERGY_J, PACT_ROLE_CPU_POWER, 0, 0),
        chan("rapl_dram0_w", PACT_Q_ENERGY_J, PACT_ROLE_OTHER_POWER, 0, 0),
    };
    unsigned char dropped[3] = {0};
    struct pact__basis b;
    T_EQ(pact__basis_choose(&b, ch, 3, dropped), 0);
    T_EQ(b.kind, PACT__BASIS_PSU_DC);
    struct pact__row r;
    double v1[3] = {222.0, 60.0, 9.0};
    row_for(&r, ch, 3, v1);
    pact__basis_row(&b, &r, v1);
    T_NEAR(r.basis_power_w, 222.0, 0);
    T_EQ(r.basis_gap, 0);
    double v2[3] = {NAN, 60.0, 9.0};
    row_for(&r, ch, 3, v2);
    pact__basis_row(&b, &r, v2);
    T_NEAR(r.basis_power_w, 222.0, 1e-9);
    T_EQ(r.basis_gap, 1);
    double v3[3] = {NAN, 46.0, 9.0};
    row_for(&r, ch, 3, v3);
    pact__basis_row(&b, &r, v3);
    T_NEAR(r.basis_power_w, 55.0 * 222.0 / 69.0, 1e-9);
    T_EQ(r.basis_gap, 1);
    T_NEAR(r.gap_u_rel, PACT__GAP_U_RATIO, 0);
    pact__basis_free(&b);
}

T_MAIN(T_RUN(two_wall_sources_are_not_added);
       T_RUN(dead_psys_estimate_takes_over);
       T_RUN(estimate_stands_aside_for_live_rapl);
       T_RUN(psu_outage_is_a_gap_not_a_switch))
