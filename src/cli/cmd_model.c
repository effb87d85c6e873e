/* SPDX-License-Identifier: MIT */
/*
 * cmd_model.c - `pact model fit|eval|predict`: dispatch, and `fit`, which
 * loads and pre-processes runs, fits an OLS or piecewise model of
 * Power_Other(W) (or --target) and writes the model file.  eval and
 * predict live in cmd_model_eval.c and cmd_model_predict.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/console.h"
#include "cli/model_cli.h"
#include "cli/model_original.h"
#include "cli/options.h"
#include "model/fit.h"
#include "model/model_file.h"

static void usage(FILE *f)
{
    fputs("usage: pact model fit [options] INPUT...\n"
          "       pact model eval -m MODEL [options] INPUT...\n"
          "       pact model predict -m MODEL -o OUT.csv INPUT.csv\n"
          "Fit, evaluate and apply power models: predict the power that "
          "RAPL and NVML\ndo not see (Power_Other = PSU - (GPU + RAPL)) "
          "from counters and GPU\nutilisation, then total power where "
          "no PSU meter exists.\n"
          "'pact model SUBCOMMAND --help' for its options.\n", f);
}

int cmd_model(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") ||
        !strcmp(sub, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(sub, "fit"))
        return cmd_model_fit(argc - 1, argv + 1);
    if (!strcmp(sub, "eval") || !strcmp(sub, "evaluate"))
        return cmd_model_eval(argc - 1, argv + 1);
    if (!strcmp(sub, "predict"))
        return cmd_model_predict(argc - 1, argv + 1);
    fprintf(stderr, "pact: model: unknown subcommand '%s'; use fit, eval "
            "or predict\n", sub);
    return 2;
}

/* ---- fit ---- */

enum {
    F_TYPE = MO_FIRST_OWN,
    F_FEATURES,
    F_TARGET,
    F_CLUSTERS,
    F_CLFEAT,
    F_NO_PFA,
    F_PFA_Q,
    F_PFA_VAR,
    F_SEED,
};

static void fit_help(void)
{
    printf("usage: pact model fit [options] INPUT...\n"
           "Fit a model on the first part (--split) of each workload and "
           "write it.\n\n"
           "  -o, --output FILE         model file (default "
           "pact-model.txt)\n"
           "      --type ols|piecewise  model (default piecewise: k-means "
           "clusters, one\n"
           "                            least-squares fit each)\n"
           "      --features LIST       feature columns (default\n"
           "                            %s)\n"
           "      --target NAME         column to predict (default %s,\n"
           "                            computed as PSU - (GPU + RAPL) "
           "when absent)\n"
           "      --clusters K          k-means clusters (default 5)\n"
           "      --cluster-features L  cluster on these features (default: "
           "chosen by PFA)\n"
           "      --no-pfa              cluster on every feature\n"
           "      --pfa-components Q    PFA keeps Q principal components "
           "and chooses Q\n"
           "                            features (default 3)\n"
           "      --pfa-variance F      instead, enough components for "
           "this variance\n"
           "                            fraction (e.g. 0.95)\n"
           "      --seed N              k-means seed (default 0; fits are "
           "reproducible)\n"
           "  -q, --quiet               no notices\n\n",
           PACT__DEFAULT_FEATURES, PACT__COL_OTHER);
    model_args_help(stdout, 1);
    printf("\nFormat of the model file and the pipeline: docs/model.md.\n");
}

static void print_model(const struct pact__model *m, const char *path)
{
    printf("%s model of %s from %zu training rows, written to %s\n",
           m->type == PACT__MODEL_PIECEWISE ? "piecewise" : "OLS",
           m->target, m->ntrain, path);
    printf("  OLS: %s = %.6g", m->target, m->ols[0]);
    for (size_t j = 0; j < m->nf; j++)
        printf(" %+.6g*%s", m->ols[j + 1], m->feature[j]);
    printf("\n");
    if (m->type != PACT__MODEL_PIECEWISE)
        return;
    printf("  %zu clusters on", m->pw.k);
    for (size_t s = 0; s < m->pw.nsel; s++)
        printf("%s %s", s ? "," : "", m->feature[m->pw.sel[s]]);
    printf(" (min-max scaled 0..100)\n");
    for (size_t c = 0; c < m->pw.k; c++)
        printf("    cluster %zu: %zu rows%s\n", c, m->pw.rows[c],
               m->pw.fallback[c] ? " (too few: uses the OLS fit)" : "");
}

/* Drop the features with no training value from feat (a NULL-terminated
 * list), saying so; returns how many were dropped.  Exits when none is
 * left. */
static size_t drop_empty(const struct pact__dataset *d, char **feat,
                         size_t *nf)
{
    size_t w = 0, dropped = 0;
    for (size_t j = 0; j < *nf; j++) {
        if (pact__dataset_train_values(d, j) == 0) {
            fprintf(stderr, "pact: model fit: no values for default feature "
                    "'%s' in the inputs; fitting without it\n", feat[j]);
            free(feat[j]);
            dropped++;
            continue;
        }
        feat[w++] = feat[j];
    }
    feat[w] = NULL;
    if (w == 0) {
        fprintf(stderr, "pact: model fit: none of the default features has "
                "values in the inputs; choose columns with --features\n");
        exit(1);
    }
    *nf = w;
    return dropped;
}

int cmd_model_fit(int argc, char **argv)
{
    static const struct option longopts[] = {
        MODEL_PP_LONGOPTS,
        {"output", required_argument, NULL, 'o'},
        {"type", required_argument, NULL, F_TYPE},
        {"features", required_argument, NULL, F_FEATURES},
        {"target", required_argument, NULL, F_TARGET},
        {"clusters", required_argument, NULL, F_CLUSTERS},
        {"cluster-features", required_argument, NULL, F_CLFEAT},
        {"no-pfa", no_argument, NULL, F_NO_PFA},
        {"pfa-components", required_argument, NULL, F_PFA_Q},
        {"pfa-variance", required_argument, NULL, F_PFA_VAR},
        {"seed", required_argument, NULL, F_SEED},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct model_args a;
    struct pact__fit_opts fo;
    const char *out = "pact-model.txt", *target = PACT__COL_OTHER;
    const char *features = NULL, *clfeat = NULL;
    int quiet = 0, c;

    model_args_init(&a);
    pact__fit_opts_init(&fo);
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
        if (model_args_option(&a, c, optarg))
            continue;
        switch (c) {
        case 'o': out = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': fit_help(); model_args_release(&a); return 0;
        case F_TYPE:
            if (!strcmp(optarg, "ols") || !strcmp(optarg, "linear"))
                fo.type = PACT__MODEL_OLS;
            else if (!strcmp(optarg, "piecewise"))
                fo.type = PACT__MODEL_PIECEWISE;
            else {
                fprintf(stderr, "pact: model fit --type: '%s' is not ols "
                        "or piecewise\n", optarg);
                return 2;
            }
            break;
        case F_FEATURES: features = optarg; break;
        case F_TARGET: target = optarg; break;
        case F_CLUSTERS:
            fo.clusters = model_count("--clusters", optarg, 1);
            break;
        case F_CLFEAT: clfeat = optarg; break;
        case F_NO_PFA: fo.pfa = 0; break;
        case F_PFA_Q:
            fo.pfa_opts.q = model_count("--pfa-components", optarg, 1);
            break;
        case F_PFA_VAR:
            fo.pfa_opts.variance = cli_number("--pfa-variance", optarg);
            if (!(fo.pfa_opts.variance > 0 && fo.pfa_opts.variance <= 1)) {
                fprintf(stderr, "pact: model fit --pfa-variance: give a "
                        "fraction in (0, 1], e.g. 0.95\n");
                return 2;
            }
            break;
        case F_SEED:
            fo.seed = (uint64_t)model_count("--seed", optarg, 0);
            break;
        default:
            fprintf(stderr, "pact: model fit: see 'pact model fit "
                    "--help'\n");
            return 2;
        }
    }
    for (int i = optind; i < argc; i++)
        model_args_path(&a, argv[i]);
    model_args_require(&a, "fit");
    model_args_check_output(&a, "fit", out, NULL);
    console_init(quiet, 0);

    size_t nf, ncl = 0;
    char **feat = model_list("--features",
                             features ? features : PACT__DEFAULT_FEATURES,
                             &nf);
    char **cl = clfeat ? model_list("--cluster-features", clfeat, &ncl)
                       : NULL;
    fo.cluster_feature = (const char *const *)cl;
    fo.ncluster_feature = ncl;
    if (a.pp.pipeline == PACT__PIPE_ORIGINAL) {
        int st = model_fit_original(&a, feat, nf, &fo, out, quiet);
        model_list_free(feat);
        model_list_free(cl);
        model_args_release(&a);
        return st;
    }
    char why[1024] = "";
    struct pact__dataset *d = NULL;
    struct pact__model *m = NULL;
    int rc = pact__dataset_load(a.in, a.nin, (const char *const *)feat, nf,
                                NULL, target, &a.pp, &d, why, sizeof why);
    if (rc >= 0 && !features && drop_empty(d, feat, &nf)) {
        /* Default features this machine never recorded (no GPU, no
         * hardware counters): fit on the others. */
        pact__dataset_free(d);
        d = NULL;
        rc = pact__dataset_load(a.in, a.nin, (const char *const *)feat, nf,
                                NULL, target, &a.pp, &d, why, sizeof why);
    }
    if (rc >= 0)
        rc = pact__model_fit(d, (const char *const *)feat, NULL, target,
                             &a.pp, &fo, &m, why, sizeof why);
    int status = rc < 0 ? CLI_EXIT_USAGE : 0;
    if (rc >= 0 && (rc = pact__model_save(m, out, why, sizeof why)) < 0)
        status = CLI_EXIT_OUTPUT;
    if (rc < 0)
        fprintf(stderr, "pact: model fit: %s\n", why);
    else if (!quiet)
        print_model(m, out);
    pact__model_free(m);
    pact__dataset_free(d);
    model_list_free(feat);
    model_list_free(cl);
    model_args_release(&a);
    return status;
}
