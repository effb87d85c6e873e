/* SPDX-License-Identifier: MIT */
/*
 * cpu_tdp.h - thermal design power by processor name, from the shipped
 * table data/cpu_tdp.csv (Name,TDP).  Names are compared after one
 * normalisation applied to both sides, so /proc/cpuinfo's
 * "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz" meets "Intel Core i7-8700".
 */
#ifndef PACT_SENSORS_CPU_TDP_H
#define PACT_SENSORS_CPU_TDP_H

#include <stddef.h>

/* Lower case; "(r)", "(tm)" and "(c)" removed; cut at "@" (clock) and at
 * " with " (graphics); a leading "13th gen" and the words "cpu",
 * "processor" and "N-core" dropped; other punctuation becomes a space;
 * single spaces, trimmed. */
void pact__cpu_name_normalise(const char *in, char *out, size_t len);

/* Find model in the CSV at csv_path.  On success returns 0, *tdp_w and
 * the table's spelling in matched (may be NULL).  -ENOENT: no row
 * matches; -errno: file unreadable; PACT_EFORMAT: not a Name,TDP table. */
int pact__cpu_tdp_lookup(const char *csv_path, const char *model, double *tdp_w,
                         char *matched, size_t mlen);

#endif
