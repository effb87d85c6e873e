/* SPDX-License-Identifier: MIT */
/*
 * tracker.h - internal views of a tracker for the CLI and benchmarks
 * (the public API is in pact.h).
 */
#ifndef PACT_CORE_TRACKER_H
#define PACT_CORE_TRACKER_H

#include <stddef.h>

#include "pact/pact.h"

/* The counter scope in force after start (enum pact_scope). */
int pact__tracker_scope(const struct pact_tracker *t);
/* Names of the open power-source drivers. */
void pact__tracker_sources(const struct pact_tracker *t, char *buf,
                           size_t len);
/* The exporter's view: labels and the latest published window. */
struct pact__snapshot *pact__tracker_snapshot(struct pact_tracker *t);
/* Wake-up lateness statistics (needs PACT_JITTER set at start). */
int pact__tracker_jitter(struct pact_tracker *t, double *p50_us,
                         double *p99_us, double *max_us, size_t *n);

#endif
