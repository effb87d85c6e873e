/* SPDX-License-Identifier: MIT */
/*
 * sources.h - the set of open power-source drivers and their channels,
 * and how samples become window values: energy counters by delta over the
 * exact window, fast channels averaged over perf-period reads, the rest
 * read once at the window's end.  Logs each driver's failures once per
 * change of state.
 */
#ifndef PACT_CORE_SOURCES_H
#define PACT_CORE_SOURCES_H

#include <stddef.h>
#include <stdint.h>

#include "sensors/sensor.h"

struct pact__sources;

/* Open every registered driver that offers channels.  A driver that fails
 * to open is logged and skipped, except for a configuration error (a
 * driver open returning PACT_EBADCONFIG, e.g. a bad --gpus list), which
 * fails the call with the driver's reason in why, before anything runs. */
int pact__sources_open(const struct pact_config *cfg, const char *sysroot,
                       struct pact__sources **out, char *why, size_t len);

int pact__sources_count(const struct pact__sources *s);
const struct pact_channel *pact__sources_channels(const struct pact__sources *s);
/* 1 if some channel wants a read every perf period. */
int pact__sources_has_fast(const struct pact__sources *s);
/* Names of the open drivers, comma separated (for notices). */
void pact__sources_names(const struct pact__sources *s, char *buf, size_t len);

/* First read: energy baselines at t_ns. */
void pact__sources_begin(struct pact__sources *s, int64_t t_ns);
/* Perf-period read of drivers with fast channels. */
void pact__sources_tick(struct pact__sources *s, int64_t t_ns);
/* Close a window that ends at t_ns after duration_s: values[0..count-1]
 * get the window values (NaN = empty cell). */
void pact__sources_window(struct pact__sources *s, int64_t t_ns,
                          double duration_s, double *values);

void pact__sources_close(struct pact__sources *s);

#endif
