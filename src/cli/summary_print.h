/* SPDX-License-Identifier: MIT */
/*
 * summary_print.h - the end-of-run summary the CLI prints on stderr and,
 * with --summary-json, writes to a file.
 */
#ifndef PACT_CLI_SUMMARY_PRINT_H
#define PACT_CLI_SUMMARY_PRINT_H

#include "pact/pact.h"

/* Print the summary to stderr; write JSON to json_path when not NULL.
 * Returns 0, or 1 when the JSON file could not be written. */
int summary_print(struct pact_tracker *t, int text, const char *json_path);

/* The command line the JSON summary names ("pact monitor", or the
 * tracked command); copied. */
void summary_print_command(const char *prefix, int argc, char **argv);

/* Before the workload starts: 0 if json_path (may be NULL) looks
 * writable, else 1 after a one-line message on stderr. */
int summary_json_check(const char *json_path);

#endif
