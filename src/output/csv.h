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
#include <stdint.h>

#include "core/row.h"

struct pact__csv;

/* Rows that wait for disk space are kept in memory up to this many
 * bytes (documented in docs/pact.1); later rows are counted as lost. */
#define PACT__CSV_BACKLOG_MAX (4u * 1024 * 1024)

/* Open (or create) path for the rows without truncating it and without
 * following a link; a FIFO, device or directory is refused, and so is a
 * file that is one of inputs (NULL-terminated list, may be NULL).  The
 * old content is cut only by the first pact__csv_header.  Returns 0 or
 * -errno with a one-line why. */
int pact__csv_open_checked(const char *path, const char *const *inputs,
                           struct pact__csv **out, char *why, size_t len);
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

/* Rows completely on disk so far, and rows lost (dropped at the backlog
 * cap, or still pending). */
uint64_t pact__csv_kept(const struct pact__csv *w);
uint64_t pact__csv_lost(const struct pact__csv *w);

/* Flush what is pending and close; NULL-safe.  A file whose last row
 * could not be completed is cut back to its last whole row.  Returns 0,
 * or -errno (-ENOSPC when rows were lost) with why = "PATH: N rows
 * written, M rows lost (...)" when why is not NULL.  A file created by
 * open and never started is removed. */
int pact__csv_finish(struct pact__csv *w, char *why, size_t len);
int pact__csv_close(struct pact__csv *w);

/* Release w without writing anything (a forked child: the pending rows
 * are the parent's to write); NULL-safe. */
void pact__csv_discard(struct pact__csv *w);

#endif
