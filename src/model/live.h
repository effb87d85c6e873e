/* SPDX-License-Identifier: MIT */
/*
 * live.h - apply a fitted model to the tracker's rows as they close, so a
 * machine without a PSU meter gets the original's whole-system estimate.
 * The tracker opens the model once, calls predict per row (cheap: a few
 * name look-ups and a dot product) and closes it at the end.
 */
#ifndef PACT_MODEL_LIVE_H
#define PACT_MODEL_LIVE_H

#include <stddef.h>

#include "core/row.h"

struct pact__live_model;

/*
 * Load the model file at path for live use.  On success returns 0 and
 * *out owns the model (pact__live_model_close).  On failure returns < 0
 * (-errno, PACT_EFORMAT, PACT_EBADCONFIG for a model whose target is not
 * a power total) with one line in why.
 */
int pact__live_model_open(const char *path, struct pact__live_model **out,
                          char *why, size_t len);

/*
 * Predicted total power (W) for one closed row.  Features come from the
 * row by column name: GPU_Util_SM(%) = gpu_util_sm, GPU_Util_Memory(%) =
 * gpu_util_mem, Intel_RAPL_Power(W), Nvidia_SMI_Power(W),
 * Total_PSU_Power(W) and duration(s) from their fields, any other name
 * from the row's counters (ctr_name) and then its channels (ch[].name).
 * Counters the model normalises are divided by duration_s / perf_period_s
 * (the row's perf period; the model's when the row has none).
 *
 * For a Power_Other(W) model the result is predicted Power_Other + GPU
 * power + RAPL power, where a NaN GPU or RAPL value counts as 0 W (no
 * such source on this machine); an estimated CPU power (cpu_estimated)
 * is not RAPL and counts as 0 too, as the CSV leaves its RAPL cell empty
 * and the training target then held CPU power.  For a Total_PSU_Power(W)
 * model it is
 * the prediction itself.  NaN when a feature the model needs is missing
 * (NaN) in the row.  Thread-safe: m is only read.
 */
/* Refuse (PACT_EBADCONFIG, one line in why) a model fitted on another
 * counter mode (pact_config.counter_mode) or, for running-total sums,
 * another perf period than this run's, or (present: the comma list of
 * the original's GPU and RAPL power columns this run measures; NULL: not
 * checked) with other power sources subtracted into Power_Other. */
int pact__live_model_check(const struct pact__live_model *lm,
                           int counter_mode, double perf_period_s,
                           const char *present, char *why, size_t len);

double pact__live_model_predict(const struct pact__live_model *m,
                                const struct pact__row *row);

/* Release m.  NULL is fine. */
void pact__live_model_close(struct pact__live_model *m);

#endif
