/* SPDX-License-Identifier: MIT */
/*
 * prometheus.h - a snapshot as Prometheus' text exposition format 0.0.4
 * or as OpenMetrics 1.0 (the exporter's /metrics and the --textfile
 * file).  Counters of joules end in _total, so rate() gives watts.
 */
#ifndef PACT_OUTPUT_PROMETHEUS_H
#define PACT_OUTPUT_PROMETHEUS_H

#include <stddef.h>

#include "core/snapshot.h"

#define PACT__PROM_TEXT "text/plain; version=0.0.4; charset=utf-8"
#define PACT__PROM_OPENMETRICS \
    "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* Format s; scrape_s >= 0 adds pact_scrape_duration_seconds.  Returns a
 * malloc'd NUL-terminated text (length in *len), or NULL when out of
 * memory. */
char *pact__prom_format(const struct pact__snap *s, int openmetrics,
                        double scrape_s, size_t *len);

/* 1 when an Accept header asks for OpenMetrics. */
int pact__prom_wants_openmetrics(const char *accept);

#endif
