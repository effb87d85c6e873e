/* SPDX-License-Identifier: MIT */
/*
 * accounting.h - turns closed rows into energy and carbon: per-channel
 * energy, average and peak power; the run's total on its one basis
 * (core/basis.h), with gap windows counted;
 * cumulative energy_j and co2_g per row; and the run summary.
 */
#ifndef PACT_CORE_ACCOUNTING_H
#define PACT_CORE_ACCOUNTING_H

#include <stddef.h>

#include "core/row.h"
#include "pact/pact.h"

struct pact__accounting;

/* cfg and ch are borrowed for the accounting's lifetime.  Returns 0 or
 * < 0 with a one-line reason (bad country, unreadable intensity file). */
int pact__accounting_new(const struct pact_config *cfg,
                         const struct pact_channel *ch, int nch,
                         struct pact__accounting **out, char *why,
                         size_t len);

struct pact__basis;
/* The run's basis (borrowed; chosen after the liveness probation) and
 * the dropped sources as "name: why" lines.  Rows added before this are
 * accounted as having no basis. */
void pact__accounting_set_basis(struct pact__accounting *a,
                                const struct pact__basis *b,
                                const char *dropped);

/* Replace the dropped-sources lines (e.g. when a source's readings
 * start being implausible). */
void pact__accounting_set_dropped(struct pact__accounting *a,
                                  const char *dropped);

/* Account one closed row: sets row->total_power_w, energy_cum_j and
 * co2_cum_g. */
void pact__accounting_add(struct pact__accounting *a, struct pact__row *row);

/* Region energies are kept by label (copied). */
double pact__accounting_region_energy(const struct pact__accounting *a,
                                      const char *region);

void pact__accounting_summary(const struct pact__accounting *a,
                              struct pact_summary *out);
int pact__accounting_source_count(const struct pact__accounting *a);
int pact__accounting_source_get(const struct pact__accounting *a, int i,
                                struct pact_source_summary *out);

void pact__accounting_free(struct pact__accounting *a);

#endif
