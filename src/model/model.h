/* SPDX-License-Identifier: MIT */
/*
 * model.h - a fitted power model: what it predicts (the target column),
 * from which columns (features, some normalised per perf period), how
 * the training data were pre-processed, and the coefficients of the
 * global least-squares fit and, for a piecewise model, of each cluster.
 * model_file.h saves and loads it; fit.h makes one; live.h applies it.
 */
#ifndef PACT_MODEL_MODEL_H
#define PACT_MODEL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "model/piecewise.h"
#include "model/preprocess.h"

#define PACT__MODEL_MAX_FEATURES 64

/* Column names the pipeline knows (the original's CSV header). */
#define PACT__COL_PSU "Total_PSU_Power(W)"
#define PACT__COL_GPU "Nvidia_SMI_Power(W)"
#define PACT__COL_CPU "Intel_RAPL_Power(W)"
#define PACT__COL_DUR "duration(s)"
#define PACT__COL_OTHER "Power_Other(W)"
#define PACT__COL_UTIL_SM "GPU_Util_SM(%)"
#define PACT__COL_UTIL_MEM "GPU_Util_Memory(%)"
#define PACT__COL_PRED_TOTAL "Predicted_Total_Power(W)"
/* The original's six features, comma-separated. */
#define PACT__DEFAULT_FEATURES \
    "GPU_Util_SM(%),GPU_Util_Memory(%),migrations,faults,cache-misses,cycles"

enum pact__model_type {
    PACT__MODEL_OLS = 1,
    PACT__MODEL_PIECEWISE = 2,
};

/* How a prediction of the target becomes a total power. */
enum pact__total_mode {
    PACT__TOTAL_NONE = 0,  /* target is not a power total (e.g. RAPL) */
    PACT__TOTAL_ADD = 1,   /* Power_Other: total = pred + GPU + RAPL */
    PACT__TOTAL_SELF = 2,  /* Total_PSU_Power: total = pred */
};

struct pact__model {
    int type;                 /* enum pact__model_type */
    char *target;             /* e.g. "Power_Other(W)" */
    size_t nf;                /* features */
    char **feature;           /* nf column names */
    int *per_period;          /* nf flags: 1 = counter / perf period */
    struct pact__pp_opts pp;  /* pre-processing used for the fit */
    /* Basis of the training data, checked where the model is applied
     * (pact__model_check_basis): */
    int counter_mode;         /* PACT__CTR_* of the training CSVs */
    char *subtracted;         /* comma list of the power columns that had
                                 values and were subtracted into
                                 Power_Other ("" = none); NULL unknown */
    uint64_t seed;            /* k-means seed used */
    size_t ntrain;            /* training rows used */
    double *ols;              /* nf + 1: intercept, slopes */
    struct pact__piecewise pw;/* PACT__MODEL_PIECEWISE only */
};

/* A zeroed model with room for nf features (names NULL).  Free with
 * pact__model_free.  NULL when out of memory. */
struct pact__model *pact__model_new(size_t nf);

/* Release m and all it holds.  NULL is fine. */
void pact__model_free(struct pact__model *m);

/* Prediction of the target for nf feature values (already normalised
 * where per_period says so); NaN when any value is NaN. */
double pact__model_predict(const struct pact__model *m, const double *x);

/* Feature j's model input from its raw column value: raw, or for a
 * normalised counter raw / (duration_s / perf_period_s) (NaN without a
 * positive duration). */
double pact__model_feature(const struct pact__model *m, size_t j,
                           double raw, double duration_s,
                           double perf_period_s);

/* enum pact__total_mode for m's target. */
int pact__model_total_mode(const struct pact__model *m);

/*
 * Total power from a target prediction and the row's GPU and RAPL power:
 * see enum pact__total_mode.  A GPU or RAPL value that is NaN counts as
 * 0 W (no such source on that machine).  NaN for PACT__TOTAL_NONE.
 */
double pact__model_total(const struct pact__model *m, double pred,
                         double gpu_w, double cpu_w);

/* Counter modes of a CSV (its counter_mode column): window counts, or
 * the running-total sums of pact's "pact" mode and of the original tool
 * (whose files have no such column). */
enum {
    PACT__CTR_UNKNOWN = -1,
    PACT__CTR_WINDOW = 0,
    PACT__CTR_SUMS = 1,
};

/* "window", "pact" (running-total sums) or "unknown". */
const char *pact__ctr_name(int mode);

/*
 * Check that data with counter mode `mode`, perf period perf_period_s
 * (<= 0: not known) and the power columns in `present` (comma list of
 * PACT__COL_GPU / PACT__COL_CPU that have values; NULL: not known) match
 * what m was fitted on.  A mismatch returns PACT_EBADCONFIG with one line
 * in why saying what differs; a model file without the record (older
 * pact) is not checked.
 */
int pact__model_check_basis(const struct pact__model *m, int mode,
                            double perf_period_s, const char *present,
                            char *why, size_t len);

/* 1 if a column called name holds a perf counter (to normalise per perf
 * period): a name with no "(unit)" and no unit suffix such as "_w",
 * "_j", "_g", "_pct" or "_s" (pact's extended columns), and not one of
 * index, start_time, region, time, timestamp, unix_time. */
int pact__column_is_counter(const char *name);

#endif
