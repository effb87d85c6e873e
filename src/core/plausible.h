/* SPDX-License-Identifier: MIT */
/*
 * plausible.h - plausibility bounds per channel.  The bound is the
 * device's own rating where the driver knows it (PSU rating, GPU power
 * limit, TDP: max_power_w) times a margin for short excursions, else a
 * generous physical bound for the layer the channel measures.  A reading
 * outside [0, bound] is an empty cell and one warning, never a number
 * that reaches energy or CO2.
 */
#ifndef PACT_CORE_PLAUSIBLE_H
#define PACT_CORE_PLAUSIBLE_H

#include "sensors/sensor.h"

/* A rating may be exceeded for short spells (PL2 is up to 2x TDP on
 * desktop CPUs; GPUs and PSUs allow short excursions): 2x. */
#define PACT__PLAUSIBLE_MARGIN 2.0

/* Upper bound, W, for a power or energy channel. */
double pact__plausible_max_w(const struct pact_channel *c);
/* 1 if a power reading of w watts is possible for this channel. */
int pact__plausible_power(const struct pact_channel *c, double w);

#endif
