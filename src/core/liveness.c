/* SPDX-License-Identifier: MIT */
/*
 * liveness.c - present-but-not-counting detection (liveness.h).
 */
#include "core/liveness.h"

#include <math.h>
#include <stdio.h>

int pact__alive_judged(const struct pact_channel *c)
{
    /* pact's own estimates always count; a device's estimate (a PSU's
     * input from its curve) is judged like its measurements. */
    if (c->fallback_for)
        return 0;
    if (c->quantity != PACT_Q_POWER_W && c->quantity != PACT_Q_ENERGY_J)
        return 0;
    switch (c->role) {
    case PACT_ROLE_WALL_POWER:
    case PACT_ROLE_PSU_TOTAL:
    case PACT_ROLE_CPU_POWER:
    case PACT_ROLE_GPU_POWER:
    case PACT_ROLE_OTHER_POWER:
    case PACT_ROLE_PLATFORM_POWER:
        return 1;
    default:
        return 0;
    }
}

void pact__alive_note(struct pact__alive *a, int ok, double moved_by)
{
    if (!ok)
        return;
    a->readings++;
    if (isfinite(moved_by) && moved_by != 0)
        a->moved = 1;
}

int pact__alive_dead(const struct pact__alive *a,
                     const struct pact_channel *c, double elapsed_s,
                     char *why, size_t len)
{
    if (!pact__alive_judged(c) || a->moved)
        return 0;
    /* A counter refreshed every update_period_s needs two of them. */
    double need = PACT__LIVENESS_MIN_S;
    if (2 * c->update_period_s > need)
        need = 2 * c->update_period_s;
    if (elapsed_s < need)
        return 0;
    if (!a->readings)
        snprintf(why, len, "no reading in the first %.1f s", elapsed_s);
    else if (c->quantity == PACT_Q_ENERGY_J)
        snprintf(why, len, "energy counter did not advance in %.1f s "
                 "(%d readings)", elapsed_s, a->readings);
    else
        snprintf(why, len, "power read exactly 0 W for %.1f s "
                 "(%d readings)", elapsed_s, a->readings);
    return 1;
}
