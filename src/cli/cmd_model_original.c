/* SPDX-License-Identifier: MIT */
/*
 * cmd_model_original.c - `pact model fit|eval --pipeline original`: the
 * original tool's regression run number for number (model/original.h),
 * with its outputs: the training r2 tables and clustering features on
 * fit; per test run the MAPE, weighted MAPE, energy and CO2 of both the
 * linear and the piecewise fit on eval (--out DIR: the original's
 * linearRegTestAllStats.csv, piecewiseRegTestAllStats.csv and
 * EnergyStats.csv).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/model_cli.h"
#include "cli/model_original.h"
#include "model/fit.h"
#include "model/model_file.h"
#include "model/original.h"
#include "pact/pact.h"

static const char *const CLF[2] = {"linearReg", "piecewiseReg"};

/* The original's steps are fixed: only --window, --perf-period and the
 * inputs may change; any other pre-processing switch is refused. */
static int fixed_steps(const struct model_args *a, const char *cmd)
{
    static const struct {
        int code;
        const char *opt;
    } fixed[] = {
        {MO_NO_SKIP, "--no-skip-leading"}, {MO_NO_NORM, "--no-normalise"},
        {MO_NO_TRIM, "--no-trim"},         {MO_SPLIT, "--split"},
        {MO_WORKLOAD, "--workload"},
    };
    unsigned given = a->pp_given;
    for (size_t i = 0; i < a->nin; i++)
        if (a->in[i].workload)
            given |= 1u << (MO_WORKLOAD - MO_WINDOW);
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        if (given & (1u << (fixed[i].code - MO_WINDOW))) {
            fprintf(stderr, "pact: model %s: --pipeline original runs the "
                    "original's fixed steps and file naming; drop %s (or "
                    "use the default pipeline)\n", cmd, fixed[i].opt);
            return -1;
        }
    return 0;
}

int model_fit_original(struct model_args *a, char **feat, size_t nf,
                       const struct pact__fit_opts *fo_in, const char *out,
                       int quiet)
{
    char why[1024] = "";
    struct pact__dataset *d = NULL;
    struct pact__model *m = NULL;
    struct pact__fit_opts fo = *fo_in;
    struct pact__pp_opts pp = a->pp;
    int per[PACT__MODEL_MAX_FEATURES];
    double *all = NULL;
    struct pact__orig_stats *st = NULL;

    if (fixed_steps(a, "fit") < 0)
        return 2;
    pp.pipeline = PACT__PIPE_ORIGINAL;
    pp.skip_leading = 1;
    pp.normalise = 1;
    pp.trim = 1;
    pp.train_fraction = PACT__ORIG_SPLIT;
    for (size_t j = 0; j < nf; j++)
        per[j] = 1; /* the original divides every feature */
    fo.type = PACT__MODEL_PIECEWISE; /* it fits both; the file has both */
    fo.pfa_opts.original = 1;
    int rc = pact__orig_load(a->in, a->nin, (const char *const *)feat, nf,
                             0, pp.perf_period_s, pp.window, &d, why,
                             sizeof why);
    if (rc >= 0 && !(all = pact__orig_all_rows(d, &fo.pfa_n))) {
        snprintf(why, sizeof why, "out of memory");
        rc = -ENOMEM;
    }
    fo.pfa_x = all;
    if (rc >= 0)
        rc = pact__model_fit(d, (const char *const *)feat, per,
                             PACT__COL_OTHER, &pp, &fo, &m, why, sizeof why);
    if (rc >= 0)
        rc = pact__model_save(m, out, why, sizeof why);
    if (rc >= 0 && !(st = calloc(d->nw + 1, sizeof *st))) {
        snprintf(why, sizeof why, "out of memory");
        rc = -ENOMEM;
    }
    if (rc < 0) {
        fprintf(stderr, "pact: model fit: %s\n", why);
        goto out;
    }
    for (size_t c = 0; c < m->pw.k; c++)
        if (m->pw.fallback[c])
            fprintf(stderr, "pact: model fit: cluster %zu is too small for "
                    "its own fit; the original would fit it anyway "
                    "(minimum norm), so its numbers differ there\n", c);
    if (quiet)
        goto out;
    printf("pipeline original: %zu training rows from %zu workloads, model "
           "written to %s\n", m->ntrain, d->nw, out);
    printf("featureKeys:");
    for (size_t j = 0; j < nf; j++)
        printf("%s %s", j ? "," : "", feat[j]);
    printf("\nclusteringKeys:");
    for (size_t s = 0; s < m->pw.nsel; s++)
        printf("%s %s", s ? "," : "", m->feature[m->pw.sel[s]]);
    printf("\n%-12s %22s %22s\n", "r2", CLF[0], CLF[1]);
    double r2[2][2];
    for (int p = 0; p < 2; p++) {
        if (pact__orig_score(m, d, p, 1, PACT__ORIG_EFFICIENCY,
                             PACT__ORIG_INTENSITY, st) < 0) {
            rc = -ENOMEM;
            goto out;
        }
        r2[p][0] = st[d->nw].r2_other;
        r2[p][1] = st[d->nw].r2_total;
    }
    printf("%-12s %22.17g %22.17g\n", "pOtherTrain", r2[0][0], r2[1][0]);
    printf("%-12s %22.17g %22.17g\n", "pTotalTrain", r2[0][1], r2[1][1]);
out:
    free(st);
    free(all);
    pact__model_free(m);
    pact__dataset_free(d);
    return rc < 0 ? 1 : 0;
}

static FILE *create(const char *dir, const char *name, char *path,
                    size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "pact: model eval: %s: cannot write: %s\n", path,
                strerror(errno));
    return f;
}

static int close_ok(FILE *f, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "pact: model eval: %s: write failed\n", path);
        return -1;
    }
    return 0;
}

/* The original's result files, numbers with 17 significant digits. */
static int write_results(const char *dir, struct pact__orig_stats *st[2],
                         size_t nw)
{
    char path[4096];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pact: model eval: %s: cannot create: %s\n", dir,
                strerror(errno));
        return -1;
    }
    for (int p = 1; p >= 0; p--) {
        char name[64];
        snprintf(name, sizeof name, "%sTestAllStats.csv", CLF[p]);
        FILE *f = create(dir, name, path, sizeof path);
        if (!f)
            return -1;
        fputs("TestRun,POtherTest(mape),POtherTest(wmape),PTotalTest(mape),"
              "PTotalTest(wmape),actualEnergy(kWh),actualCC(gCO2eq),"
              "predEnergy(kWh),predCC(gCO2eq)\n", f);
        for (size_t w = 0; w < nw; w++) {
            const struct pact__orig_stats *s = &st[p][w];
            model_csv_field(f, s->name);
            fprintf(f, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n",
                    s->mape_other, s->wmape_other, s->mape_total,
                    s->wmape_total, s->energy_kwh, s->co2_g,
                    s->energy_pred_kwh, s->co2_pred_g);
        }
        if (close_ok(f, path) < 0)
            return -1;
    }
    FILE *f = create(dir, "EnergyStats.csv", path, sizeof path);
    if (!f)
        return -1;
    fputs("TestRun,actualEnergy(kWh),actualCC(gCO2eq),"
          "predEnergyLinear(kWh),predCarbonEmissionLinear(gCO2eq),"
          "predEnergyPieceWise(kWh),predCarbonEmissionPieceWise(gCO2eq)\n",
          f);
    for (size_t w = 0; w < nw; w++) {
        model_csv_field(f, st[0][w].name);
        fprintf(f, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n",
                st[0][w].energy_kwh, st[0][w].co2_g,
                st[0][w].energy_pred_kwh, st[0][w].co2_pred_g,
                st[1][w].energy_pred_kwh, st[1][w].co2_pred_g);
    }
    return close_ok(f, path);
}

int model_eval_original(struct model_args *a, const struct pact__model *m,
                        const char *outdir, double eff, double ci)
{
    char why[1024] = "";
    struct pact__dataset *d = NULL;
    struct pact__orig_stats *st[2] = {NULL, NULL};
    int rc = 0;
    if (fixed_steps(a, "eval") < 0)
        return 2;
    if (m->pp.pipeline != PACT__PIPE_ORIGINAL) {
        fprintf(stderr, "pact: model eval: --pipeline original needs a "
                "model fitted with 'pact model fit --pipeline original'\n");
        return 1;
    }
    rc = pact__orig_load(a->in, a->nin, (const char *const *)m->feature,
                         m->nf, 1, m->pp.perf_period_s, m->pp.window, &d,
                         why, sizeof why);
    for (int p = 0; p < 2 && rc >= 0; p++) {
        if (!(st[p] = calloc(d->nw + 1, sizeof *st[p])) ||
            pact__orig_score(m, d, p, 0, eff, ci, st[p]) < 0) {
            snprintf(why, sizeof why, "out of memory");
            rc = -ENOMEM;
        }
    }
    if (rc < 0) {
        fprintf(stderr, "pact: model eval: %s\n", why);
        goto out;
    }
    printf("pipeline original: every row of each test run; energy at "
           "%.2f PSU efficiency\n(kWh = J x 0.00000027778) and carbon at "
           "%.0f g/kWh.\n", eff, ci);
    for (int p = 1; p >= 0; p--) {
        printf("\n%s\n%-20s %5s %10s %10s %10s %10s %12s %12s %12s %12s\n",
               CLF[p], "TestRun", "rows", "POth.mape", "POth.wmape",
               "PTot.mape", "PTot.wmape", "actual kWh", "actual gCO2",
               "pred kWh", "pred gCO2");
        for (size_t w = 0; w < d->nw; w++) {
            const struct pact__orig_stats *s = &st[p][w];
            printf("%-20.20s %5zu %10.6f %10.6f %10.6f %10.6f %12.8f "
                   "%12.6f %12.8f %12.6f\n", s->name, s->n, s->mape_other,
                   s->wmape_other, s->mape_total, s->wmape_total,
                   s->energy_kwh, s->co2_g, s->energy_pred_kwh,
                   s->co2_pred_g);
        }
    }
    if (outdir && write_results(outdir, st, d->nw) < 0)
        rc = -1;
out:
    free(st[0]);
    free(st[1]);
    pact__dataset_free(d);
    return rc < 0 ? 1 : 0;
}
