/* SPDX-License-Identifier: MIT */
/*
 * basis.h - containment and the one basis of a run's total.  After the
 * liveness probation the basis is chosen once, by priority: measured wall
 * power; the PSU's own input estimate; PSU DC output / efficiency; RAPL
 * psys; the sum of components (CPU + GPU + other: a lower bound).  Layers
 * contain each other (sensor.h), so two are never added; of two wall
 * sources the measured one wins.  An estimate marked fallback_for a role
 * counts only while no live measured channel has that role.  Per window
 * this fills the row's aggregate columns and the basis power, with gaps
 * estimated by gap.h.
 */
#ifndef PACT_CORE_BASIS_H
#define PACT_CORE_BASIS_H

#include <stddef.h>

#include "core/gap.h"
#include "core/row.h"

enum pact__basis_kind {
    PACT__BASIS_NONE = 0,
    PACT__BASIS_WALL,
    PACT__BASIS_PSU_DC,
    PACT__BASIS_PSYS,
    PACT__BASIS_COMPONENTS,
};

struct pact__basis {
    int kind;           /* enum pact__basis_kind */
    int wall_estimated; /* the wall basis is the PSU's own estimate */
    char why[256];      /* which channels, and what was left out */
    int nch;
    unsigned char *use;      /* channel counts in the aggregates */
    unsigned char *in_basis; /* channel is part of the basis layer */
    unsigned char *blank;    /* cell emptied (dropped, unused fallback) */
    struct pact__gap gap;
};

/* Choose from the channels not dropped (dropped[i] = 1).  Returns 0 or
 * -ENOMEM. */
int pact__basis_choose(struct pact__basis *b, const struct pact_channel *ch,
                       int nch, const unsigned char *dropped);
/* The row's aggregates (psu_total_w ... other_power_w), its basis power
 * (row->basis_power_w, W on the basis layer: DC for psu_dc) and gap flag;
 * blanks cells of dropped and unused channels in values. */
void pact__basis_row(struct pact__basis *b, struct pact__row *r,
                     double *values);
/* "wall", "psu_dc", "psys", "components" or "none". */
const char *pact__basis_name(int kind);
/* The name the run reports: a wall that only the PSU estimates (its DC
 * output over the unit's own efficiency curve) is the psu_dc basis. */
const char *pact__basis_label(const struct pact__basis *b);
void pact__basis_free(struct pact__basis *b);

#endif
