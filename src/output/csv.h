/* SPDX-License-Identifier: MIT */
/*
 * csv.h - the streamed CSV: the original PACT's columns first, then one
 * per counter, then the extended ones.  Each row is written with write(2)
 * as its window closes, so a kill -9 loses at most the row in progress;
 * rows that cannot be written (disk full) are kept and retried.
 */
#ifndef PACT_OUTPUT_CSV_H
#define PACT_OUTPUT_CSV_H

#include <stddef.h>

#include "core/row.h"

struct pact__csv;

/* Create or truncate path.  Returns 0 or -errno with a one-line why. */
int pact__csv_open(const char *path, struct pact__csv **out, char *why,
                   size_t len);

/* Write the header from a row layout (channels, counters; values unused).
 * with_prediction adds Predicted_Total_Power(W). */
int pact__csv_header(struct pact__csv *w, const struct pact__row *layout,
                     int with_prediction);

/* Append one row.  Returns 0, or -errno when (part of) it is still
 * pending in memory; *why_new is set to 1 the first time an error occurs
 * after a success (so the caller logs once). */
int pact__csv_row(struct pact__csv *w, const struct pact__row *row,
                  int *why_new);

struct pact__labels;
/* Add the fleet columns (host, job_id, rank, each --label) after the
 * others, before the header is written. */
void pact__csv_labels(struct pact__csv *w, const struct pact__labels *lb);

/* Bytes still waiting to be written (0 when all is on disk). */
size_t pact__csv_pending(const struct pact__csv *w);

/* Flush what is pending and close; NULL-safe.  Returns 0 or -errno. */
int pact__csv_close(struct pact__csv *w);

#endif
