/* SPDX-License-Identifier: MIT */
/*
 * sources.h - the set of open power-source drivers and their channels.
 * Every driver read is stamped with its own CLOCK_MONOTONIC time; energy
 * counters go through the counter helper (counter.h), readings through
 * the plausibility bounds (plausible.h), instantaneous power through the
 * trapezoid integral (integrate.h), and the first seconds through the
 * liveness check (liveness.h).  Logs each driver's failures once per
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
/* Names of the open drivers, comma separated (for notices). */
void pact__sources_names(const struct pact__sources *s, char *buf, size_t len);

/* The default instantaneous-power sample period for a measure period:
 * at least 10 samples per window or one every 100 ms, whichever is more
 * frequent, but not below 10 ms. */
double pact__sources_default_sample_period(double measure_period_s);
/* Seconds between reads between window edges: the power sample period
 * when an instantaneous power channel is open, shorter if a wrapping
 * counter needs it; 0 when no channel needs reads between edges. */
double pact__sources_tick_period(struct pact__sources *s,
                                 double measure_period_s,
                                 double sample_period_s);

/* First read: baselines. */
void pact__sources_begin(struct pact__sources *s);
/* A read between edges, of the drivers that need one. */
void pact__sources_tick(struct pact__sources *s);
/* Close a window at its edge: values[0..count-1] get the window values
 * (W for power and energy channels; NaN = empty cell). */
/* u (may be NULL) gets each channel's extra standard uncertainty for
 * this window, W: sampling (power channels) and, for an energy counter
 * whose delta spans more than this window after failed reads, the part
 * of its mean that may belong to the earlier windows. */
void pact__sources_window(struct pact__sources *s, double *values,
                          double *u);

/* End the liveness probation after elapsed_s of observation: channels
 * present but not counting are dropped (one line each; their cells stay
 * empty from now on).  Returns how many were dropped. */
int pact__sources_settle(struct pact__sources *s, double elapsed_s);
/* 1 if channel i was dropped; why (may be NULL) gets the reason. */
int pact__sources_dropped(const struct pact__sources *s, int i,
                          const char **why);

/* Readings of channel i left out as implausible (i < 0: all channels). */
int pact__sources_implausible(const struct pact__sources *s, int i);

void pact__sources_close(struct pact__sources *s);

#endif
