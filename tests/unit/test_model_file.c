/* SPDX-License-Identifier: MIT */
/*
 * test_model_file.c - a saved model loads back predicting exactly as the
 * fitted one (OLS and piecewise), saving it again gives the same text,
 * and damaged files are refused with the file and line.
 */
#include "model/fit.h"
#include "model/model_file.h"
#include "model_synth.h"
#include "pact/pact.h"
#include "t.h"

#define NF 3
#define NC (NF + PACT__DS_EXTRA)
#define N 600

static const char *const feat[] = {"GPU_Util_SM(%)", "faults", "cycles"};
static double v[N * NC];
static char dir[64];

static struct pact__model *fit(int type)
{
    uint64_t s = 9;
    for (int i = 0; i < N; i++) {
        double *r = v + i * NC;
        int reg = i % 3;
        r[0] = syn_uniform(&s, 0, 100);
        r[1] = reg * 1000 + syn_uniform(&s, 0, 300);
        r[2] = syn_uniform(&s, 1e5, 1e6);
        r[NF + PACT__DS_TARGET] = 20 + reg * 30 + 0.2 * r[0] +
                                  (reg + 1) * 0.01 * r[1] + 1e-5 * r[2] +
                                  syn_normal(&s, 0.5);
        r[NF + PACT__DS_PSU] = r[NF + PACT__DS_TARGET] + 80;
        r[NF + PACT__DS_GPU] = 50;
        r[NF + PACT__DS_CPU] = 30;
        r[NF + PACT__DS_DUR] = 1;
    }
    struct pact__workload w = {.name = "w", .ntrials = 1, .n = N,
                               .ntrain = N, .v = v};
    struct pact__dataset d = {.nf = NF, .ncol = NC, .nw = 1, .w = &w};
    struct pact__fit_opts fo;
    pact__fit_opts_init(&fo);
    fo.type = type;
    fo.clusters = 4;
    fo.pfa_opts.q = 2;
    struct pact__pp_opts o;
    pact__pp_opts_init(&o);
    o.window = 7;
    o.train_fraction = 0.65;
    struct pact__model *m = NULL;
    char why[256];
    if (pact__model_fit(&d, feat, NULL, "Power_Other(W)", &o, &fo, &m, why,
                        sizeof why) < 0)
        fprintf(stderr, "  fit: %s\n", why);
    return m;
}

static char *slurp(const char *p)
{
    FILE *f = fopen(p, "r");
    if (!f)
        return NULL;
    static char buf[2][1 << 14];
    static int which;
    char *b = buf[which ^= 1];
    size_t n = fread(b, 1, sizeof buf[0] - 1, f);
    b[n] = '\0';
    fclose(f);
    return b;
}

static void round_trip(int type)
{
    struct pact__model *m = fit(type), *l = NULL;
    T_ASSERT(m != NULL);
    char p1[128], p2[128], why[256];
    snprintf(p1, sizeof p1, "%s/a.model", dir);
    snprintf(p2, sizeof p2, "%s/b.model", dir);
    T_EQ(pact__model_save(m, p1, why, sizeof why), 0);
    T_EQ(pact__model_load(p1, &l, why, sizeof why), 0);
    T_EQ(l->type, type);
    T_STREQ(l->target, "Power_Other(W)");
    T_EQ(l->nf, NF);
    for (int j = 0; j < NF; j++)
        T_STREQ(l->feature[j], feat[j]);
    T_EQ(l->per_period[1], 1);
    T_EQ(l->pp.window, 7);
    T_NEAR(l->pp.train_fraction, 0.65, 0);
    T_EQ(l->ntrain, N);
    for (int i = 0; i < N; i++) {
        double a = pact__model_predict(m, v + i * NC);
        double b = pact__model_predict(l, v + i * NC);
        T_ASSERT(a == b); /* bit for bit */
    }
    T_EQ(pact__model_save(l, p2, why, sizeof why), 0);
    T_STREQ(slurp(p1), slurp(p2));
    pact__model_free(m);
    pact__model_free(l);
}

TEST(ols_round_trips)
{
    T_ASSERT(syn_tmpdir(dir, sizeof dir));
    round_trip(PACT__MODEL_OLS);
}

TEST(piecewise_round_trips)
{
    round_trip(PACT__MODEL_PIECEWISE);
}

/* Load text as a model; returns the code, why holds the message. */
static int load_text(const char *text, char *why, size_t len)
{
    char p[128];
    snprintf(p, sizeof p, "%s/bad.model", dir);
    if (syn_write(p, text) < 0)
        return -999;
    struct pact__model *m = NULL;
    int rc = pact__model_load(p, &m, why, len);
    pact__model_free(m);
    return rc;
}

#define GOOD_HEAD                                                        \
    "pact-model 1\ntype ols\ntarget Power_Other(W)\nfeatures 2\n"        \
    "feature per_period=0 GPU_Util_SM(%)\nfeature per_period=1 faults\n"

TEST(hand_written_model_loads)
{
    char why[256] = "";
    T_EQ(load_text("# comment\n" GOOD_HEAD "ols 1 2 3\nend\n", why,
                   sizeof why), 0);
}

TEST(damaged_files_are_refused_with_line)
{
    char why[256] = "";
    T_EQ(load_text(GOOD_HEAD "ols 1 2 3\n", why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "bad.model:8: no 'end' line"));
    T_EQ(load_text(GOOD_HEAD "ols 1 2\nend\n", why, sizeof why),
         PACT_EFORMAT);
    T_ASSERT(strstr(why, "bad.model:7: expected a finite number"));
    T_EQ(load_text(GOOD_HEAD "ols 1 2 nan\nend\n", why, sizeof why),
         PACT_EFORMAT);
    T_EQ(load_text(GOOD_HEAD "colour blue\nend\n", why, sizeof why),
         PACT_EFORMAT);
    T_ASSERT(strstr(why, "bad.model:7: unknown keyword 'colour'"));
    T_EQ(load_text("pact-model 2\n", why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "format version 2; this pact reads version 1"));
    T_EQ(load_text("index,start_time\n", why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "not a PACT model file"));
    T_EQ(load_text("pact-model 1\ntype piecewise\ntarget T\nfeatures 1\n"
                   "feature per_period=0 x\nols 1 2\nclusters 2 1\n"
                   "scale 0 0 1\ncluster rows=3 fallback=0 centre 0 coef "
                   "1 2\nend\n", why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "piecewise model without all its"));
    struct pact__model *m = NULL;
    T_ASSERT(pact__model_load("/no/such.model", &m, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "/no/such.model: cannot open the model"));
}

T_MAIN(T_RUN(ols_round_trips); T_RUN(piecewise_round_trips);
       T_RUN(hand_written_model_loads);
       T_RUN(damaged_files_are_refused_with_line); if (dir[0])
           syn_rmdir(dir))
