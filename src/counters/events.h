/* SPDX-License-Identifier: MIT */
/*
 * events.h - event names to perf_event_attr encodings.  Accepts perf's
 * spellings and aliases (cpu-migrations, migrations, page-faults, faults,
 * cycles, ...), the original PACT's upper-case names (MIGRATIONS, FAULTS,
 * CACHE-MISSES, CYCLES) and, through libpfm4, any PMU-specific name.
 * Parses the --events spec: ';' between groups, ',' inside a group.
 */
#ifndef PACT_COUNTERS_EVENTS_H
#define PACT_COUNTERS_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#define PACT_EVENT_NAME 64
#define PACT_MAX_EVENTS 64

struct pact__event {
    char column[PACT_EVENT_NAME]; /* CSV column: the name as given, lower */
    char canonical[PACT_EVENT_NAME]; /* perf's name, e.g. cpu-migrations */
    uint32_t type;
    uint64_t config, config1, config2;
    int32_t group;       /* group index in the spec, 0-based */
    int32_t kernel_side; /* 1: raised in kernel context (cs, migrations):
                            counts 0 under exclude_kernel */
    int32_t software;    /* 1: PERF_TYPE_SOFTWARE */
};

/* Look one name up (case-insensitive).  0, or PACT_EBADEVENT with a
 * one-line message listing close names in why. */
int pact__event_lookup(const char *name, struct pact__event *ev, char *why,
                       size_t len);

/* Parse spec into out[0..max-1]; returns the number of events or < 0 with
 * why.  Empty spec = no events. */
int pact__events_parse(const char *spec, struct pact__event *out, int max,
                       char *why, size_t len);

#endif
