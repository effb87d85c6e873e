/* SPDX-License-Identifier: MIT */
/*
 * summary.h - the end-of-run summary for people (text, for stderr) and
 * for programs (JSON, for --summary-json), from the figures the tracker
 * returns.  Neither opens files nor prints anywhere but the FILE given.
 */
#ifndef PACT_OUTPUT_SUMMARY_H
#define PACT_OUTPUT_SUMMARY_H

#include <stdio.h>

#include "pact/pact.h"

/* Comparison factors (sources in docs/energy.md). */
#define PACT__CAR_G_PER_MILE 400.0 /* EPA-420-F-23-014 (2023) */
#define PACT__M_PER_MILE 1609.344
#define PACT__PHONE_G_PER_CHARGE 8.22 /* EPA GHG Equivalencies Calculator */

/* Write the text summary to f.  src[0..nsrc-1] are the per-source
 * figures (may be NULL when nsrc is 0).  Returns 0 or -EIO. */
int pact__summary_text(FILE *f, const struct pact_summary *s,
                       const struct pact_source_summary *src, int nsrc);

/* Write the summary as one JSON object (numbers that are NaN become
 * null) followed by a newline.  Returns 0 or -EIO. */
int pact__summary_json(FILE *f, const struct pact_summary *s,
                       const struct pact_source_summary *src, int nsrc);
/* The same, led by the command that was tracked and the host it ran on
 * (either may be NULL: left out), for pact report's header. */
int pact__summary_json_run(FILE *f, const struct pact_summary *s,
                           const struct pact_source_summary *src, int nsrc,
                           const char *command, const char *host);

#endif
