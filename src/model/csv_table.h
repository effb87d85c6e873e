/* SPDX-License-Identifier: MIT */
/*
 * csv_table.h - read a CSV written by pact (or by the original tool) into
 * a table of doubles addressed by column name.  Empty cells are NaN; a
 * cell that is not a number is NaN too, and the first line where that
 * happened is remembered per column so a caller that needs the column as
 * numbers can name the file and line.  Reading never prints.
 */
#ifndef PACT_MODEL_CSV_TABLE_H
#define PACT_MODEL_CSV_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "core/numfmt.h"

struct pact__table {
    char *file;        /* owned copy of the path, for messages */
    size_t nrows;
    size_t ncols;
    char **names;      /* ncols owned column names */
    double *v;         /* nrows * ncols, row-major; NaN = empty/text */
    long *line;        /* nrows: 1-based source line of each row */
    long *text_line;   /* ncols: first line with a non-numeric cell, 0 */
};

/*
 * Read path.  On success *out owns a new table (pact__table_free) and the
 * return is the number of rows.  On failure returns < 0 (-errno or
 * PACT_EFORMAT) and why holds one line naming the file and line.  Blank
 * lines and lines starting with '#' are skipped.  A last line without a
 * newline whose field count is wrong (a run cut short) is dropped.
 */
int pact__table_read(const char *path, struct pact__table **out, char *why,
                     size_t len);

/* Release t and everything in it.  NULL is fine. */
void pact__table_free(struct pact__table *t);

/* Index of the column called name, or -1. */
int pact__table_col(const struct pact__table *t, const char *name);

/* Cell (row, col); NaN when col < 0. */
double pact__table_get(const struct pact__table *t, size_t row, int col);

/*
 * Split one CSV line in place (RFC 4180 quoting: "a,b" and "" escapes).
 * Stores up to max field pointers and returns the number of fields found
 * (which may exceed max), or -1 for an unterminated quote.
 */
int pact__csv_split(char *line, char **field, int max);

/* Parse a whole cell as a finite double.  1 = number, 0 = empty or
 * "nan" in any case (NaN: left out, as docs/model.md says), -1 = text
 * that is not a finite number (NaN). */
int pact__csv_number(const char *cell, double *out);

/* Read one CSV record: a line, or several when a quoted field holds a
 * line break (RFC 4180).  The line end (LF or CRLF) is stripped; *buf
 * grows as needed.  *lineno counts the physical lines consumed;
 * *complete is 0 when the file ended without a final newline.  Returns
 * the record's length, or -1 at the end of the file (-2 on a read error,
 * errno set).  Linear in the input. */
long pact__csv_record(char **buf, size_t *cap, FILE *fp, long *lineno,
                      int *complete);

#endif
