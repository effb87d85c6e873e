/* SPDX-License-Identifier: MIT */
/*
 * rapl_door.h - what the RAPL driver (rapl.c) shares with its three doors:
 * powercap sysfs (rapl_powercap.c), the perf `power` PMU (rapl_perf.c) and
 * the MSR device (rapl_msr.c).  A door finds zones and reads raw counters;
 * naming, de-duplication and unwrapping live in rapl_zone.c so every door
 * counts the same way.  Tests include this header to reach the decoders.
 */
#ifndef PACT_SENSORS_RAPL_DOOR_H
#define PACT_SENSORS_RAPL_DOOR_H

#include <stddef.h>
#include <stdint.h>

#include "sensors/sensor.h"

enum pact__rapl_kind {
    PACT__RAPL_PACKAGE = 0, /* package (or die) */
    PACT__RAPL_CORE = 1,    /* PP0: all cores (one core on AMD powercap) */
    PACT__RAPL_UNCORE = 2,  /* PP1: client graphics */
    PACT__RAPL_DRAM = 3,    /* memory, outside the package */
    PACT__RAPL_PSYS = 4,    /* platform, contains the others */
};

#define PACT__RAPL_MAX_ZONES 32

struct pact__rapl_zone {
    char column[PACT_CHANNEL_NAME]; /* "rapl_package0_w" */
    char label[40];                 /* "package-0", "dram" (messages) */
    int kind;                       /* enum pact__rapl_kind */
    int pkg, die;                   /* die < 0: not die-scoped */
    char path[256]; /* powercap energy_uj; msr/perf: what was opened */
    int fd;         /* perf event or msr device, -1 if none */
    int cpu;        /* perf/msr: the CPU read */
    uint64_t addr;  /* perf: attr.config; msr: register address */
    double unit_j;  /* joules per raw count */
    uint64_t wrap;  /* raw value at which the counter wraps to 0
                       (delta = cur + wrap - prev); 0 = never wraps */
    int err;        /* -errno of the last failed read, 0 if fine */
};

struct pact__rapl_door;

struct pact__rapl_set {
    const struct pact__rapl_door *door;
    struct pact__rapl_zone z[PACT__RAPL_MAX_ZONES];
    int n;        /* zones found */
    int readable; /* zones whose counter could be read at scan */
};

struct pact__rapl_door {
    const char *name; /* "powercap", "perf power PMU", "msr" */
    /* Fill set (zones, readable) from the machine under root.  Returns
     * set->n >= 0; why gets one clause, starting with the door's name,
     * saying what was found or why it cannot be used, with the fix. */
    int (*scan)(const char *root, struct pact__rapl_set *set, char *why,
                size_t len);
    /* Read a zone's raw counter: 0 or -errno. */
    int (*read_raw)(struct pact__rapl_zone *z, uint64_t *raw);
    /* Why a permission error happens here and how to fix it. */
    const char *access_fix;
};

extern const struct pact__rapl_door pact__rapl_powercap;
extern const struct pact__rapl_door pact__rapl_perf;
extern const struct pact__rapl_door pact__rapl_msr;

/* ---- rapl_zone.c ---- */

/* Set kind/pkg/die, the column name and label; fd = -1. */
void pact__rapl_zone_init(struct pact__rapl_zone *z, int kind, int pkg,
                          int die);
/* Add a copy of z to set, keeping the set sorted (package order, then
 * kind); -EEXIST if the same (kind, pkg, die) is already there (one
 * counter reached twice), -ENOSPC when full. */
int pact__rapl_set_add(struct pact__rapl_set *set,
                       const struct pact__rapl_zone *z);
/* Close every fd; the set can be scanned again. */
void pact__rapl_set_release(struct pact__rapl_set *set);
/* The enum pact_role a kind feeds. */
int pact__rapl_role(int kind);
/* "package", "core", "uncore", "dram" or "psys". */
const char *pact__rapl_kind_label(int kind);

/* ---- decoders (rapl_perf.c, rapl_msr.c), exposed for tests ---- */

/* "event=0x02" -> 2.  Returns 0 or -EINVAL. */
int pact__rapl_perf_parse_event(const char *text, uint64_t *config);
/* A cpulist ("0", "0,36", "0-3,8") into cpus[0..max-1]; count or -EINVAL. */
int pact__rapl_parse_cpulist(const char *text, int *cpus, int max);
/* Joules per count from MSR_RAPL_POWER_UNIT: 2^-ESU, ESU = bits 12:8. */
double pact__rapl_msr_energy_unit_j(uint64_t unit_reg);

#endif
