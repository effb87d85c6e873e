/* SPDX-License-Identifier: MIT */
/*
 * test_summary.c - the text and JSON summaries of a run accounted from
 * synthetic rows: the JSON is parsed back and its values compared with
 * the accounting's; the text carries the figures, the +/- and the
 * comparisons.
 */
#include <math.h>
#include <stdlib.h>

#include "core/accounting.h"
#include "output/summary.h"
#include "t.h"

/* Value of "key": in a JSON text (first match after from). */
static double json_num(const char *js, const char *from, const char *key)
{
    char pat[96];
    const char *p = from ? strstr(js, from) : js;
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    p = p ? strstr(p, pat) : NULL;
    if (!p)
        return -12345;
    p += strlen(pat);
    if (strncmp(p, "null", 4) == 0)
        return NAN;
    return strtod(p, NULL);
}

static int json_str(const char *js, const char *key, char *out, size_t len)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\": \"", key);
    const char *p = strstr(js, pat);
    if (!p)
        return -1;
    p += strlen(pat);
    size_t n = 0;
    while (*p && *p != '"' && n + 1 < len) {
        if (*p == '\\')
            p++;
        out[n++] = *p++;
    }
    out[n] = '\0';
    return 0;
}

/* 100 W CPU (1 % accuracy) and 50 W estimated GPU for 10 s at 500 g. */
static struct pact__accounting *run(struct pact_config *cfg,
                                    struct pact_channel *ch)
{
    struct pact__accounting *a;
    char why[256];
    memset(cfg, 0, sizeof *cfg);
    cfg->size = sizeof *cfg;
    cfg->carbon_intensity = 500;
    cfg->pue = 1.0;
    memset(ch, 0, 2 * sizeof *ch);
    snprintf(ch[0].name, sizeof ch[0].name, "rapl_package0_w");
    ch[0].quantity = PACT_Q_ENERGY_J;
    ch[0].role = PACT_ROLE_CPU_POWER;
    ch[0].accuracy_pct = 1.0;
    snprintf(ch[1].name, sizeof ch[1].name, "gpu\"0\"_w");
    ch[1].quantity = PACT_Q_POWER_W;
    ch[1].role = PACT_ROLE_GPU_POWER;
    ch[1].estimated = 1;
    if (pact__accounting_new(cfg, ch, 2, &a, why, sizeof why) < 0)
        return NULL;
    for (int i = 0; i < 10; i++) {
        double v[2] = { 100.0, 50.0 };
        struct pact__row r;
        memset(&r, 0, sizeof r);
        r.index = (uint64_t)i;
        r.unix_start = 1.7e9 + i;
        r.duration_s = 1.0;
        r.psu_total_w = r.wall_power_w = r.other_power_w = NAN;
        r.cpu_power_w = 100.0;
        r.gpu_power_w = 50.0;
        r.nch = 2;
        r.ch = ch;
        r.ch_value = v;
        r.region = "";
        pact__accounting_add(a, &r);
    }
    return a;
}

static int gather(struct pact__accounting *a, struct pact_summary *s,
                  struct pact_source_summary *src)
{
    pact__accounting_summary(a, s);
    int n = pact__accounting_source_count(a);
    for (int i = 0; i < n; i++)
        pact__accounting_source_get(a, i, &src[i]);
    return n;
}

TEST(json_round_trip)
{
    struct pact_config cfg;
    struct pact_channel ch[2];
    struct pact_summary s;
    struct pact_source_summary src[2];
    struct pact__accounting *a = run(&cfg, ch);
    T_ASSERT(a != NULL);
    int n = gather(a, &s, src);
    T_EQ(n, 2);
    char *js = NULL;
    size_t jl = 0;
    FILE *f = open_memstream(&js, &jl);
    T_EQ(pact__summary_json(f, &s, src, n), 0);
    fclose(f);

    T_NEAR(json_num(js, NULL, "duration_s"), 10.0, 1e-12);
    T_NEAR(json_num(js, "\"energy_j\": {", "total"), 1500.0, 1e-9);
    T_NEAR(json_num(js, "\"energy_j\": {", "rapl_package0_w"), 1000.0,
           1e-9);
    T_NEAR(json_num(js, "\"energy_j\": {", "gpu\\\"0\\\"_w"), 500.0, 1e-9);
    T_NEAR(json_num(js, NULL, "avg_power_w"), 150.0, 1e-9);
    T_NEAR(json_num(js, NULL, "peak_power_w"), 150.0, 1e-9);
    T_NEAR(json_num(js, NULL, "co2_g"), 1500.0 / 3.6e6 * 500.0, 1e-15);
    T_NEAR(json_num(js, NULL, "carbon_intensity_g_per_kwh"), 500.0, 1e-9);
    T_ASSERT(isnan(json_num(js, NULL, "psu_efficiency")));
    T_NEAR(json_num(js, NULL, "pue"), 1.0, 0);
    /* 1 % of 1000 J and 30 % of 500 J in quadrature, printed at k = 2. */
    T_NEAR(json_num(js, NULL, "energy_uncertainty_j"),
           2 * sqrt(10.0 * 10.0 + 150.0 * 150.0), 1e-9);
    T_NEAR(json_num(js, NULL, "uncertainty_k"), 2.0, 0);
    T_ASSERT(strstr(js, "\"basis\": \"components\"") != NULL);
    T_ASSERT(strstr(js, "\"basis_lower_bound\": true") != NULL);
    T_ASSERT(strstr(js, "\"gap_windows\": 0") != NULL);
    T_ASSERT(strstr(js, "\"dropped_sources\": []") != NULL);
    T_NEAR(json_num(js, NULL, "energy_uncertainty_j"),
           s.energy_uncertainty_j, 0);
    T_NEAR(json_num(js, NULL, "car_km"),
           s.co2_g / 400.0 * 1.609344, 1e-15);
    T_NEAR(json_num(js, NULL, "smartphone_charges"), s.co2_g / 8.22,
           1e-15);
    char text[160];
    T_EQ(json_str(js, "carbon_intensity_source", text, sizeof text), 0);
    T_STREQ(text, s.carbon_intensity_source);
    T_EQ(json_str(js, "total_basis", text, sizeof text), 0);
    T_STREQ(text, s.total_basis);
    T_ASSERT(strstr(js, "\"estimated\": true") != NULL);
    T_ASSERT(js[jl - 1] == '\n');
    free(js);
    pact__accounting_free(a);
}

TEST(text_has_figures)
{
    struct pact_config cfg;
    struct pact_channel ch[2];
    struct pact_summary s;
    struct pact_source_summary src[2];
    struct pact__accounting *a = run(&cfg, ch);
    T_ASSERT(a != NULL);
    int n = gather(a, &s, src);
    char *tx = NULL;
    size_t tl = 0;
    FILE *f = open_memstream(&tx, &tl);
    T_EQ(pact__summary_text(f, &s, src, n), 0);
    fclose(f);
    char want[128];
    /* A sum of components is a lower bound: no symmetric band. */
    snprintf(want, sizeof want, "total: >= %.1f J (a lower bound",
             s.energy_j);
    T_ASSERT(strstr(tx, want) != NULL);
    snprintf(want, sizeof want, "%.6f kWh", s.energy_j / 3.6e6);
    T_ASSERT(strstr(tx, want) != NULL);
    T_ASSERT(strstr(tx, "rapl_package0_w") && strstr(tx, "(estimated)"));
    T_ASSERT(strstr(tx, "sum of components") != NULL);
    T_ASSERT(strstr(tx, "PSU efficiency not applied") != NULL);
    snprintf(want, sizeof want, "CO2: %.4g g at 500.0 g/kWh", s.co2_g);
    T_ASSERT(strstr(tx, want) != NULL);
    T_ASSERT(strstr(tx, "average car (EPA: 400 g/mile)") != NULL);
    T_ASSERT(strstr(tx, "smartphone charges (EPA: 8.22 g each)") != NULL);
    free(tx);
    pact__accounting_free(a);
}

TEST(unknown_energy_is_null)
{
    struct pact_config cfg;
    struct pact__accounting *a;
    struct pact_summary s;
    char why[256];
    memset(&cfg, 0, sizeof cfg);
    cfg.size = sizeof cfg;
    cfg.carbon_intensity = 100;
    T_EQ(pact__accounting_new(&cfg, NULL, 0, &a, why, sizeof why), 0);
    struct pact__row r;
    memset(&r, 0, sizeof r);
    r.duration_s = 1.0;
    r.psu_total_w = r.wall_power_w = r.other_power_w = NAN;
    r.cpu_power_w = r.gpu_power_w = NAN;
    r.region = "";
    pact__accounting_add(a, &r);
    T_ASSERT(isnan(r.energy_cum_j) && isnan(r.co2_cum_g));
    pact__accounting_summary(a, &s);
    T_ASSERT(isnan(s.energy_j) && isnan(s.co2_g));
    char *js = NULL;
    size_t jl = 0;
    FILE *f = open_memstream(&js, &jl);
    T_EQ(pact__summary_json(f, &s, NULL, 0), 0);
    fclose(f);
    T_ASSERT(strstr(js, "\"energy_j\": {\"total\": null}") != NULL);
    T_ASSERT(strstr(js, "\"co2_g\": null") != NULL);
    T_NEAR(json_num(js, NULL, "carbon_intensity_g_per_kwh"), 100, 0);
    free(js);
    pact__accounting_free(a);
}

T_MAIN(T_RUN(json_round_trip); T_RUN(text_has_figures);
       T_RUN(unknown_energy_is_null))
