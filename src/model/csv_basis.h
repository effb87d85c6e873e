/* SPDX-License-Identifier: MIT */
/*
 * csv_basis.h - what a CSV's numbers rest on, for the model's basis
 * check: its counter mode (the counter_mode column; the original tool's
 * files, which lack it, hold running-total sums) and which of the GPU and
 * RAPL power columns have values.
 */
#ifndef PACT_MODEL_CSV_BASIS_H
#define PACT_MODEL_CSV_BASIS_H

#include <stddef.h>

/*
 * PACT__CTR_WINDOW or PACT__CTR_SUMS from the counter_mode column
 * ("window" / "pact"); PACT__CTR_SUMS for a file with only the original
 * tool's columns; PACT__CTR_UNKNOWN for a pact file written before the
 * column existed.  A column mixing both values, or a file that cannot be
 * read, returns < 0 with one line in why.
 */
int pact__csv_counter_mode(const char *path, char *why, size_t len);

/* The comma list of PACT__COL_GPU and PACT__COL_CPU among the bits of
 * mask (1 = GPU, 2 = RAPL) into buf. */
void pact__basis_list(int mask, char *buf, size_t len);

#endif
