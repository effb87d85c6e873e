/* SPDX-License-Identifier: MIT */
/*
 * corsair_models.h - the Corsair HXi/RMi product ids PACT knows, their
 * names and ratings, and liquidctl's per-model efficiency curves used to
 * estimate AC input (wall) power from the DC output the PSU reports.
 * The PSUs themselves report no input power (protocol notes, sec. 10).
 */
#ifndef PACT_HID_CORSAIR_MODELS_H
#define PACT_HID_CORSAIR_MODELS_H

#include <stdint.h>

#define PACT_CORSAIR_VID 0x1B1C

struct pact__corsair_model {
    uint16_t pid;
    const char *name;    /* marketing name, e.g. "HX1500i" */
    const char *emu;     /* emulator --model name, e.g. "hx1500i" */
    int rated_w;
    int new_gen;         /* answers "CORSAIR <name> PSU" to 0x99/0x9A and
                            leaves stale reply bytes (HX1500i quirk) */
    int has_curve;
    double c115[3];      /* a, b, c of Pin = a P^2 + b P + c at 115 V */
    double c230[3];      /* the same at 230 V */
};

/* The table, terminated by pid 0. */
extern const struct pact__corsair_model pact__corsair_models[];

/* Product ids, for discovery; *n gets the count. */
const uint16_t *pact__corsair_pids(int *n);

const struct pact__corsair_model *pact__corsair_model_by_pid(uint16_t pid);
const struct pact__corsair_model *pact__corsair_model_by_emu(const char *s);

/*
 * Model from a MFR_MODEL/MFR_ID reply string: "RM1000i" (older units) or
 * "CORSAIR HX1500i PSU" (newer ones).  Names shared by several product
 * ids (HX1000i, HX1200i) resolve to the newer unit when the string has
 * the newer "CORSAIR ... PSU" form, else to the original.  NULL if no
 * known name occurs.
 */
const struct pact__corsair_model *pact__corsair_model_by_string(
    const char *s);

/*
 * Estimated AC input power for DC output pout_w at input voltage vin_v:
 * liquidctl's two quadratics (115 V and 230 V fits) interpolated
 * linearly in vin_v, Pin = f115 + (f230 - f115) (Vin - 115) / 115, not
 * rounded.  Returns 0, -ENOENT (no curve for this model) or -EINVAL
 * (vin_v outside 80..300 V, or a negative / non-finite input).
 */
int pact__corsair_input_estimate(const struct pact__corsair_model *m,
                                 double pout_w, double vin_v,
                                 double *pin_w);

/* One fitted quadratic, f(P) = c[0] P^2 + c[1] P + c[2]. */
double pact__corsair_curve(const double c[3], double p_w);

#endif
