/* SPDX-License-Identifier: MIT */
/*
 * cmd_model_eval.c - `pact model eval`: pre-process runs as the model was
 * fitted (or as the options say), predict the test part of each workload
 * and print, per workload and overall, r², MAPE and weighted MAPE for the
 * target and for total power, and wall energy and carbon actual against
 * predicted; with --out DIR the same as eval.csv plus predictions.csv.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/console.h"
#include "cli/model_cli.h"
#include "cli/model_original.h"
#include "cli/options.h"
#include "model/evaluate.h"
#include "model/model_file.h"
#include "output/outfile.h"
#include "cli/commands.h"

enum {
    E_EFF = MO_FIRST_OWN,
    E_CI,
};

static void eval_help(void)
{
    printf("usage: pact model eval -m MODEL [options] INPUT...\n"
           "Evaluate a model on the test part (the rows after --split) of "
           "each workload.\n\n"
           "  -m, --model FILE          model written by 'pact model fit' "
           "(required)\n"
           "      --out DIR             also write DIR/eval.csv and "
           "DIR/predictions.csv\n"
           "      --psu-efficiency E    wall energy = DC energy / E "
           "(default 0.92)\n"
           "      --carbon-intensity G  gCO2 per kWh (default 646, as "
           "the original)\n"
           "  -q, --quiet               no notices\n\n"
           "Pre-processing defaults to what the model was fitted with; "
           "the options below\noverride it.  --split 0 evaluates every "
           "row (data the model never saw).\n\n");
    model_args_help(stdout, 1);
}

static void pct(char *b, size_t l, double v)
{
    /* No "-0.00": a tiny negative error prints as 0.00. */
    model_fmt(b, l, "%.2f", fabs(v) < 5e-5 ? 0.0 : v * 100);
}

static void print_tables(const struct pact__model *m,
                         const struct pact__eval *e, size_t ne,
                         const struct pact__pp_opts *pp, double eff,
                         double ci)
{
    char a[6][32];
    printf("Test rows: the last %.0f%% of each workload.\nTarget: %s",
           (1 - pp->train_fraction) * 100, m->target);
    if (pact__model_total_mode(m) == PACT__TOTAL_ADD)
        printf("; total power = predicted + GPU + RAPL");
    printf(".\n\n%-22s %6s %22s %22s\n", "", "", "---- target ----",
           "---- total power ----");
    printf("%-22s %6s %7s %7s %7s %7s %7s %7s\n", "workload", "rows", "r2",
           "MAPE%", "WMAPE%", "r2", "MAPE%", "WMAPE%");
    for (size_t i = 0; i < ne; i++) {
        model_fmt(a[0], 32, "%.4f", e[i].r2_target);
        pct(a[1], 32, e[i].mape_target);
        pct(a[2], 32, e[i].wmape_target);
        model_fmt(a[3], 32, "%.4f", e[i].r2_total);
        pct(a[4], 32, e[i].mape_total);
        pct(a[5], 32, e[i].wmape_total);
        printf("%-22.22s %6zu %7s %7s %7s %7s %7s %7s\n", e[i].name,
               e[i].n, a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    printf("\nWall energy (PSU efficiency %.2f) and carbon (%.0f g/kWh), "
           "actual vs predicted:\n", eff, ci);
    printf("%-22s %11s %11s %7s %11s %11s\n", "workload", "kWh", "kWh pred",
           "err%", "gCO2", "gCO2 pred");
    for (size_t i = 0; i < ne; i++) {
        double err = (e[i].energy_pred_kwh - e[i].energy_kwh) /
                     e[i].energy_kwh;
        model_fmt(a[0], 32, "%.6f", e[i].energy_kwh);
        model_fmt(a[1], 32, "%.6f", e[i].energy_pred_kwh);
        pct(a[2], 32, e[i].energy_kwh > 0 ? err : NAN);
        model_fmt(a[3], 32, "%.3f", e[i].co2_g);
        model_fmt(a[4], 32, "%.3f", e[i].co2_pred_g);
        printf("%-22.22s %11s %11s %7s %11s %11s\n", e[i].name, a[0], a[1],
               a[2], a[3], a[4]);
    }
}

/* A CSV cell: the number, or empty for NaN. */
static void cell(FILE *f, const char *fmt, double v)
{
    fputc(',', f);
    if (!isnan(v))
        fprintf(f, fmt, v);
}

/* The file being written: a new one beside the target, renamed over it
 * when complete (never through a link, never half written). */
static struct pact__outfile cur;

static FILE *create(const char *dir, const char *name, char *path,
                    size_t len)
{
    snprintf(path, len, "%s/%s", dir, name);
    char why[1024];
    if (pact__outfile_open(&cur, path, NULL, why, sizeof why) < 0) {
        fprintf(stderr, "pact: model eval: %s\n", why);
        return NULL;
    }
    return cur.fp;
}

static int finish(FILE *f, const char *path)
{
    (void)f;
    (void)path;
    char why[1024];
    if (pact__outfile_commit(&cur, why, sizeof why) < 0) {
        fprintf(stderr, "pact: model eval: %s\n", why);
        return -1;
    }
    return 0;
}

static int write_csv(const char *dir, const struct pact__model *m,
                     const struct pact__dataset *d,
                     const struct pact__eval *e, size_t ne)
{
    char path[4096];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "pact: model eval: %s: cannot create: %s\n", dir,
                strerror(errno));
        return -1;
    }
    FILE *f = create(dir, "eval.csv", path, sizeof path);
    if (!f)
        return -1;
    fputs("workload,rows,r2_target,mape_target_pct,wmape_target_pct,"
          "r2_total,mape_total_pct,wmape_total_pct,energy_kwh,"
          "energy_pred_kwh,co2_g,co2_pred_g\n", f);
    for (size_t i = 0; i < ne; i++) {
        model_csv_field(f, e[i].name);
        fprintf(f, ",%zu", e[i].n);
        cell(f, "%.6f", e[i].r2_target);
        cell(f, "%.4f", e[i].mape_target * 100);
        cell(f, "%.4f", e[i].wmape_target * 100);
        cell(f, "%.6f", e[i].r2_total);
        cell(f, "%.4f", e[i].mape_total * 100);
        cell(f, "%.4f", e[i].wmape_total * 100);
        cell(f, "%.9f", e[i].energy_kwh);
        cell(f, "%.9f", e[i].energy_pred_kwh);
        cell(f, "%.6f", e[i].co2_g);
        cell(f, "%.6f", e[i].co2_pred_g);
        fputc('\n', f);
    }
    if (finish(f, path) < 0)
        return -1;
    if (!(f = create(dir, "predictions.csv", path, sizeof path)))
        return -1;
    fputs("workload,step,duration_s,target,predicted_target,"
          "total_power_w,predicted_total_w\n", f);
    size_t nf = d->nf;
    for (size_t w = 0; w < d->nw; w++)
        for (size_t r = d->w[w].ntrain; r < d->w[w].n; r++) {
            const double *row = d->w[w].v + r * d->ncol, *x = row + nf;
            double p = pact__model_predict(m, row);
            model_csv_field(f, d->w[w].name);
            fprintf(f, ",%zu", r);
            cell(f, "%.6f", x[PACT__DS_DUR]);
            cell(f, "%.4f", x[PACT__DS_TARGET]);
            cell(f, "%.4f", p);
            cell(f, "%.4f", x[PACT__DS_PSU]);
            cell(f, "%.4f", pact__model_total(m, p, x[PACT__DS_GPU],
                                              x[PACT__DS_CPU]));
            fputc('\n', f);
        }
    return finish(f, path);
}

int cmd_model_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        MODEL_PP_LONGOPTS,
        {"model", required_argument, NULL, 'm'},
        {"out", required_argument, NULL, 'O'},
        {"psu-efficiency", required_argument, NULL, E_EFF},
        {"carbon-intensity", required_argument, NULL, E_CI},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct model_args a;
    const char *model = NULL, *outdir = NULL;
    double eff = 0.92, ci = 646;
    int quiet = 0, c;

    model_args_init(&a);
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:qh", longopts, NULL)) != -1) {
        if (model_args_option(&a, c, optarg))
            continue;
        switch (c) {
        case 'm': model = optarg; break;
        case 'O': outdir = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': eval_help(); model_args_release(&a); return 0;
        case E_EFF:
            eff = cli_number("--psu-efficiency", optarg);
            if (!(eff > 0 && eff <= 1)) {
                fprintf(stderr, "pact: model eval --psu-efficiency: give a "
                        "fraction in (0, 1], e.g. 0.92\n");
                return 2;
            }
            break;
        case E_CI:
            ci = cli_number("--carbon-intensity", optarg);
            if (ci < 0) {
                fprintf(stderr, "pact: model eval --carbon-intensity: must "
                        "be >= 0 gCO2/kWh\n");
                return 2;
            }
            break;
        default:
            fprintf(stderr, "pact: model eval: see 'pact model eval "
                    "--help'\n");
            return 2;
        }
    }
    if (!model) {
        fprintf(stderr, "pact: model eval: give the model with -m FILE "
                "(written by 'pact model fit')\n");
        return 2;
    }
    for (int i = optind; i < argc; i++)
        model_args_path(&a, argv[i]);
    model_args_require(&a, "eval");
    if (outdir) {
        char p1[4096], p2[4096];
        snprintf(p1, sizeof p1, "%s/eval.csv", outdir);
        snprintf(p2, sizeof p2, "%s/predictions.csv", outdir);
        model_args_check_output(&a, "eval", p1, model);
        model_args_check_output(&a, "eval", p2, model);
    }
    console_init(quiet, 0);

    char why[1024] = "";
    struct pact__model *m = NULL;
    struct pact__dataset *d = NULL;
    struct pact__eval *e = NULL;
    int rc = pact__model_load(model, &m, why, sizeof why);
    if (rc >= 0) {
        model_args_pp_merge(&a, &m->pp);
        if (m->pp.pipeline == PACT__PIPE_ORIGINAL ||
            a.pp.pipeline == PACT__PIPE_ORIGINAL) {
            int st = model_eval_original(&a, m, outdir, eff, ci);
            pact__model_free(m);
            model_args_release(&a);
            return st;
        }
        rc = pact__dataset_load(a.in, a.nin,
                                (const char *const *)m->feature, m->nf,
                                m->per_period, m->target, &m->pp, &d, why,
                                sizeof why);
    }
    if (rc >= 0 && !(e = calloc(d->nw + 1, sizeof *e))) {
        snprintf(why, sizeof why, "out of memory");
        rc = -ENOMEM;
    }
    long n = 0;
    if (rc >= 0 && (n = pact__model_evaluate(m, d, eff, ci, e)) < 0) {
        snprintf(why, sizeof why, "out of memory");
        rc = (int)n;
    }
    if (rc >= 0 && n == 0) {
        snprintf(why, sizeof why, "no test rows with a prediction: the "
                 "workloads are too short for --split %.2f, or a feature "
                 "is empty; try --split 0", m->pp.train_fraction);
        rc = PACT_ENUMERIC;
    }
    int status = 0;
    if (rc < 0) {
        fprintf(stderr, "pact: model eval: %s\n", why);
    } else {
        print_tables(m, e, d->nw + 1, &m->pp, eff, ci);
        if (outdir && write_csv(outdir, m, d, e, d->nw + 1) < 0) {
            pact__outfile_abort(&cur);
            status = CLI_EXIT_OUTPUT;
        }
    }
    free(e);
    pact__dataset_free(d);
    pact__model_free(m);
    model_args_release(&a);
    return rc < 0 ? CLI_EXIT_USAGE : status;
}
