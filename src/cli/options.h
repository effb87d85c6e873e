/* SPDX-License-Identifier: MIT */
/*
 * options.h - the tracker options every tracking subcommand shares
 * (run, monitor, stress), parsed into a struct pact_config plus the CLI's
 * own switches.  Errors are one line on stderr and exit status 2.
 */
#ifndef PACT_CLI_OPTIONS_H
#define PACT_CLI_OPTIONS_H

#include <getopt.h>

#include "core/labels.h"
#include "pact/pact.h"

struct cli_opts {
    struct pact_config cfg;
    const char *summary_json; /* --summary-json FILE */
    double duration_s;        /* monitor --duration; 0 = until a signal */
    int quiet;                /* -q: no summary, no notices */
    int status;               /* live status line: -1 auto, 0 off, 1 on */
    double cooldown_s;        /* stress --cooldown */
    const char *results_dir;  /* stress -o */
    const char *listen;       /* --listen [ADDR:]PORT */
    char labels[2048];        /* --label lines, cfg.labels points here */
};

/* Parse argv from optind on, stopping at the first non-option (or "--").
 * extra/nextra: subcommand-specific long options handled by extra_fn
 * (return 0 when handled, < 0 on error).  Returns 0, or exits 0 for
 * --help (after help_fn) and 2 on a bad option. */
int cli_parse(int argc, char **argv, struct cli_opts *o,
              void (*help_fn)(void));

/* One "  --name  text" block describing the shared options. */
void cli_print_tracker_options(void);

/* Strict number parsing: exits 2 with a message naming the option. */
double cli_number(const char *opt, const char *arg);

#endif
