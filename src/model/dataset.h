/* SPDX-License-Identifier: MIT */
/*
 * dataset.h - from CSV files to pre-processed workloads: files are
 * grouped into workloads and trials (NAME_TRIAL_PACT.csv, as the
 * original named them, or given explicitly), the needed columns are
 * pulled out by name, the target is derived when absent, and the steps
 * of preprocess.h run per trial and then across the trials.
 */
#ifndef PACT_MODEL_DATASET_H
#define PACT_MODEL_DATASET_H

#include <stddef.h>

#include "model/preprocess.h"

/* Columns after the nf features in every block of a dataset. */
enum {
    PACT__DS_TARGET = 0, /* the target (e.g. Power_Other(W)) */
    PACT__DS_PSU = 1,    /* Total_PSU_Power(W), NaN if absent */
    PACT__DS_GPU = 2,    /* Nvidia_SMI_Power(W), 0 if absent/empty */
    PACT__DS_CPU = 3,    /* Intel_RAPL_Power(W), 0 if absent/empty */
    PACT__DS_DUR = 4,    /* duration(s), NaN if absent */
    PACT__DS_EXTRA = 5,
};

/* One input file; workload and trial NULL = from the file name. */
struct pact__input {
    const char *path;
    const char *workload;
    const char *trial;
};

struct pact__workload {
    char *name;
    size_t ntrials;
    size_t n;       /* time steps after pre-processing */
    size_t ntrain;  /* the first ntrain steps are the training part */
    double *v;      /* n * ncol, row-major */
};

struct pact__dataset {
    int counter_mode;  /* PACT__CTR_* shared by every file */
    int power_mask;    /* 1: GPU power had values, 2: RAPL (subtracted
                          into Power_Other) in some file */
    size_t nf;
    size_t ncol;    /* nf + PACT__DS_EXTRA */
    size_t nw;
    struct pact__workload *w;
};

/*
 * Split a file name NAME_TRIAL_PACT.csv (any directory) into workload
 * NAME and trial TRIAL and return 1.  Any other name gives workload =
 * the base name without ".csv", trial "" and returns 0.  -ENAMETOOLONG
 * when a buffer is too small.
 */
int pact__input_name(const char *path, char *workload, size_t wlen,
                     char *trial, size_t tlen);

/*
 * Load nin files into workloads (in order of first appearance) and
 * pre-process them with o.  feature names nf columns; per_period flags
 * which to normalise (NULL: pact__column_is_counter decides).  target
 * is a column name; "Power_Other(W)" is computed as PSU - (GPU + RAPL)
 * when the file lacks it (a GPU or RAPL column that is absent or empty
 * throughout a file counts as 0 W; a missing PSU column is an error).
 * A file whose rows do not survive the pre-processing is an error that
 * says which option to change.  Returns 0 and *out, or < 0 with why.
 */
int pact__dataset_load(const struct pact__input *in, size_t nin,
                       const char *const *feature, size_t nf,
                       const int *per_period, const char *target,
                       const struct pact__pp_opts *o,
                       struct pact__dataset **out, char *why, size_t len);

/* Number of training rows (the first ntrain of each workload) in which
 * feature j has a value. */
size_t pact__dataset_train_values(const struct pact__dataset *d, size_t j);

/* Note the counter mode of the CSV at path in d (pact__csv_counter_mode);
 * a file of another mode than the ones before is an error. */
int pact__dataset_mode(struct pact__dataset *d, const char *path,
                       char *why, size_t len);

/* Release d and everything in it.  NULL is fine. */
void pact__dataset_free(struct pact__dataset *d);

#endif
