/* SPDX-License-Identifier: MIT */
/*
 * metrics.h - pact's accuracy figures (r², MAPE, weighted MAPE) and the
 * energy and carbon of a power series; where they differ from the
 * original's, see metrics.c and docs/model.md.  Pairs with
 * a NaN on either side are left out; with no pair left the result is NaN
 * (callers print "n/a").
 */
#ifndef PACT_MODEL_METRICS_H
#define PACT_MODEL_METRICS_H

#include <stddef.h>

/* 1 - SSres/SStot.  SStot = 0 (constant actual): 1 if the prediction is
 * exact, else 0 (scikit-learn's convention). */
double pact__r2(const double *actual, const double *pred, size_t n);

/* Mean of |a - p| / |a| as a fraction (0.05 = 5 %); pairs with a = 0 are
 * left out (the ratio is undefined there). */
double pact__mape(const double *actual, const double *pred, size_t n);

/* Weighted MAPE: sum |a - p| / sum |a|, a fraction; NaN if sum |a| = 0. */
double pact__wmape(const double *actual, const double *pred, size_t n);

/* Energy in kWh drawn from the wall: sum duration_s * power_w / eff,
 * over rows where both are numbers. */
double pact__energy_kwh(const double *power_w, const double *duration_s,
                        size_t n, double psu_efficiency);

#endif
