/* SPDX-License-Identifier: MIT */
/*
 * nvml_select.c - parse a GPU list ("0,2", "GPU-8f3c…", "MIG-…") into
 * NVML indices.  CUDA_VISIBLE_DEVICES rules follow CUDA: a unique UUID
 * prefix is enough, and the list ends at the first entry that names no
 * GPU.  Integers are NVML (PCI bus order) indices; CUDA numbers GPUs the
 * same way only with CUDA_DEVICE_ORDER=PCI_BUS_ID (the driver warns).
 */
#include "sensors/nvml_select.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pact/pact.h"

/* Append a notice to why, "; "-separated. */
static void note(char *why, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(char *why, size_t len, const char *fmt, ...)
{
    size_t used = strlen(why);
    if (used + 3 >= len)
        return;
    if (used) {
        snprintf(why + used, len - used, "; ");
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why + used, len - used, fmt, ap);
    va_end(ap);
}

/* Index of the only id whose UUID starts with tok, -1 none, -2 several. */
static int match_uuid(const char *tok, const struct pact__nvml_id *ids,
                      int nids)
{
    int found = -1;
    size_t n = strlen(tok);
    for (int i = 0; i < nids; i++) {
        if (strncasecmp(ids[i].uuid, tok, n) != 0)
            continue;
        if (strlen(ids[i].uuid) == n)
            return i; /* an exact match wins over longer ones */
        found = found == -1 ? i : -2;
    }
    return found;
}

/* NVML index of token tok, or -1 with the reason in *what. */
static int resolve(const char *tok, int ngpu,
                   const struct pact__nvml_id *ids, int nids,
                   const char **what, int *mig_id)
{
    char *end;
    *mig_id = -1;
    if (*tok == '\0') {
        *what = "an empty entry";
        return -1;
    }
    errno = 0;
    long v = strtol(tok, &end, 10);
    if (*end == '\0') {
        if (errno || v < 0 || v >= ngpu) {
            *what = "no such GPU index";
            return -1;
        }
        return (int)v;
    }
    int k = match_uuid(tok, ids, nids);
    if (k == -2) {
        *what = "a UUID prefix matching several GPUs";
        return -1;
    }
    if (k < 0) {
        *what = "neither an index nor a GPU/MIG UUID";
        return -1;
    }
    if (ids[k].mig)
        *mig_id = k;
    return ids[k].gpu;
}

static int add_sorted(int *sel, int n, int max, int g)
{
    int i = 0;
    while (i < n && sel[i] < g)
        i++;
    if (i < n && sel[i] == g)
        return n;
    if (n >= max)
        return n;
    memmove(sel + i + 1, sel + i, (size_t)(n - i) * sizeof *sel);
    sel[i] = g;
    return n + 1;
}

int pact__nvml_select(const char *spec, int strict, int ngpu,
                      const struct pact__nvml_id *ids, int nids, int *sel,
                      int max, char *why, size_t len)
{
    if (len)
        why[0] = '\0';
    if (ngpu < 0 || max < ngpu)
        return -EINVAL;
    int all = spec == NULL ||
              (strict && (*spec == '\0' || strcasecmp(spec, "all") == 0));
    if (all) {
        for (int i = 0; i < ngpu; i++)
            sel[i] = i;
        return ngpu;
    }
    if (strict && strcasecmp(spec, "none") == 0)
        return 0;

    char buf[1024];
    if (strlen(spec) >= sizeof buf) {
        snprintf(why, len, "GPU list too long (%zu characters)",
                 strlen(spec));
        return strict ? PACT_EBADCONFIG : 0;
    }
    memcpy(buf, spec, strlen(spec) + 1);

    int n = 0;
    char *p = buf;
    if (!strict && *spec == '\0')
        return 0;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        const char *what = NULL;
        int mig_id;
        int g = resolve(p, ngpu, ids, nids, &what, &mig_id);
        if (g < 0) {
            if (strict) {
                snprintf(why, len,
                         "--gpus: '%s' is %s (this machine has %d GPU%s"
                         "%s); give indices or UUIDs as nvidia-smi -L "
                         "lists them, or 'all'",
                         p, what, ngpu, ngpu == 1 ? "" : "s",
                         ngpu > 0 ? ", index 0 up" : "");
                return PACT_EBADCONFIG;
            }
            note(why, len,
                 "CUDA_VISIBLE_DEVICES: '%s' names no GPU; as CUDA does, "
                 "it and the entries after it are ignored", p);
            break;
        }
        if (mig_id >= 0)
            note(why, len,
                 "MIG instance %s is reported at its parent gpu%d (power "
                 "and energy exist only for the whole GPU)",
                 ids[mig_id].uuid, g);
        n = add_sorted(sel, n, max, g);
        if (!comma)
            break;
        p = comma + 1;
    }
    return n;
}
