/* SPDX-License-Identifier: MIT */
/*
 * test_accounting.c - the accounting on synthetic rows: per-channel
 * energy, the total's basis (wall, PSU DC / efficiency, sum of parts),
 * PUE, cumulative columns, CO2 at a constant intensity, regions and the
 * uncertainty of a known mix.
 */
#include <math.h>
#include <stdlib.h>

#include "core/accounting.h"
#include "core/basis.h"
#include "t.h"

static void cfg_default(struct pact_config *c)
{
    memset(c, 0, sizeof *c);
    c->size = sizeof *c;
    c->measure_period_s = 1.0;
    c->carbon_intensity = 500;
    c->pue = 1.0;
    c->data_dir = "data";
}

static void row_init(struct pact__row *r, uint64_t i, double t, double d,
                     const struct pact_channel *ch, int nch,
                     const double *v)
{
    memset(r, 0, sizeof *r);
    r->index = i;
    r->unix_start = t;
    r->duration_s = d;
    r->psu_total_w = r->gpu_power_w = r->cpu_power_w = NAN;
    r->gpu_util_sm = r->gpu_util_mem = r->wall_power_w = NAN;
    r->other_power_w = NAN;
    r->nch = nch;
    r->ch = ch;
    r->ch_value = v;
    r->region = "";
    r->predicted_total_w = NAN;
}

static struct pact_channel chan(const char *name, int q, int role, int est,
                                double acc_pct, double res)
{
    struct pact_channel c;
    memset(&c, 0, sizeof c);
    snprintf(c.name, sizeof c.name, "%s", name);
    c.quantity = q;
    c.role = role;
    c.estimated = est;
    c.accuracy_pct = acc_pct;
    c.resolution = res;
    return c;
}

/* The run's basis, chosen once from the channels (none dropped), as the
 * tracker does after the liveness probation; rows then go through it. */
static struct pact__basis B;

static void basis_for(struct pact__accounting *a,
                      const struct pact_channel *ch, int n)
{
    static const unsigned char none[8];
    pact__basis_free(&B);
    pact__basis_choose(&B, ch, n, none);
    pact__accounting_set_basis(a, &B, "");
}

static void add(struct pact__accounting *a, struct pact__row *r, double *v)
{
    pact__basis_row(&B, r, v);
    pact__accounting_add(a, r);
}

/* A constant 100 W RAPL package for 10 one-second windows. */
TEST(constant_100w_10s)
{
    struct pact_config cfg;
    struct pact_channel ch[2] = {
        chan("rapl_package0_w", PACT_Q_ENERGY_J, PACT_ROLE_CPU_POWER, 0,
             1.0, 0),
        chan("gpu_util", PACT_Q_PERCENT, PACT_ROLE_GPU_UTIL_SM, 0, 0, 0),
    };
    struct pact__accounting *a;
    char why[256] = "";
    cfg_default(&cfg);
    T_EQ(pact__accounting_new(&cfg, ch, 2, &a, why, sizeof why), 0);
    basis_for(a, ch, 2);
    for (int i = 0; i < 10; i++) {
        double v[2] = { 100.0, 50.0 };
        struct pact__row r;
        row_init(&r, (uint64_t)i, 1.7e9 + i, 1.0, ch, 2, v);
        r.cpu_power_w = 100.0;
        add(a, &r, (double *)r.ch_value);
        T_NEAR(r.total_power_w, 100.0, 1e-12);
        T_NEAR(r.energy_cum_j, 100.0 * (i + 1), 1e-9);
    }
    struct pact_summary s;
    pact__accounting_summary(a, &s);
    T_NEAR(s.energy_j, 1000.0, 1e-9);
    T_NEAR(s.co2_g, 1000.0 / 3.6e6 * 500.0, 1e-12);
    T_NEAR(s.carbon_intensity_g_per_kwh, 500.0, 1e-9);
    T_NEAR(s.duration_s, 10.0, 1e-12);
    T_EQ(s.rows, 10);
    T_NEAR(s.avg_power_w, 100.0, 1e-9);
    T_NEAR(s.peak_power_w, 100.0, 1e-12);
    T_NEAR(s.cpu_energy_j, 1000.0, 1e-9);
    T_ASSERT(isnan(s.gpu_energy_j));
    T_ASSERT(isnan(s.psu_dc_energy_j));
    T_ASSERT(isnan(s.psu_efficiency));
    /* 1 % stated accuracy, systematic: 10 J; printed at k = 2. */
    T_NEAR(s.uncertainty_k, 2.0, 0);
    T_NEAR(s.energy_uncertainty_j, 2 * 10.0, 1e-9);
    T_EQ(s.basis_lower_bound, 1);
    T_STREQ(s.basis, "components");
    T_ASSERT(strstr(s.total_basis, "sum of components") != NULL);
    T_ASSERT(strstr(s.carbon_intensity_source, "500") != NULL);
    /* The utilisation channel is not a source. */
    T_EQ(pact__accounting_source_count(a), 1);
    struct pact_source_summary src;
    T_EQ(pact__accounting_source_get(a, 0, &src), 0);
    T_STREQ(src.name, "rapl_package0_w");
    T_NEAR(src.energy_j, 1000.0, 1e-9);
    T_NEAR(src.avg_power_w, 100.0, 1e-9);
    T_EQ(src.samples, 10);
    T_ASSERT(pact__accounting_source_get(a, 1, &src) < 0);
    pact__accounting_free(a);
}

/* A source that never gave a reading has unknown energy, not 0 J. */
TEST(source_without_readings_is_unknown)
{
    struct pact_config cfg;
    struct pact_channel ch[1] = {
        chan("rapl_package0_w", PACT_Q_ENERGY_J, PACT_ROLE_CPU_POWER, 0,
             0, 0),
    };
    struct pact__accounting *a;
    char why[256] = "";
    cfg_default(&cfg);
    T_EQ(pact__accounting_new(&cfg, ch, 1, &a, why, sizeof why), 0);
    basis_for(a, ch, 1);
    for (int i = 0; i < 3; i++) {
        double v[1] = {NAN};
        struct pact__row r;
        row_init(&r, (uint64_t)i, 1.7e9 + i, 1.0, ch, 1, v);
        add(a, &r, (double *)r.ch_value);
    }
    struct pact_source_summary src;
    T_EQ(pact__accounting_source_get(a, 0, &src), 0);
    T_EQ(src.samples, 0);
    T_ASSERT(isnan(src.energy_j));
    T_ASSERT(isnan(src.peak_power_w));
    pact__accounting_free(a);
}

/* Wall power wins over PSU DC, which wins over the components, once per
 * run: windows without a wall reading are gaps, estimated, never a
 * switch to another basis. */
TEST(basis_precedence)
{
    struct pact_config cfg;
    struct pact_channel ch[3] = {
        chan("psu_w", PACT_Q_POWER_W, PACT_ROLE_PSU_TOTAL, 0, 2.0, 0),
        chan("cpu_w", PACT_Q_POWER_W, PACT_ROLE_CPU_POWER, 0, 0, 0),
        chan("wall_w", PACT_Q_POWER_W, PACT_ROLE_WALL_POWER, 1, 0, 0),
    };
    struct pact__accounting *a;
    char why[256];
    cfg_default(&cfg);
    T_EQ(pact__accounting_new(&cfg, ch, 3, &a, why, sizeof why), 0);
    basis_for(a, ch, 3);
    T_EQ(B.kind, PACT__BASIS_WALL);
    double v[3] = { 184.0, 60.0, 200.0 };
    struct pact__row r;
    row_init(&r, 0, 0, 2.0, ch, 3, v);
    add(a, &r, v);
    T_NEAR(r.total_power_w, 200.0, 1e-12);
    T_EQ(r.basis_gap, 0);

    /* No wall reading: CPU 60 W x the last wall/CPU ratio 200/60. */
    double v2[3] = { 184.0, 60.0, NAN };
    row_init(&r, 1, 2, 2.0, ch, 3, v2);
    add(a, &r, v2);
    T_NEAR(r.total_power_w, 60.0 * (200.0 / 60.0), 1e-9);
    T_EQ(r.basis_gap, 1);

    double v3[3] = { NAN, 30.0, NAN };
    row_init(&r, 2, 4, 2.0, ch, 3, v3);
    add(a, &r, v3);
    T_NEAR(r.total_power_w, 30.0 * (200.0 / 60.0), 1e-9);
    T_EQ(r.basis_gap, 1);

    /* Nothing at all: the last wall reading is held. */
    double v4[3] = { NAN, NAN, NAN };
    row_init(&r, 3, 6, 2.0, ch, 3, v4);
    add(a, &r, v4);
    T_NEAR(r.total_power_w, 200.0, 1e-9);
    T_NEAR(r.energy_cum_j, 2 * (200.0 + 200.0 + 100.0 + 200.0), 1e-9);

    struct pact_summary s;
    pact__accounting_summary(a, &s);
    T_NEAR(s.energy_j, 1400.0, 1e-9);
    T_NEAR(s.duration_s, 8.0, 1e-12);
    T_NEAR(s.peak_power_w, 200.0, 1e-12);
    T_NEAR(s.psu_efficiency, 0.92, 1e-12);
    T_NEAR(s.psu_dc_energy_j, 2 * 2 * 184.0, 1e-9);
    T_EQ(s.gap_windows, 3);
    /* The PSU's own input estimate is DC over its efficiency curve. */
    T_STREQ(s.basis, "psu_dc");
    T_EQ(s.basis_lower_bound, 0);
    T_ASSERT(strstr(s.total_basis, "(estimated wall power)") != NULL);
    T_ASSERT(strstr(s.total_basis, "3 gap windows") != NULL);
    pact__accounting_free(a);
}

/* PSU DC over a rated curve, times a PUE. */
TEST(psu_curve_and_pue)
{
    struct pact_config cfg;
    struct pact_channel ch[1] = {
        chan("psu_w", PACT_Q_POWER_W, PACT_ROLE_PSU_TOTAL, 0, 0, 0),
    };
    struct pact__accounting *a;
    char why[256];
    cfg_default(&cfg);
    cfg.psu_rating = "gold:1000W";
    cfg.pue = 1.5;
    T_EQ(pact__accounting_new(&cfg, ch, 1, &a, why, sizeof why), 0);
    basis_for(a, ch, 1);
    /* 350 W of 1000 W: 35 % load, halfway between 20 % (0.87) and 50 %
     * (0.90) on the 115 V gold curve: 0.885. */
    double v[1] = { 350.0 };
    struct pact__row r;
    row_init(&r, 0, 0, 1.0, ch, 1, v);
    r.psu_total_w = 350.0;
    add(a, &r, (double *)r.ch_value);
    T_NEAR(r.total_power_w, 350.0 / 0.885 * 1.5, 1e-9);
    struct pact_summary s;
    pact__accounting_summary(a, &s);
    T_NEAR(s.psu_efficiency, 0.885, 1e-12);
    T_NEAR(s.pue, 1.5, 0);
    T_ASSERT(strstr(s.total_basis, "gold") != NULL);
    T_ASSERT(strstr(s.total_basis, "PUE 1.5") != NULL);
    /* Measured channel without stated accuracy (5 %) and the curve's
     * 0.02 on 0.885, both systematic, in quadrature. */
    double e = 350.0 / 0.885 * 1.5;
    double u = e * sqrt(0.05 * 0.05 + (0.02 / 0.885) * (0.02 / 0.885));
    T_NEAR(s.energy_uncertainty_j, 2 * u, 1e-9); /* k = 2 */
    pact__accounting_free(a);
}

/* Known mix: measured CPU with resolution, estimated GPU; regions. */
TEST(uncertainty_known_mix)
{
    struct pact_config cfg;
    struct pact_channel ch[2] = {
        chan("cpu_w", PACT_Q_POWER_W, PACT_ROLE_CPU_POWER, 0, 2.0, 0.5),
        chan("gpu_w", PACT_Q_POWER_W, PACT_ROLE_GPU_POWER, 1, 0, 0),
    };
    struct pact__accounting *a;
    char why[256];
    cfg_default(&cfg);
    cfg.carbon_intensity = 0;
    T_EQ(pact__accounting_new(&cfg, ch, 2, &a, why, sizeof why), 0);
    basis_for(a, ch, 2);
    for (int i = 0; i < 4; i++) {
        double v[2] = { 50.0, 150.0 };
        struct pact__row r;
        row_init(&r, (uint64_t)i, i * 0.5, 0.5, ch, 2, v);
        r.cpu_power_w = 50.0;
        r.gpu_power_w = 150.0;
        r.region = i < 2 ? "load" : "train";
        add(a, &r, (double *)r.ch_value);
    }
    struct pact_summary s;
    pact__accounting_summary(a, &s);
    T_NEAR(s.energy_j, 400.0, 1e-9);
    T_NEAR(s.co2_g, 0.0, 0);
    /* CPU: 2 % of 100 J, plus 0.5 W / sqrt(12) over four 0.5 s windows;
     * GPU estimated, no accuracy given: 30 % of 300 J. */
    double u_cpu2 = 2.0 * 2.0 + (0.5 / sqrt(12.0)) * (0.5 / sqrt(12.0)) *
                                    (4 * 0.25);
    double u_gpu = 0.30 * 300.0;
    T_NEAR(s.energy_uncertainty_j, 2 * sqrt(u_cpu2 + u_gpu * u_gpu),
           1e-9); /* k = 2 */
    T_NEAR(pact__accounting_region_energy(a, "load"), 200.0, 1e-9);
    T_NEAR(pact__accounting_region_energy(a, "train"), 200.0, 1e-9);
    T_ASSERT(isnan(pact__accounting_region_energy(a, "none")));
    T_ASSERT(strstr(s.total_basis, "CPU+GPU") != NULL);
    pact__accounting_free(a);
    pact__basis_free(&B);
}

TEST(bad_config)
{
    struct pact_config cfg;
    struct pact__accounting *a = NULL;
    char why[256] = "";
    cfg_default(&cfg);
    cfg.psu_rating = "diamond";
    T_EQ(pact__accounting_new(&cfg, NULL, 0, &a, why, sizeof why),
         PACT_EBADCONFIG);
    T_ASSERT(a == NULL);
    T_ASSERT(strstr(why, "gold") != NULL);
    cfg_default(&cfg);
    cfg.psu_efficiency = 1.5;
    T_EQ(pact__accounting_new(&cfg, NULL, 0, &a, why, sizeof why),
         PACT_EBADCONFIG);
    T_ASSERT(strstr(why, "--psu-efficiency") != NULL);
}

T_MAIN(T_RUN(constant_100w_10s); T_RUN(source_without_readings_is_unknown);
       T_RUN(basis_precedence);
       T_RUN(psu_curve_and_pue); T_RUN(uncertainty_known_mix);
       T_RUN(bad_config))
