/* SPDX-License-Identifier: MIT */
/*
 * test_model_fit.c - the whole pipeline from CSV files to a model:
 * grouping by file name, Power_Other derived from the PSU, GPU and RAPL
 * columns, counters per perf period, the law recovered by OLS and by the
 * piecewise model with PFA; and every degenerate input (constant column,
 * fewer rows than features, empty cluster, empty cells, all-empty
 * column, missing column, text cell, run shorter than the window).
 */
#include <errno.h>

#include "model/dataset.h"
#include "model/fit.h"
#include "model/metrics.h"
#include "model_synth.h"
#include "pact/pact.h"
#include "t.h"

static const char *const feat6[] = {
    "GPU_Util_SM(%)", "GPU_Util_Memory(%)", "migrations", "faults",
    "cache-misses", "cycles"};
static char dir[64];

static const char *fresh(void)
{
    if (dir[0])
        syn_rmdir(dir);
    return syn_tmpdir(dir, sizeof dir);
}

static struct pact__input in[16];
static char paths[16][256];

static size_t inputs(const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
        in[i].path = paths[i];
        in[i].workload = NULL;
        in[i].trial = NULL;
    }
    return n;
}

TEST(file_names_give_workload_and_trial)
{
    char w[64], t[16];
    T_EQ(pact__input_name("d/stress_cpu_25_3_PACT.csv", w, sizeof w, t,
                          sizeof t), 1);
    T_STREQ(w, "stress_cpu_25");
    T_STREQ(t, "3");
    T_EQ(pact__input_name("run.csv", w, sizeof w, t, sizeof t), 0);
    T_STREQ(w, "run");
    T_STREQ(t, "");
    T_EQ(pact__input_name("/x/sleep_PACT.csv", w, sizeof w, t, sizeof t), 0);
    T_STREQ(w, "sleep_PACT");
    T_EQ(pact__input_name("a_very_long_name_1_PACT.csv", w, 4, t, sizeof t),
         -ENAMETOOLONG);
}

TEST(loads_groups_and_derives_power_other)
{
    T_ASSERT(fresh());
    for (int t = 1; t <= 3; t++) {
        T_EQ(syn_run(dir, "cpu", t, 60, 0.8, 0, 0.5, 2, t), 0);
        T_EQ(syn_run(dir, "idle", t, 50, 0.05, 0, 0.5, 0, 10 + t), 0);
    }
    const char *n[] = {"cpu_1_PACT.csv", "cpu_2_PACT.csv", "cpu_3_PACT.csv",
                       "idle_1_PACT.csv", "idle_2_PACT.csv",
                       "idle_3_PACT.csv"};
    size_t nin = inputs(n, 6);
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    struct pact__dataset *d;
    char why[512];
    T_EQ(pact__dataset_load(in, nin, feat6, 6, NULL, "Power_Other(W)", &o,
                            &d, why, sizeof why), 0);
    T_EQ(d->nw, 2);
    T_STREQ(d->w[0].name, "cpu");
    T_EQ(d->w[0].ntrials, 3);
    T_EQ(d->w[0].n, 60 - 2 - 20 + 1);  /* 2 leading rows, window 20 */
    T_EQ(d->w[1].n, 50 - 20 + 1);
    T_EQ(d->w[0].ntrain, (size_t)(39 * 0.7));
    /* Target = PSU - (GPU + RAPL) at every step. */
    for (size_t r = 0; r < d->w[0].n; r++) {
        const double *x = d->w[0].v + r * d->ncol + 6;
        T_NEAR(x[PACT__DS_TARGET],
               x[PACT__DS_PSU] - x[PACT__DS_GPU] - x[PACT__DS_CPU], 1e-9);
    }
    pact__dataset_free(d);
}

TEST(single_trial_no_smoothing_matches_the_file)
{
    T_ASSERT(fresh());
    T_EQ(syn_run(dir, "one", 1, 30, 0.5, 1, 0.1, 0, 5), 0);
    const char *n[] = {"one_1_PACT.csv"};
    inputs(n, 1);
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    o.window = 1;
    struct pact__dataset *d;
    char why[512];
    T_EQ(pact__dataset_load(in, 1, feat6, 6, NULL, "Power_Other(W)", &o, &d,
                            why, sizeof why), 0);
    T_EQ(d->w[0].n, 30);
    /* Row 0 from the file itself, normalised by hand. */
    FILE *f = fopen(paths[0], "r");
    char line[512];
    T_ASSERT(f && fgets(line, sizeof line, f) && fgets(line, sizeof line, f));
    fclose(f);
    double v[12];
    char *p = line;
    for (int i = 0; i < 12; i++) {
        v[i] = i == 1 ? 0 : strtod(p, NULL);
        p = strchr(p, ',') ? strchr(p, ',') + 1 : p;
    }
    const double *row = d->w[0].v;
    T_NEAR(row[0], v[6], 1e-12);
    T_NEAR(row[2], v[8] / (v[2] / 0.01), 1e-9);  /* migrations per period */
    T_NEAR(row[5], v[11] / (v[2] / 0.01), 1e-6);
    T_NEAR(row[6 + PACT__DS_TARGET], v[3] - v[4] - v[5], 1e-9);
    T_NEAR(row[6 + PACT__DS_DUR], v[2], 0);
    pact__dataset_free(d);
}

static struct pact__dataset *law_data(int window, char *why, size_t len)
{
    if (!fresh())
        return NULL;
    const double load[] = {0.05, 0.3, 0.6, 0.9};
    const char *name[] = {"idle", "low", "mid", "high"};
    const char *n[16];
    static char nb[16][64];
    size_t k = 0;
    for (int w = 0; w < 4; w++)
        for (int t = 1; t <= 3; t++) {
            if (syn_run(dir, name[w], t, 120, load[w], w % 2, 0.05, 0,
                        (uint64_t)(w * 10 + t)) < 0)
                return NULL;
            snprintf(nb[k], sizeof nb[k], "%s_%d_PACT.csv", name[w], t);
            n[k] = nb[k];
            k++;
        }
    inputs(n, k);
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    o.window = (size_t)window;
    struct pact__dataset *d = NULL;
    if (pact__dataset_load(in, k, feat6, 6, NULL, "Power_Other(W)", &o, &d,
                           why, len) < 0)
        return NULL;
    return d;
}

TEST(ols_recovers_the_law_per_perf_period)
{
    char why[512] = "";
    struct pact__dataset *d = law_data(1, why, sizeof why);
    T_ASSERT(d != NULL);
    struct pact__fit_opts fo;
    pact__fit_opts_init(&fo);
    fo.type = PACT__MODEL_OLS;
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    struct pact__model *m;
    T_EQ(pact__model_fit(d, feat6, NULL, "Power_Other(W)", &o, &fo, &m, why,
                         sizeof why), 0);
    T_EQ(m->type, PACT__MODEL_OLS);
    T_EQ(m->per_period[0], 0);
    T_EQ(m->per_period[2], 1);
    /* Intercept 30 W: 0.3 W is 1 %; slopes within 2 % (the synthetic
     * noise, smoothed over 20 rows and averaged over trials). */
    T_NEAR(m->ols[0], syn_law[0], 0.3);
    for (int j = 1; j <= 6; j++)
        T_NEAR(m->ols[j], syn_law[j], 0.02 * fabs(syn_law[j]) + 1e-3 *
               (j <= 2));
    pact__model_free(m);
    pact__dataset_free(d);
}

TEST(piecewise_with_pfa_fits_well)
{
    char why[512] = "";
    struct pact__dataset *d = law_data(20, why, sizeof why);
    T_ASSERT(d != NULL);
    struct pact__fit_opts fo;
    pact__fit_opts_init(&fo);
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    struct pact__model *m;
    T_EQ(pact__model_fit(d, feat6, NULL, "Power_Other(W)", &o, &fo, &m, why,
                         sizeof why), 0);
    T_EQ(m->type, PACT__MODEL_PIECEWISE);
    T_EQ(m->pw.k, 5);
    T_EQ(m->pw.nsel, 3);
    double a[1024], p[1024];
    size_t n = 0;
    for (size_t w = 0; w < d->nw; w++)
        for (size_t r = d->w[w].ntrain; r < d->w[w].n && n < 1024; r++) {
            const double *row = d->w[w].v + r * d->ncol;
            a[n] = row[6 + PACT__DS_TARGET];
            p[n++] = pact__model_predict(m, row);
        }
    T_ASSERT(n > 50);
    T_ASSERT(pact__wmape(a, p, n) < 0.02);
    pact__model_free(m);
    pact__dataset_free(d);
}

/* Fit on a hand-made dataset of one workload (every row trains). */
static int fit_rows(double *v, size_t n, size_t nf, int type, size_t k,
                    struct pact__model **m, char *why, size_t len)
{
    struct pact__workload w = {.name = "w", .ntrials = 1, .n = n,
                               .ntrain = n, .v = v};
    struct pact__dataset d = {.nf = nf, .ncol = nf + PACT__DS_EXTRA,
                              .nw = 1, .w = &w};
    struct pact__fit_opts fo;
    pact__fit_opts_init(&fo);
    fo.type = type;
    fo.clusters = k;
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    return pact__model_fit(&d, feat6, NULL, "Power_Other(W)", &o, &fo, m,
                           why, len);
}

#define NC (2 + PACT__DS_EXTRA)

static void fill(double *v, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < n; i++) {
        double *r = v + i * NC;
        r[0] = syn_uniform(&s, 0, 100);
        r[1] = syn_uniform(&s, 0, 50);
        r[2 + PACT__DS_TARGET] = 10 + 0.5 * r[0] + 2 * r[1];
        r[2 + PACT__DS_PSU] = r[2 + PACT__DS_TARGET] + 50;
        r[2 + PACT__DS_GPU] = 20;
        r[2 + PACT__DS_CPU] = 30;
        r[2 + PACT__DS_DUR] = 1;
    }
}

static int all_finite(const struct pact__model *m, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(pact__model_predict(m, v + i * NC)))
            return 0;
    return 1;
}

TEST(degenerate_constant_column)
{
    double v[200 * NC];
    fill(v, 200, 1);
    for (int i = 0; i < 200; i++) { /* GPU idle all run */
        v[i * NC] = 0;
        v[i * NC + 2 + PACT__DS_TARGET] = 10 + 2 * v[i * NC + 1];
    }
    struct pact__model *m;
    char why[512];
    T_EQ(fit_rows(v, 200, 2, PACT__MODEL_PIECEWISE, 5, &m, why, sizeof why),
         0);
    T_NEAR(m->ols[1], 0, 0);
    T_NEAR(m->ols[2], 2, 1e-9);
    T_ASSERT(all_finite(m, v, 200));
    pact__model_free(m);
}

TEST(degenerate_fewer_rows_than_features)
{
    double v[2 * NC];
    fill(v, 2, 2);
    struct pact__model *m = NULL;
    char why[512] = "";
    T_EQ(fit_rows(v, 2, 2, PACT__MODEL_OLS, 5, &m, why, sizeof why),
         PACT_ENUMERIC);
    T_ASSERT(m == NULL);
    T_ASSERT(strstr(why, "2 usable training rows for 2 features; need at "
                         "least 3") != NULL);
}

TEST(degenerate_empty_cluster_fewer_distinct_points)
{
    double v[40 * NC];
    fill(v, 40, 3);
    for (int i = 0; i < 40; i++) { /* two distinct points only */
        v[i * NC] = i % 2 ? 10 : 90;
        v[i * NC + 1] = i % 2 ? 5 : 45;
    }
    struct pact__model *m;
    char why[512];
    T_EQ(fit_rows(v, 40, 2, PACT__MODEL_PIECEWISE, 5, &m, why, sizeof why),
         0);
    T_EQ(m->pw.k, 2);
    T_ASSERT(all_finite(m, v, 40));
    pact__model_free(m);
}

TEST(degenerate_empty_cells_are_left_out)
{
    double v[100 * NC];
    fill(v, 100, 4);
    v[3 * NC] = NAN;
    v[7 * NC + 1] = NAN;
    v[9 * NC + 2 + PACT__DS_TARGET] = NAN;
    struct pact__model *m;
    char why[512];
    T_EQ(fit_rows(v, 100, 2, PACT__MODEL_PIECEWISE, 5, &m, why, sizeof why),
         0);
    T_EQ(m->ntrain, 97);
    T_NEAR(m->ols[1], 0.5, 1e-9);
    T_ASSERT(isnan(pact__model_predict(m, v + 3 * NC)));
    T_ASSERT(isfinite(pact__model_predict(m, v + 4 * NC)));
    pact__model_free(m);
}

TEST(degenerate_all_empty_column)
{
    double v[50 * NC];
    fill(v, 50, 5);
    for (int i = 0; i < 50; i++)
        v[i * NC + 1] = NAN;
    struct pact__model *m;
    char why[512] = "";
    T_EQ(fit_rows(v, 50, 2, PACT__MODEL_OLS, 5, &m, why, sizeof why),
         PACT_ENUMERIC);
    T_ASSERT(strstr(why, "column 'GPU_Util_Memory(%)' has no value") !=
             NULL);
}

static int load_one(const char *text, size_t window, char *why, size_t len)
{
    char p[256];
    snprintf(p, sizeof p, "%s/bad_1_PACT.csv", dir);
    if (syn_write(p, text) < 0)
        return -999;
    struct pact__input i = {.path = p};
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    o.window = window;
    struct pact__dataset *d = NULL;
    int rc = pact__dataset_load(&i, 1, feat6, 2, NULL, "Power_Other(W)",
                                &o, &d, why, len);
    pact__dataset_free(d);
    return rc;
}

TEST(degenerate_files_give_clear_errors)
{
    T_ASSERT(fresh());
    char why[512] = "";
    const char *hdr = "duration(s),Total_PSU_Power(W),GPU_Util_SM(%),"
                      "GPU_Util_Memory(%)\n";
    char text[1024];
    /* Missing feature column. */
    T_EQ(load_one("duration(s),Total_PSU_Power(W),GPU_Util_SM(%)\n1,2,3\n",
                  1, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "bad_1_PACT.csv: no column 'GPU_Util_Memory(%)'"));
    /* Text in a number column, with its line. */
    snprintf(text, sizeof text, "%s1,100,5,5\n1,100,high,5\n", hdr);
    T_EQ(load_one(text, 1, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "bad_1_PACT.csv:3: column 'GPU_Util_SM(%)'"));
    /* No PSU column: no Power_Other. */
    T_EQ(load_one("duration(s),GPU_Util_SM(%),GPU_Util_Memory(%)\n1,2,3\n",
                  1, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "no column 'Total_PSU_Power(W)'"));
    T_ASSERT(strstr(why, "PSU meter"));
    /* Shorter than the running-mean window. */
    snprintf(text, sizeof text, "%s1,100,5,5\n1,101,6,5\n", hdr);
    T_EQ(load_one(text, 20, why, sizeof why), PACT_ENUMERIC);
    T_ASSERT(strstr(why, "running-mean window of 20; use a smaller "
                         "--window"));
    /* The same file without smoothing loads: GPU/RAPL absent = 0 W. */
    T_EQ(load_one(text, 1, why, sizeof why), 0);
}

T_MAIN(T_RUN(file_names_give_workload_and_trial);
       T_RUN(loads_groups_and_derives_power_other);
       T_RUN(single_trial_no_smoothing_matches_the_file);
       T_RUN(ols_recovers_the_law_per_perf_period);
       T_RUN(piecewise_with_pfa_fits_well);
       T_RUN(degenerate_constant_column);
       T_RUN(degenerate_fewer_rows_than_features);
       T_RUN(degenerate_empty_cluster_fewer_distinct_points);
       T_RUN(degenerate_empty_cells_are_left_out);
       T_RUN(degenerate_all_empty_column);
       T_RUN(degenerate_files_give_clear_errors); if (dir[0]) syn_rmdir(dir))
