/* SPDX-License-Identifier: MIT */
/*
 * rapl_powercap.c - RAPL door 1: the powercap sysfs tree
 * (/sys/class/powercap/intel-rapl:N[:M]/energy_uj, µJ), which the kernel
 * exposes for Intel and AMD alike.  Zones are identified by their `name`
 * file, never by index; intel-rapl-mmio mirrors package-0 and is not read.
 */
#include "sensors/rapl_door.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/path.h"
#include "core/putf.h"
#include "sensors/cpu_info.h"

#define CLASS "/sys/class/powercap"

struct top {
    unsigned idx;
    int kind, pkg, die; /* kind < 0: not read (skipped) */
};

/* Parse "intel-rapl:N" (child = -1) or "intel-rapl:N:M". */
static int parse_zone_dir(const char *d, unsigned *parent, int *child)
{
    const char *p = d + strlen("intel-rapl:");
    char *end;
    unsigned long a = strtoul(p, &end, 16);
    if (end == p)
        return -1;
    *parent = (unsigned)a;
    *child = -1;
    if (*end == '\0')
        return 0;
    if (*end != ':')
        return -1;
    p = end + 1;
    unsigned long b = strtoul(p, &end, 16);
    if (end == p || *end != '\0')
        return -1;
    *child = (int)b;
    return 0;
}

static int kind_of_child(const char *name)
{
    if (strcmp(name, "core") == 0)
        return PACT__RAPL_CORE;
    if (strcmp(name, "uncore") == 0)
        return PACT__RAPL_UNCORE;
    if (strcmp(name, "dram") == 0)
        return PACT__RAPL_DRAM;
    if (strcmp(name, "psys") == 0)
        return PACT__RAPL_PSYS;
    return -1;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Fill zone path/unit/wrap and test-read it. */
static void prepare(const char *root, const char *dir,
                    struct pact__rapl_zone *z)
{
    char p[PATH_MAX];
    pact__path(z->path, sizeof z->path, root, CLASS "/%s/energy_uj", dir);
    z->unit_j = 1e-6;
    z->wrap = 0;
    uint64_t max;
    if (pact__path(p, sizeof p, root, CLASS "/%s/max_energy_range_uj", dir) >=
            0 &&
        pact__read_u64(p, &max) == 0)
        z->wrap = max;
    uint64_t e;
    z->err = pact__read_u64(z->path, &e);
}

static int scan(const char *root, struct pact__rapl_set *set, char *why,
                size_t len)
{
    char dirpath[PATH_MAX];
    size_t off = 0;
    memset(set, 0, sizeof *set);
    set->door = &pact__rapl_powercap;
    pact__path(dirpath, sizeof dirpath, root, CLASS);
    DIR *d = opendir(dirpath);
    if (!d) {
        pact__putf(
            why, len, &off,
            "powercap: %s: %s (no powercap RAPL driver: "
            "modprobe intel_rapl_msr; AMD needs Linux 5.11+; VMs rarely "
            "expose RAPL)",
            dirpath, strerror(errno));
        return 0;
    }
    struct pact__cpu_info ci;
    if (pact__cpu_info_read(root, &ci) < 0)
        ci.vendor = PACT__VENDOR_UNKNOWN;

    /* Collect zone directory names, sorted so the first of two mirrors
     * (lowest index) is the one kept. */
    char names[2 * PACT__RAPL_MAX_ZONES][32];
    int nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) && nn < 2 * PACT__RAPL_MAX_ZONES) {
        size_t l = strlen(e->d_name);
        if (strncmp(e->d_name, "intel-rapl:", 11) != 0 || l >= sizeof names[0])
            continue;
        memcpy(names[nn++], e->d_name, l + 1);
    }
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], cmp_name);

    struct top tops[PACT__RAPL_MAX_ZONES];
    int ntop = 0, dups = 0, psys_seen = 0;
    /* Pass 1: top-level zones (packages, dies, psys). */
    for (int i = 0; i < nn && ntop < PACT__RAPL_MAX_ZONES; i++) {
        unsigned parent;
        int child;
        if (parse_zone_dir(names[i], &parent, &child) < 0 || child >= 0)
            continue;
        char p[PATH_MAX], name[64];
        struct top *t = &tops[ntop++];
        t->idx = parent;
        t->kind = -1;
        if (pact__path(p, sizeof p, root, CLASS "/%s/name", names[i]) < 0 ||
            pact__read_text(p, name, sizeof name) < 0)
            continue;
        int pkg, die, used = 0;
        if (sscanf(name, "package-%d-die-%d%n", &pkg, &die, &used) == 2 &&
            name[used] == '\0') {
            t->kind = PACT__RAPL_PACKAGE;
            /* AMD: every die zone mirrors the one socket-wide counter
             * (kernels that took die = CCD; CodeCarbon #1274): keep
             * die 0 as the package, drop the others. */
            if (ci.vendor == PACT__VENDOR_AMD) {
                if (die != 0) {
                    t->kind = -1;
                    dups++;
                    continue;
                }
                die = -1;
            }
        } else if (sscanf(name, "package-%d%n", &pkg, &used) == 1 &&
                   name[used] == '\0') {
            t->kind = PACT__RAPL_PACKAGE;
            die = -1;
        } else if (strcmp(name, "psys") == 0) {
            t->kind = PACT__RAPL_PSYS;
            pkg = psys_seen++;
            die = -1;
        } else {
            continue; /* unknown domain name: not ours to guess */
        }
        t->pkg = pkg;
        t->die = die;
        struct pact__rapl_zone z;
        pact__rapl_zone_init(&z, t->kind, pkg, die);
        prepare(root, names[i], &z);
        int rc = pact__rapl_set_add(set, &z);
        if (rc == -EEXIST) {
            t->kind = -1; /* same package twice: its children too */
            dups++;
        }
    }
    /* Pass 2: subzones, named after their parent's package. */
    for (int i = 0; i < nn; i++) {
        unsigned parent;
        int child;
        if (parse_zone_dir(names[i], &parent, &child) < 0 || child < 0)
            continue;
        const struct top *t = NULL;
        for (int k = 0; k < ntop; k++)
            if (tops[k].idx == parent)
                t = &tops[k];
        if (!t || t->kind != PACT__RAPL_PACKAGE)
            continue;
        char p[PATH_MAX], name[64];
        if (pact__path(p, sizeof p, root, CLASS "/%s/name", names[i]) < 0 ||
            pact__read_text(p, name, sizeof name) < 0)
            continue;
        int kind = kind_of_child(name);
        if (kind < 0)
            continue;
        struct pact__rapl_zone z;
        if (kind == PACT__RAPL_PSYS)
            pact__rapl_zone_init(&z, kind, psys_seen++, -1);
        else
            pact__rapl_zone_init(&z, kind, t->pkg, t->die);
        prepare(root, names[i], &z);
        if (pact__rapl_set_add(set, &z) == -EEXIST)
            dups++;
    }

    if (set->n == 0) {
        pact__putf(
            why, len, &off,
            "powercap: no intel-rapl zones in %s "
            "(modprobe intel_rapl_msr; AMD needs Linux 5.11+; VMs rarely "
            "expose RAPL)",
            dirpath);
        return 0;
    }
    const struct pact__rapl_zone *bad = NULL;
    for (int i = 0; i < set->n; i++) {
        if (set->z[i].err == 0)
            set->readable++;
        else if (!bad)
            bad = &set->z[i];
    }
    if (set->readable) {
        pact__putf(why, len, &off, "powercap:");
        for (int i = 0; i < set->n; i++)
            if (set->z[i].err == 0)
                pact__putf(why, len, &off, " %s", set->z[i].label);
        if (dups)
            pact__putf(why, len, &off,
                           " (%d mirrored zone%s not counted twice)", dups,
                           dups > 1 ? "s" : "");
    }
    if (bad && (bad->err == -EACCES || bad->err == -EPERM))
        pact__putf(why, len, &off, "%s%s: permission denied (%s)",
                       set->readable ? "; " : "powercap: ", bad->path,
                       pact__rapl_powercap.access_fix);
    else if (bad)
        pact__putf(why, len, &off, "%s%s: %s",
                       set->readable ? "; " : "powercap: ", bad->path,
                       strerror(-bad->err));
    return set->n;
}

static int read_raw(struct pact__rapl_zone *z, uint64_t *raw)
{
    return pact__read_u64(z->path, raw);
}

const struct pact__rapl_door pact__rapl_powercap = {
    .name = "powercap",
    .scan = scan,
    .read_raw = read_raw,
    .access_fix = "root-only since Linux 5.10; fix: sudo chmod o+r "
                  "/sys/class/powercap/intel-rapl:*/energy_uj (each boot), "
                  "or run as root",
};
