/* SPDX-License-Identifier: MIT */
/*
 * model_original.h - the `--pipeline original` halves of `pact model fit`
 * and `pact model eval` (cmd_model_original.c).
 */
#ifndef PACT_CLI_MODEL_ORIGINAL_H
#define PACT_CLI_MODEL_ORIGINAL_H

#include <stddef.h>

#include "cli/model_cli.h"
#include "model/fit.h"
#include "model/model.h"

/* Fit both of the original's models on the inputs of a, write out, print
 * the original's training figures.  Returns the exit status. */
int model_fit_original(struct model_args *a, char **feat, size_t nf,
                       const struct pact__fit_opts *fo, const char *out,
                       int quiet);

/* Score every row of each input file with both of m's fits, print the
 * original's tables, and write its result files into outdir (if not
 * NULL).  Returns the exit status. */
int model_eval_original(struct model_args *a, const struct pact__model *m,
                        const char *outdir, double eff, double ci);

#endif
