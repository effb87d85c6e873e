/* SPDX-License-Identifier: MIT */
/*
 * plausible.c - per-channel plausibility bounds (see plausible.h).
 */
#include "core/plausible.h"

#include <math.h>

/* Generous bounds when the device states none: one machine's wall or
 * platform power stays far below 20 kW (a full 8-GPU server draws about
 * 10 kW); a CPU package, a GPU or DRAM below 2 kW. */
static double default_max(int role)
{
    switch (role) {
    case PACT_ROLE_CPU_POWER:
    case PACT_ROLE_GPU_POWER:
    case PACT_ROLE_OTHER_POWER:
        return 2000.0;
    default:
        return 20000.0;
    }
}

double pact__plausible_max_w(const struct pact_channel *c)
{
    if (c->max_power_w > 0 && isfinite(c->max_power_w))
        return c->max_power_w * PACT__PLAUSIBLE_MARGIN;
    return default_max(c->role);
}

int pact__plausible_power(const struct pact_channel *c, double w)
{
    return isfinite(w) && w >= 0 && w <= pact__plausible_max_w(c);
}
