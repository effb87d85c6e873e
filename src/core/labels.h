/* SPDX-License-Identifier: MIT */
/*
 * labels.h - who this tracker is in a fleet: job_id, step, node, rank and
 * local_rank from the launcher's environment (Slurm, torchrun, Open MPI,
 * PMI) plus the user's --label key=value pairs (which win), the local-rank
 * election, and the GPU scope from SLURM_JOB_GPUS.
 */
#ifndef PACT_CORE_LABELS_H
#define PACT_CORE_LABELS_H

#include <stddef.h>

#define PACT__LABEL_MAX 24
#define PACT__LABEL_KEY 48
#define PACT__LABEL_VAL 128

struct pact__label {
    char key[PACT__LABEL_KEY];
    char value[PACT__LABEL_VAL];
    int user; /* 1: from --label */
};

struct pact__labels {
    struct pact__label l[PACT__LABEL_MAX];
    int n;
    int local_rank; /* -1 when no launcher says */
    char host[PACT__LABEL_VAL];
};

/* Check one "key=value": key [a-zA-Z_][a-zA-Z0-9_]*, not "__"-prefixed,
 * value non-empty.  Returns 0 or PACT_EBADCONFIG with a one-line why. */
int pact__label_parse(const char *kv, char *key, size_t klen, char *val,
                      size_t vlen, char *why, size_t len);

/* Fill lb from the environment, then from user ("k=v" entries separated
 * by newlines; NULL = none), which wins; a local_rank label sets
 * lb->local_rank.  Returns 0 or PACT_EBADCONFIG with why. */
int pact__labels_init(struct pact__labels *lb, const char *user, char *why,
                      size_t len);

/* Value of key, or NULL. */
const char *pact__labels_get(const struct pact__labels *lb, const char *key);

/* The local rank the environment gives (LOCAL_RANK, SLURM_LOCALID,
 * OMPI_COMM_WORLD_LOCAL_RANK, MPI_LOCALRANKID), or -1. */
int pact__local_rank_env(void);

/* SLURM_JOB_GPUS when CUDA_VISIBLE_DEVICES is unset (NVML reads that one
 * itself), else NULL. */
const char *pact__gpu_scope_env(void);

/* The CSV's fleet columns: head gets ",host[,job_id][,rank]" then one
 * ",key" per other --label; cells the matching ",value"s.  host is the
 * node label (the host name unless --label node= or SLURMD_NODENAME). */
void pact__labels_csv(const struct pact__labels *lb, char *head, size_t hlen,
                      char *cells, size_t clen);

#endif
