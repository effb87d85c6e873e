/* SPDX-License-Identifier: MIT */
/*
 * labels.c - fleet labels from the launcher's environment and --label
 * (see labels.h).  The first variable set wins in each list, torchrun's
 * before MPI's before Slurm's: under `srun torchrun`, SLURM_PROCID is the
 * node's index, RANK the process's.
 */
#include "core/labels.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pact/pact.h"

static const char *first_env(const char *const *names)
{
    for (; *names; names++) {
        const char *v = getenv(*names);
        if (v && *v)
            return v;
    }
    return NULL;
}

static const char *const RANK_VARS[] = {"RANK", "OMPI_COMM_WORLD_RANK",
                                        "PMI_RANK", "PMIX_RANK",
                                        "SLURM_PROCID", NULL};
static const char *const LOCAL_VARS[] = {"LOCAL_RANK",
                                         "OMPI_COMM_WORLD_LOCAL_RANK",
                                         "MPI_LOCALRANKID", "SLURM_LOCALID",
                                         NULL};
static const char *const JOB_VARS[] = {"SLURM_JOB_ID", "SLURM_JOBID", NULL};
static const char *const STEP_VARS[] = {"SLURM_STEP_ID", "SLURM_STEPID",
                                        NULL};
static const char *const NODE_VARS[] = {"SLURMD_NODENAME", NULL};

int pact__local_rank_env(void)
{
    const char *v = first_env(LOCAL_VARS);
    if (!v)
        return -1;
    char *end;
    long r = strtol(v, &end, 10);
    return (*end || r < 0 || r > 1000000) ? -1 : (int)r;
}

const char *pact__gpu_scope_env(void)
{
    if (getenv("CUDA_VISIBLE_DEVICES"))
        return NULL;
    const char *v = getenv("SLURM_JOB_GPUS");
    return v && *v ? v : NULL;
}

int pact__label_parse(const char *kv, char *key, size_t klen, char *val,
                      size_t vlen, char *why, size_t len)
{
    const char *eq = strchr(kv, '=');
    if (!eq) {
        snprintf(why, len, "--label '%s': expected key=value, e.g. "
                 "--label node=n01", kv);
        return PACT_EBADCONFIG;
    }
    size_t kn = (size_t)(eq - kv);
    int ok = kn > 0 && kn < klen &&
             (isalpha((unsigned char)kv[0]) || kv[0] == '_');
    for (size_t i = 0; ok && i < kn; i++)
        ok = isalnum((unsigned char)kv[i]) || kv[i] == '_';
    if (!ok || (kn >= 2 && kv[0] == '_' && kv[1] == '_')) {
        snprintf(why, len, "--label '%s': the key must be letters, digits "
                 "and '_', not start with a digit or '__' (Prometheus' "
                 "label rule), at most %zu characters", kv, klen - 1);
        return PACT_EBADCONFIG;
    }
    if (!eq[1] || strlen(eq + 1) >= vlen || strpbrk(eq + 1, "\n\r,\"")) {
        snprintf(why, len, "--label '%s': the value must be 1 to %zu "
                 "characters without a comma, quote or newline", kv,
                 vlen - 1);
        return PACT_EBADCONFIG;
    }
    memcpy(key, kv, kn);
    key[kn] = '\0';
    snprintf(val, vlen, "%s", eq + 1);
    return 0;
}

static int set(struct pact__labels *lb, const char *key, const char *value,
               int user, char *why, size_t len)
{
    for (int i = 0; i < lb->n; i++)
        if (!strcmp(lb->l[i].key, key)) {
            snprintf(lb->l[i].value, sizeof lb->l[i].value, "%s", value);
            lb->l[i].user = user;
            return 0;
        }
    if (lb->n == PACT__LABEL_MAX) {
        snprintf(why, len, "too many labels (at most %d); drop some --label",
                 PACT__LABEL_MAX);
        return PACT_EBADCONFIG;
    }
    struct pact__label *l = &lb->l[lb->n++];
    snprintf(l->key, sizeof l->key, "%s", key);
    snprintf(l->value, sizeof l->value, "%s", value);
    l->user = user;
    return 0;
}

int pact__labels_init(struct pact__labels *lb, const char *user, char *why,
                      size_t len)
{
    memset(lb, 0, sizeof *lb);
    lb->local_rank = pact__local_rank_env();
    if (gethostname(lb->host, sizeof lb->host) != 0)
        snprintf(lb->host, sizeof lb->host, "localhost");
    lb->host[sizeof lb->host - 1] = '\0';
    const char *node = first_env(NODE_VARS);
    struct {
        const char *key, *value;
    } env[] = {
        {"job_id", first_env(JOB_VARS)},
        {"step", first_env(STEP_VARS)},
        {"node", node ? node : lb->host},
        {"rank", first_env(RANK_VARS)},
        {"local_rank", first_env(LOCAL_VARS)},
    };
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        if (!env[i].value)
            continue;
        char v[PACT__LABEL_VAL];
        snprintf(v, sizeof v, "%s", env[i].value);
        v[strcspn(v, "\n\r,\"")] = '\0'; /* keep CSV cells plain */
        if (v[0] && set(lb, env[i].key, v, 0, why, len) < 0)
            return PACT_EBADCONFIG;
    }
    const char *p = user;
    while (p && *p) {
        size_t n = strcspn(p, "\n");
        char kv[PACT__LABEL_KEY + PACT__LABEL_VAL + 2];
        if (n >= sizeof kv) {
            snprintf(why, len, "--label '%.40s...': too long", p);
            return PACT_EBADCONFIG;
        }
        memcpy(kv, p, n);
        kv[n] = '\0';
        char k[PACT__LABEL_KEY], v[PACT__LABEL_VAL];
        int rc = pact__label_parse(kv, k, sizeof k, v, sizeof v, why, len);
        if (rc < 0)
            return rc;
        if (set(lb, k, v, 1, why, len) < 0)
            return PACT_EBADCONFIG;
        p += n;
        if (*p == '\n')
            p++;
    }
    /* --label local_rank=N counts as the launcher's word. */
    const char *lr = pact__labels_get(lb, "local_rank");
    if (lr) {
        char *end;
        long v = strtol(lr, &end, 10);
        lb->local_rank = (*end || v < 0 || v > 1000000) ? -1 : (int)v;
    }
    return 0;
}

const char *pact__labels_get(const struct pact__labels *lb, const char *key)
{
    for (int i = 0; i < lb->n; i++)
        if (!strcmp(lb->l[i].key, key))
            return lb->l[i].value;
    return NULL;
}

static void cat(char *buf, size_t len, const char *a, const char *b)
{
    size_t n = strlen(buf);
    if (n < len)
        snprintf(buf + n, len - n, ",%s%s", a, b);
}

void pact__labels_csv(const struct pact__labels *lb, char *head, size_t hlen,
                      char *cells, size_t clen)
{
    head[0] = cells[0] = '\0';
    const char *node = pact__labels_get(lb, "node");
    cat(head, hlen, "host", "");
    cat(cells, clen, node ? node : lb->host, "");
    static const char *const known[] = {"job_id", "rank"};
    for (int k = 0; k < 2; k++) {
        const char *v = pact__labels_get(lb, known[k]);
        if (v) {
            cat(head, hlen, known[k], "");
            cat(cells, clen, v, "");
        }
    }
    for (int i = 0; i < lb->n; i++) {
        const struct pact__label *l = &lb->l[i];
        if (!l->user || !strcmp(l->key, "node") ||
            !strcmp(l->key, "job_id") || !strcmp(l->key, "rank") ||
            !strcmp(l->key, "host"))
            continue;
        cat(head, hlen, l->key, "");
        cat(cells, clen, l->value, "");
    }
}
