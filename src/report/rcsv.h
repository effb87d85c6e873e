/* SPDX-License-Identifier: MIT */
/*
 * rcsv.h - a streaming CSV reader for `pact report`: reads in 1 MiB
 * chunks (so a 10 GB file costs a few MiB of memory), splits each line
 * into NUL-terminated fields in place (RFC 4180 quotes), and parses
 * decimal numbers quickly.  It checks that every row has the header's
 * field count and ends with a newline, so a truncated file is reported
 * with its line number.
 */
#ifndef PACT_REPORT_RCSV_H
#define PACT_REPORT_RCSV_H

#include <stddef.h>

struct pact__rcsv;

/* Opens PATH and reads the header.  Returns 0 or -errno, why filled. */
int pact__rcsv_open(const char *path, struct pact__rcsv **out, char *why,
                    size_t len);
int pact__rcsv_ncols(const struct pact__rcsv *c);
const char *pact__rcsv_name(const struct pact__rcsv *c, int i);
/* Index of the column named NAME, or -1. */
int pact__rcsv_col(const struct pact__rcsv *c, const char *name);
/* Next row: 1 with *f pointing at ncols fields, 0 at the end, or -errno
 * (why filled: line number and what is wrong). */
int pact__rcsv_next(struct pact__rcsv *c, char ***f, char *why, size_t len);
unsigned long long pact__rcsv_line(const struct pact__rcsv *c);
void pact__rcsv_close(struct pact__rcsv *c);

/* A cell as a number; NAN when empty or not a number. */
double pact__rcsv_num(const char *s);

#endif
