/* SPDX-License-Identifier: MIT */
/*
 * test_model_original.c - pieces of `--pipeline original` on tiny files
 * whose results are worked out by hand in the comments: the original's
 * reading (skip through the first cache-misses row, fill empty cells with
 * 0), its running mean of n - window rows, normalising by the smoothed
 * duration, its int(n * 0.7) split and delimitPos grouping; its figures
 * (MAPE over max(|a|, eps), WMAPE over sum a, kWh = J * 0.00000027778);
 * the CSV counter mode and the model's basis check.  The whole pipeline
 * against scikit-learn is tests/cli/test_model_original.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/csv_basis.h"
#include "model/original.h"
#include "pact/pact.h"
#include "t.h"

static char dir[] = "/tmp/pact-orig-XXXXXX";
static const char *HEAD = "index,start_time,duration(s),Total_PSU_Power(W),"
                          "Nvidia_SMI_Power(W),Intel_RAPL_Power(W),faults,"
                          "cache-misses\n";

static const char *file(const char *name, const char *body)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(body, f);
    fclose(f);
    return p;
}

/* Rows i = 0..n-1: duration 1 + 0.1*(i%2), PSU 100 + i, GPU 10, RAPL 20
 * (empty in row 3), faults 100*i, cache-misses empty in rows 0-1. */
static const char *run(const char *name, int n)
{
    static char body[8192];
    size_t at = (size_t)snprintf(body, sizeof body, "%s", HEAD);
    for (int i = 0; i < n; i++)
        at += (size_t)snprintf(body + at, sizeof body - at,
                               "%d,t,%.1f,%d,10,%s,%d,%s\n", i,
                               1 + 0.1 * (i % 2), 100 + i,
                               i == 3 ? "" : "20", 100 * i,
                               i < 2 ? "" : "5");
    return file(name, body);
}

TEST(reads_smooths_normalises_like_the_original)
{
    /* 12 rows; the first cache-misses value is in row 2, so reading
     * starts at row 3: rows 3..11 (9 rows).  Window 4: 9 - 4 = 5 rows
     * (not 6).  Row 0 of the result averages rows 3..6: PSU (103+104+105
     * +106)/4 = 104.5, RAPL (0+20+20+20)/4 = 15 (the empty cell is 0),
     * duration (1.1+1+1.1+1)/4 = 1.05, faults (300+400+500+600)/4 = 450,
     * normalised by 1.05/0.01 = 105: 4.285714...; target = 104.5 - 25. */
    struct pact__input in[1] = {{run("w_1_1_PACT.csv", 12), NULL, NULL}};
    const char *feat[1] = {"faults"};
    char why[256];
    struct pact__dataset *d = NULL;
    T_EQ(pact__orig_load(in, 1, feat, 1, 1, 0.01, 4, &d, why, sizeof why),
         0);
    T_EQ(d->nw, 1);
    T_STREQ(d->w[0].name, "w_1_1");     /* test: name less its last part */
    T_EQ(d->w[0].n, 5);
    T_EQ(d->w[0].ntrain, 0);
    const double *r0 = d->w[0].v;
    T_NEAR(r0[1 + PACT__DS_PSU], 104.5, 1e-12);
    T_NEAR(r0[1 + PACT__DS_CPU], 15, 1e-12);
    T_NEAR(r0[1 + PACT__DS_DUR], 1.05, 1e-12);
    T_NEAR(r0[0], 450 / 105.0, 1e-12);
    T_NEAR(r0[1 + PACT__DS_TARGET], 104.5 - 25, 1e-12);
    pact__dataset_free(d);
}

TEST(fit_grouping_trims_and_splits_at_int)
{
    /* Training: w_1_1 and w_1_2 and w_1_3 group as "w" (name less its
     * last three parts).  Each file 33 rows: read 30, window 20 -> 10
     * rows; trimmed mean of 3 trials keeps the middle one by PSU; split
     * int(10 * 0.7) = 7 (pact's default would also give 7; the 0.7 * 90
     * case is checked in test_model_preprocess). */
    struct pact__input in[3] = {{run("w_1_1_PACT.csv", 33), NULL, NULL},
                                {run("w_1_2_PACT.csv", 33), NULL, NULL},
                                {run("w_1_3_PACT.csv", 33), NULL, NULL}};
    const char *feat[1] = {"faults"};
    char why[256];
    struct pact__dataset *d = NULL;
    T_EQ(pact__orig_load(in, 3, feat, 1, 0, 0.01, 20, &d, why, sizeof why),
         0);
    T_EQ(d->nw, 1);
    T_STREQ(d->w[0].name, "w");
    T_EQ(d->w[0].ntrials, 3);
    T_EQ(d->w[0].n, 10);
    T_EQ(d->w[0].ntrain, 7);
    T_EQ(d->counter_mode, PACT__CTR_SUMS); /* the original's columns */
    T_EQ(d->power_mask, 3);
    pact__dataset_free(d);
}

TEST(unequal_trials_are_an_error)
{
    struct pact__input in[2] = {{run("v_1_1_PACT.csv", 33), NULL, NULL},
                                {run("v_1_2_PACT.csv", 34), NULL, NULL}};
    const char *feat[1] = {"faults"};
    char why[512] = "";
    struct pact__dataset *d = NULL;
    /* One first word, so each reads up to the shortest file's 33 rows
     * from its start (row 3): 30 and 31 rows. */
    T_ASSERT(pact__orig_load(in, 2, feat, 1, 0, 0.01, 20, &d, why,
                             sizeof why) < 0);
    T_ASSERT(strstr(why, "equal length") != NULL);
}

TEST(original_figures_by_hand)
{
    /* A model predicting Power_Other = 1 + 2 x.  Two rows: x = 1, 2;
     * target 4, 4; PSU 10, 12; GPU 1, 1; RAPL 2, 3; duration 1, 2.
     * Predictions 3, 5: |err| 1, 1.  MAPE = (1/4 + 1/4)/2 = 0.25, WMAPE
     * = 2/8.  Totals predicted 3+3 = 6 and 5+4 = 9 against 10, 12:
     * MAPE (4/10 + 3/12)/2 = 0.325, WMAPE 7/22.  Energy (10*1 + 12*2)
     * / 0.92 * 0.00000027778 kWh, predicted (6*1 + 9*2) / 0.92 * ... */
    struct pact__model *m = pact__model_new(1);
    m->ols[0] = 1;
    m->ols[1] = 2;
    m->type = PACT__MODEL_OLS;
    double v[2][1 + PACT__DS_EXTRA] = {{1, 4, 10, 1, 2, 1},
                                       {2, 4, 12, 1, 3, 2}};
    struct pact__workload w = {"x", 1, 2, 0, &v[0][0]};
    struct pact__dataset d = {PACT__CTR_WINDOW, 0, 1, 1 + PACT__DS_EXTRA,
                              1, &w};
    struct pact__orig_stats s[2];
    T_EQ(pact__orig_score(m, &d, 0, 0, 0.92, 646, s), 2);
    T_NEAR(s[0].mape_other, 0.25, 1e-15);
    T_NEAR(s[0].wmape_other, 0.25, 1e-15);
    T_NEAR(s[0].mape_total, 0.325, 1e-15);
    T_NEAR(s[0].wmape_total, 7.0 / 22, 1e-15);
    T_NEAR(s[0].energy_kwh, 34 / 0.92 * 0.00000027778, 1e-18);
    T_NEAR(s[0].energy_pred_kwh, 24 / 0.92 * 0.00000027778, 1e-18);
    T_NEAR(s[0].co2_g, 34 / 0.92 * 0.00000027778 * 646, 1e-15);
    pact__model_free(m);
}

TEST(counter_mode_of_a_csv)
{
    char why[256];
    T_EQ(pact__csv_counter_mode(run("orig.csv", 3), why, sizeof why),
         PACT__CTR_SUMS);
    T_EQ(pact__csv_counter_mode(file("w.csv", "a,energy_j,counter_mode\n"
                                              "1,2,window\n3,4,window\n"),
                                why, sizeof why), PACT__CTR_WINDOW);
    T_EQ(pact__csv_counter_mode(file("old.csv", "a,energy_j\n1,2\n"), why,
                                sizeof why), PACT__CTR_UNKNOWN);
    T_ASSERT(pact__csv_counter_mode(file("mix.csv", "a,counter_mode\n"
                                                    "1,window\n2,pact\n"),
                                    why, sizeof why) < PACT__CTR_UNKNOWN);
    T_ASSERT(strstr(why, "mix.csv:3") != NULL);
}

TEST(basis_check_says_what_differs)
{
    struct pact__model *m = pact__model_new(1);
    char why[512];
    m->target = strdup(PACT__COL_OTHER);
    m->counter_mode = PACT__CTR_WINDOW;
    m->subtracted = strdup(PACT__COL_GPU);
    T_EQ(pact__model_check_basis(m, PACT__CTR_WINDOW, 0.01, PACT__COL_GPU,
                                 why, sizeof why), 0);
    T_EQ(pact__model_check_basis(m, PACT__CTR_SUMS, 0.01, NULL, why,
                                 sizeof why), PACT_EBADCONFIG);
    T_ASSERT(strstr(why, "counter mode 'window'") != NULL);
    /* RAPL present where the model had none: CPU power would count
     * twice. */
    T_EQ(pact__model_check_basis(m, PACT__CTR_WINDOW, 0.01,
                                 PACT__COL_GPU "," PACT__COL_CPU, why,
                                 sizeof why), PACT_EBADCONFIG);
    T_ASSERT(strstr(why, "without " PACT__COL_CPU) != NULL);
    /* An older model file (nothing recorded) is not checked. */
    m->counter_mode = PACT__CTR_UNKNOWN;
    free(m->subtracted);
    m->subtracted = NULL;
    T_EQ(pact__model_check_basis(m, PACT__CTR_SUMS, 0.5, "", why,
                                 sizeof why), 0);
    pact__model_free(m);
}

static void setup(void)
{
    if (!mkdtemp(dir))
        abort();
}

static void cleanup(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

T_MAIN(setup(); T_RUN(reads_smooths_normalises_like_the_original);
       T_RUN(fit_grouping_trims_and_splits_at_int);
       T_RUN(unequal_trials_are_an_error); T_RUN(original_figures_by_hand);
       T_RUN(counter_mode_of_a_csv); T_RUN(basis_check_says_what_differs);
       cleanup())
