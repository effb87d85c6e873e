/* SPDX-License-Identifier: MIT */
/*
 * model_cli.h - what the `pact model` subcommands share: turning file
 * and directory arguments into grouped inputs, the pre-processing
 * options, and small printing helpers.  CLI code: may print and exit.
 */
#ifndef PACT_CLI_MODEL_CLI_H
#define PACT_CLI_MODEL_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

#include "model/dataset.h"
#include "model/preprocess.h"

/* Long-option codes shared by fit and eval (above any short option). */
enum {
    MO_WINDOW = 1000,
    MO_NO_SMOOTH,
    MO_NO_SKIP,
    MO_NO_NORM,
    MO_NO_TRIM,
    MO_PERF,
    MO_SPLIT,
    MO_WORKLOAD,
    MO_PIPELINE,
    MO_FIRST_OWN, /* subcommands number their own options from here */
};

/* The getopt_long entries for the options above. */
#define MODEL_PP_LONGOPTS                                            \
    {"window", required_argument, NULL, MO_WINDOW},                  \
    {"no-smooth", no_argument, NULL, MO_NO_SMOOTH},                  \
    {"no-skip-leading", no_argument, NULL, MO_NO_SKIP},              \
    {"no-normalise", no_argument, NULL, MO_NO_NORM},                 \
    {"no-normalize", no_argument, NULL, MO_NO_NORM},                 \
    {"no-trim", no_argument, NULL, MO_NO_TRIM},                      \
    {"perf-period", required_argument, NULL, MO_PERF},               \
    {"split", required_argument, NULL, MO_SPLIT},                    \
    {"workload", required_argument, NULL, MO_WORKLOAD},              \
    {"pipeline", required_argument, NULL, MO_PIPELINE}

struct model_args {
    struct pact__input *in;
    size_t nin, cap;
    struct pact__pp_opts pp;
    unsigned pp_given; /* bit per MO_* - MO_WINDOW given on the line */
};

void model_args_init(struct model_args *a);
void model_args_release(struct model_args *a);

/* Handle one shared option (c from getopt_long).  1 = handled, 0 = not
 * one of ours; exits 2 on a bad value. */
int model_args_option(struct model_args *a, int c, const char *arg);

/* Add a positional argument: a CSV file, or a directory whose *.csv
 * files are added in name order.  Exits 2 when it is neither. */
void model_args_path(struct model_args *a, const char *path);

/* Exit 2 (with a message naming both) when output is a link, FIFO or
 * device, or the same file as one of the input CSVs or extra (may be
 * NULL): no input is ever an output. */
void model_args_check_output(const struct model_args *a, const char *cmd,
                             const char *output, const char *extra);

/* Exit 2 with the usage hint when no input was given. */
void model_args_require(const struct model_args *a, const char *cmd);

/* Overlay the options given on the line onto base (the model's). */
void model_args_pp_merge(const struct model_args *a,
                         struct pact__pp_opts *base);

/* Help text for the shared options. */
void model_args_help(FILE *f, int with_split);

/* Split a comma-separated list into a NULL-terminated array of owned
 * strings (free with model_list_free); *n gets the count.  Exits 2 on
 * an empty item. */
char **model_list(const char *opt, const char *arg, size_t *n);
void model_list_free(char **v);

/* A number, or "n/a" for NaN, into buf. */
const char *model_fmt(char *buf, size_t len, const char *fmt, double v);

/* Write one CSV cell, quoted (RFC 4180) when it holds , " or a newline. */
void model_csv_field(FILE *f, const char *s);

/* Exits 2 with "pact: model OPT: ..." unless arg is a count >= min. */
size_t model_count(const char *opt, const char *arg, size_t min);

/* The subcommands (cmd_model.c dispatches). */
int cmd_model_fit(int argc, char **argv);
int cmd_model_eval(int argc, char **argv);
int cmd_model_predict(int argc, char **argv);

#endif
