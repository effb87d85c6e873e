/* SPDX-License-Identifier: MIT */
/*
 * nvml_select.h - which GPUs the NVML driver reports: the --gpus list
 * (cfg->gpus) or CUDA_VISIBLE_DEVICES, turned into NVML indices.  Pure
 * parsing over a table of UUIDs, so it is tested without a library.
 */
#ifndef PACT_SENSORS_NVML_SELECT_H
#define PACT_SENSORS_NVML_SELECT_H

#include <stddef.h>

#define PACT_NVML_UUID_LEN 96

/* One physical GPU or one MIG instance, as NVML enumerates them. */
struct pact__nvml_id {
    char uuid[PACT_NVML_UUID_LEN]; /* "GPU-..." or "MIG-..." */
    int gpu;                       /* NVML index of the physical GPU */
    int mig;                       /* 1: a MIG instance of gpu */
};

/*
 * Turn spec into NVML indices of physical GPUs, ascending and without
 * duplicates, in sel[0..] (capacity max >= ngpu).  Entries are indices
 * (nvidia-smi numbering) or UUIDs or unique UUID prefixes; a MIG UUID
 * selects its parent GPU.  spec NULL selects every GPU.
 *   strict = 1 (--gpus): also "all" and "none"; a bad entry returns
 *            PACT_EBADCONFIG with a one-line reason in why.
 *   strict = 0 (CUDA_VISIBLE_DEVICES): as CUDA does, parsing stops at
 *            the first entry that names no GPU; "" selects none.
 * Returns the count (>= 0).  On success why holds notices to log (empty
 * when none): the entry that stopped parsing, MIG instances mapped.
 */
int pact__nvml_select(const char *spec, int strict, int ngpu,
                      const struct pact__nvml_id *ids, int nids, int *sel,
                      int max, char *why, size_t len);

#endif
