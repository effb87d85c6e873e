/* SPDX-License-Identifier: MIT */
/*
 * counters.h - perf_event_open counter sets for the tracker: opened
 * system-wide (one fd per CPU, pid -1) or on a workload (a pid and its
 * children through inherit), read as window deltas (perf stat -I) or as
 * the original PACT's sum of running totals, scaled for multiplexing.
 * An event that cannot be counted is reported with its reason, never 0.
 */
#ifndef PACT_COUNTERS_COUNTERS_H
#define PACT_COUNTERS_COUNTERS_H

#include <stddef.h>
#include <sys/types.h>

#include "counters/events.h"

struct pact__counters;

struct pact__counters_opts {
    int scope;        /* enum pact_scope (AUTO resolves at open) */
    int mode;         /* enum pact_counter_mode */
    pid_t pid;        /* workload: 0 self, > 0 a child not yet exec'd
                         (counting starts at its exec), < 0 none */
};

/* Open every event of spec.  Returns 0 with *out set (some events may be
 * unavailable: see _why), or < 0 with a one-line message (bad spec, or no
 * scope permitted at all).  notice gets a line for the user when the scope
 * had to fall back (else ""). */
int pact__counters_open(const char *spec,
                        const struct pact__counters_opts *opts,
                        struct pact__counters **out, char *notice,
                        size_t nlen, char *why, size_t len);

int pact__counters_count(const struct pact__counters *c);
const char *pact__counters_column(const struct pact__counters *c, int i);
/* Borrowed array of the column names (count entries). */
const char *const *pact__counters_columns(const struct pact__counters *c);
/* 1 if event i is counted; else 0 and its reason (borrowed). */
int pact__counters_available(const struct pact__counters *c, int i,
                             const char **why);
int pact__counters_scope(const struct pact__counters *c);

/* Start of the first window: take baselines. */
int pact__counters_begin(struct pact__counters *c);
/* Perf-period tick: in PACT mode add the running totals; else no-op. */
void pact__counters_tick(struct pact__counters *c);
/* Close a window: values[i] = count (NaN when not counted); *running_pct
 * = the lowest time_running/time_enabled over events that ran, in %. */
void pact__counters_window(struct pact__counters *c, double *values,
                           double *running_pct);

void pact__counters_close(struct pact__counters *c);

/* The advice for an errno from perf_event_open (perf's open_strerror). */
const char *pact__perf_open_advice(int err, int system_wide);

#endif
