/* SPDX-License-Identifier: MIT */
/*
 * test_model_live.c - the tracker's three calls: open a model file,
 * predict total power from a struct pact__row (features by name, counters
 * per perf period, NaN GPU/RAPL as 0 W, estimated CPU power left out,
 * NaN when a feature is missing), close; and refusal of a model that
 * does not predict a power total.
 */
#include "model/live.h"
#include "model/model_file.h"
#include "model_synth.h"
#include "pact/pact.h"
#include "t.h"

static char dir[64], path[128];

/* Power_Other = 10 + 0.5 SM + 2 faults/period + 0.001 rapl_dram_w. */
static int write_model(const char *target)
{
    if (!dir[0] && !syn_tmpdir(dir, sizeof dir))
        return -1;
    snprintf(path, sizeof path, "%s/live.model", dir);
    char text[1024];
    snprintf(text, sizeof text,
             "pact-model 1\ntype ols\ntarget %s\nfeatures 3\n"
             "feature per_period=0 GPU_Util_SM(%%)\n"
             "feature per_period=1 faults\n"
             "feature per_period=0 rapl_dram_w\n"
             "preprocess skip_leading=1 normalise=1 perf_period_s=0.01 "
             "window=20 trim=1 train_fraction=0.7\n"
             "ols 10 0.5 2 0.001\nend\n", target);
    return syn_write(path, text);
}

static const char *const ctr_name[] = {"migrations", "faults"};
static double ctr_value[2];
static struct pact_channel ch[1];
static double ch_value[1];

static struct pact__row row(void)
{
    struct pact__row r;
    memset(&r, 0, sizeof r);
    r.duration_s = 2.0;
    r.perf_period_s = 0.01;
    r.gpu_util_sm = 40;
    r.gpu_util_mem = NAN;
    r.gpu_power_w = 150;
    r.cpu_power_w = 60;
    r.psu_total_w = NAN;
    r.nctr = 2;
    r.ctr_name = ctr_name;
    ctr_value[0] = 5;
    ctr_value[1] = 600; /* 600 in 2 s = 3 per 0.01 s period */
    r.ctr_value = ctr_value;
    snprintf(ch[0].name, sizeof ch[0].name, "rapl_dram_w");
    ch_value[0] = 1000;
    r.nch = 1;
    r.ch = ch;
    r.ch_value = ch_value;
    return r;
}

TEST(predicts_total_from_a_row)
{
    T_EQ(write_model("Power_Other(W)"), 0);
    struct pact__live_model *m;
    char why[256];
    T_EQ(pact__live_model_open(path, &m, why, sizeof why), 0);
    struct pact__row r = row();
    double other = 10 + 0.5 * 40 + 2 * 3 + 0.001 * 1000;
    T_NEAR(pact__live_model_predict(m, &r), other + 150 + 60, 1e-9);
    /* No GPU on this machine: its power counts as 0 W. */
    r.gpu_power_w = NAN;
    T_NEAR(pact__live_model_predict(m, &r), other + 60, 1e-9);
    /* An estimated CPU power is not RAPL: left out too. */
    r.cpu_estimated = 1;
    T_NEAR(pact__live_model_predict(m, &r), other, 1e-9);
    /* The row's perf period sets the normalisation. */
    r = row();
    r.perf_period_s = 0.02;
    T_NEAR(pact__live_model_predict(m, &r), other + 2 * 3 + 210, 1e-9);
    pact__live_model_close(m);
}

TEST(missing_feature_gives_nan)
{
    T_EQ(write_model("Power_Other(W)"), 0);
    struct pact__live_model *m;
    char why[256];
    T_EQ(pact__live_model_open(path, &m, why, sizeof why), 0);
    struct pact__row r = row();
    ctr_value[1] = NAN; /* faults not counted */
    T_ASSERT(isnan(pact__live_model_predict(m, &r)));
    r = row();
    r.nctr = 1; /* no faults column at all */
    T_ASSERT(isnan(pact__live_model_predict(m, &r)));
    r = row();
    r.gpu_util_sm = NAN;
    T_ASSERT(isnan(pact__live_model_predict(m, &r)));
    r = row();
    r.duration_s = 0;
    T_ASSERT(isnan(pact__live_model_predict(m, &r)));
    T_ASSERT(isnan(pact__live_model_predict(NULL, &r)));
    pact__live_model_close(m);
    pact__live_model_close(NULL);
}

TEST(psu_model_predicts_itself)
{
    T_EQ(write_model("Total_PSU_Power(W)"), 0);
    struct pact__live_model *m;
    char why[256];
    T_EQ(pact__live_model_open(path, &m, why, sizeof why), 0);
    struct pact__row r = row();
    T_NEAR(pact__live_model_predict(m, &r), 10 + 20 + 6 + 1, 1e-9);
    pact__live_model_close(m);
}

TEST(refuses_models_that_are_not_a_total)
{
    T_EQ(write_model("Intel_RAPL_Power(W)"), 0);
    struct pact__live_model *m = NULL;
    char why[256] = "";
    T_EQ(pact__live_model_open(path, &m, why, sizeof why), PACT_EBADCONFIG);
    T_ASSERT(m == NULL);
    T_ASSERT(strstr(why, "not a total power"));
    T_ASSERT(pact__live_model_open("/no/such.model", &m, why, sizeof why) <
             0);
}

T_MAIN(T_RUN(predicts_total_from_a_row); T_RUN(missing_feature_gives_nan);
       T_RUN(psu_model_predicts_itself);
       T_RUN(refuses_models_that_are_not_a_total); if (dir[0])
           syn_rmdir(dir))
