/* SPDX-License-Identifier: MIT */
/*
 * gap.h - a window in which the run's basis has no reading.  Its power is
 * estimated, never switched to another basis: the still-present
 * components (CPU + GPU + other) times the basis/components ratio of the
 * last window that had both; failing that (components missing too) the
 * last basis value held; failing that, unknown.  The window is flagged
 * (basis_gap) and its uncertainty widened: GAP_U_RATIO for a ratio
 * estimate, GAP_U_HOLD for a held value (docs/energy.md).
 */
#ifndef PACT_CORE_GAP_H
#define PACT_CORE_GAP_H

#define PACT__GAP_U_RATIO 0.20 /* relative standard uncertainty */
#define PACT__GAP_U_HOLD 0.50

struct pact__gap {
    double ratio;  /* basis / components, last window with both */
    int have_ratio;
    double last_w; /* last basis reading */
    int have_last;
};

/* basis_w: the basis reading (NaN = none); comps_w: the components' sum
 * when all of them read (NaN otherwise).  Returns the window's basis
 * power, measured or estimated (NaN = unknown); *gap = 1 when estimated,
 * with its relative standard uncertainty in *u_rel (0 otherwise). */
double pact__gap_fill(struct pact__gap *g, double basis_w, double comps_w,
                      int *gap, double *u_rel);

#endif
