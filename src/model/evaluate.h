/* SPDX-License-Identifier: MIT */
/*
 * evaluate.h - pact's evaluation of a model on the test part of
 * each workload: r², MAPE and weighted MAPE for the target and for total
 * power, and wall energy and carbon, actual against predicted.
 */
#ifndef PACT_MODEL_EVALUATE_H
#define PACT_MODEL_EVALUATE_H

#include <stddef.h>

#include "model/dataset.h"
#include "model/model.h"

struct pact__eval {
    const char *name;   /* workload (borrowed from the dataset), "ALL" */
    size_t n;           /* test rows with a prediction and a PSU value */
    double r2_target, mape_target, wmape_target;    /* fractions */
    double r2_total, mape_total, wmape_total;       /* NaN: no total */
    double energy_kwh, energy_pred_kwh;             /* at the wall */
    double co2_g, co2_pred_g;
};

/*
 * Fill res[0 .. d->nw - 1] per workload and res[d->nw] for all test rows
 * together.  Energy = sum duration * power / psu_efficiency (actual power
 * = Total_PSU_Power(W), predicted = the model's total), carbon = energy *
 * intensity_g_per_kwh.  Figures without rows are NaN.  Returns the
 * number of test rows evaluated (0 is not an error), or -ENOMEM.
 */
long pact__model_evaluate(const struct pact__model *m,
                          const struct pact__dataset *d,
                          double psu_efficiency, double intensity_g_per_kwh,
                          struct pact__eval *res);

#endif
