/* SPDX-License-Identifier: MIT */
/*
 * gap.c - estimates the basis power of a window without a basis reading
 * (gap.h).
 */
#include "core/gap.h"

#include <math.h>

double pact__gap_fill(struct pact__gap *g, double basis_w, double comps_w,
                      int *gap, double *u_rel)
{
    *gap = 0;
    *u_rel = 0;
    if (!isnan(basis_w)) {
        g->last_w = basis_w;
        g->have_last = 1;
        if (!isnan(comps_w) && comps_w > 0) {
            g->ratio = basis_w / comps_w;
            g->have_ratio = 1;
        }
        return basis_w;
    }
    *gap = 1;
    if (g->have_ratio && !isnan(comps_w)) {
        *u_rel = PACT__GAP_U_RATIO;
        return comps_w * g->ratio;
    }
    if (g->have_last) {
        *u_rel = PACT__GAP_U_HOLD;
        return g->last_w;
    }
    return NAN;
}
