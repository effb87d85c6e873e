/* SPDX-License-Identifier: MIT */
/*
 * test_series_coverage.c - a carbon intensity series that does not cover
 * the run (issue 11, item 10): one warning that says which value was
 * used, and the CO2 computed with that value.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/accounting.h"
#include "t.h"

static char logged[1024];
static int nlogged;

static void on_log(int level, const char *msg, void *user)
{
    (void)level;
    (void)user;
    if (strstr(msg, "does not cover")) {
        snprintf(logged, sizeof logged, "%s", msg);
        nlogged++;
    }
}

TEST(series_from_2020_used_in_2026)
{
    char path[] = "/tmp/pact-series-XXXXXX";
    int fd = mkstemp(path);
    T_ASSERT(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "timestamp,gco2_per_kwh\n2020-01-01T00:00:00Z,300\n"
               "2020-01-01T01:00:00Z,200\n");
    fclose(f);
    struct pact_channel ch;
    memset(&ch, 0, sizeof ch);
    snprintf(ch.name, sizeof ch.name, "cpu_w");
    ch.quantity = PACT_Q_POWER_W;
    ch.role = PACT_ROLE_CPU_POWER;
    struct pact_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.size = sizeof cfg;
    cfg.measure_period_s = 1;
    cfg.carbon_intensity = -1;
    cfg.pue = 1;
    cfg.intensity_file = path;
    struct pact__accounting *a;
    char why[256];
    T_EQ(pact__accounting_new(&cfg, &ch, 1, &a, why, sizeof why), 0);
    pact_set_log(on_log, NULL);
    /* 2026-12-01T00:00:00Z, three windows of 360 W for 10 s. */
    for (int i = 0; i < 3; i++) {
        double v = 360.0;
        struct pact__row r;
        memset(&r, 0, sizeof r);
        r.index = (uint64_t)i;
        r.unix_start = 1796083200.0 + 10 * i;
        r.duration_s = 10;
        r.nch = 1;
        r.ch = &ch;
        r.ch_value = &v;
        r.region = "";
        pact__accounting_add(a, &r);
    }
    pact_set_log(NULL, NULL);
    unlink(path);
    printf("  %s\n", logged);
    T_EQ(nlogged, 1);
    T_ASSERT(strstr(logged, "last value, 200 g/kWh") != NULL);
    struct pact_summary s;
    pact__accounting_summary(a, &s);
    /* 10 800 J = 0.003 kWh at the held 200 g/kWh. */
    T_NEAR(s.co2_g, 0.003 * 200.0, 1e-9);
    pact__accounting_free(a);
}

T_MAIN(T_RUN(series_from_2020_used_in_2026))
