/* SPDX-License-Identifier: MIT */
/*
 * rapl_zone.c - naming, ordering and de-duplication of
 * RAPL zones, whatever door found them (see rapl_door.h).  The core
 * unwraps the raw counters and turns deltas into power.
 */
#include "sensors/rapl_door.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const kind_word[] = {"package", "core", "uncore", "dram",
                                        "psys"};

const char *pact__rapl_kind_label(int kind)
{
    return kind >= 0 && kind <= PACT__RAPL_PSYS ? kind_word[kind] : "zone";
}

void pact__rapl_zone_init(struct pact__rapl_zone *z, int kind, int pkg, int die)
{
    memset(z, 0, sizeof *z);
    z->kind = kind;
    z->pkg = pkg;
    z->die = die;
    z->fd = -1;
    const char *w = pact__rapl_kind_label(kind);
    if (kind == PACT__RAPL_PSYS) {
        /* The platform domain is one per machine: rapl_psys_w. */
        if (pkg > 0)
            snprintf(z->column, sizeof z->column, "rapl_psys%d_w", pkg);
        else
            snprintf(z->column, sizeof z->column, "rapl_psys_w");
        snprintf(z->label, sizeof z->label, "psys");
    } else if (die >= 0) {
        snprintf(z->column, sizeof z->column, "rapl_%s%d_die%d_w", w, pkg, die);
        snprintf(z->label, sizeof z->label, "%s-%d-die-%d", w, pkg, die);
    } else {
        snprintf(z->column, sizeof z->column, "rapl_%s%d_w", w, pkg);
        snprintf(z->label, sizeof z->label, "%s-%d", w, pkg);
    }
}

/* Order: packages (and their dies) by number, each followed by its
 * subdomains; the platform domain last. */
static long order_key(const struct pact__rapl_zone *z)
{
    if (z->kind == PACT__RAPL_PSYS)
        return 0x7fff0000L + z->pkg;
    return ((long)z->pkg << 16) | ((long)(z->die + 1) << 4) | z->kind;
}

int pact__rapl_set_add(struct pact__rapl_set *set,
                       const struct pact__rapl_zone *z)
{
    long key = order_key(z);
    int at = set->n;
    for (int i = 0; i < set->n; i++) {
        long k = order_key(&set->z[i]);
        if (k == key)
            return -EEXIST;
        if (k > key && at == set->n)
            at = i;
    }
    if (set->n >= PACT__RAPL_MAX_ZONES)
        return -ENOSPC;
    memmove(&set->z[at + 1], &set->z[at],
            (size_t)(set->n - at) * sizeof set->z[0]);
    set->z[at] = *z;
    set->n++;
    return 0;
}

void pact__rapl_set_release(struct pact__rapl_set *set)
{
    for (int i = 0; i < set->n; i++) {
        if (set->z[i].fd >= 0)
            close(set->z[i].fd);
        set->z[i].fd = -1;
    }
}

int pact__rapl_role(int kind)
{
    switch (kind) {
    case PACT__RAPL_PACKAGE:
        return PACT_ROLE_CPU_POWER;
    case PACT__RAPL_DRAM:
        return PACT_ROLE_OTHER_POWER;
    case PACT__RAPL_PSYS:
        return PACT_ROLE_PLATFORM_POWER;
    default:
        return PACT_ROLE_DETAIL_POWER;
    }
}
