/* SPDX-License-Identifier: MIT */
/*
 * rapl_perf.c - RAPL door 2: the perf `power` PMU
 * (/sys/bus/event_source/devices/power: type, cpumask, events/energy-*
 * with .scale and .unit).  One counting event per listed CPU, pid -1, no
 * exclude bits (the PMU rejects them).  Counts are 64-bit, kernel-unwrapped;
 * joules = count x scale (2^-32 on every kernel so far).
 */
#include "sensors/rapl_door.h"

#include <errno.h>
#include <limits.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/path.h"
#include "core/putf.h"
#include "sensors/cpu_info.h"

#define PMU "/sys/bus/event_source/devices/power"

static const struct {
    const char *event;
    int kind;
} events[] = {
    {"energy-pkg", PACT__RAPL_PACKAGE}, {"energy-cores", PACT__RAPL_CORE},
    {"energy-gpu", PACT__RAPL_UNCORE},  {"energy-ram", PACT__RAPL_DRAM},
    {"energy-psys", PACT__RAPL_PSYS},
};

int pact__rapl_perf_parse_event(const char *text, uint64_t *config)
{
    /* The format file says config:0-7 and events read "event=0xNN";
     * anything else (umask=, several terms) is not a RAPL event. */
    if (strncmp(text, "event=", 6) != 0)
        return -EINVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text + 6, &end, 0);
    if (end == text + 6 || errno || (*end && *end != '\n') || v > 0xff)
        return -EINVAL;
    *config = v;
    return 0;
}

int pact__rapl_parse_cpulist(const char *text, int *cpus, int max)
{
    int n = 0;
    const char *p = text;
    while (*p && *p != '\n') {
        char *end;
        long a = strtol(p, &end, 10), b;
        if (end == p || a < 0 || a > INT_MAX)
            return -EINVAL;
        b = a;
        p = end;
        if (*p == '-') {
            b = strtol(p + 1, &end, 10);
            if (end == p + 1 || b < a || b > INT_MAX)
                return -EINVAL;
            p = end;
        }
        for (long c = a; c <= b && n < max; c++)
            cpus[n++] = (int)c;
        if (*p == ',')
            p++;
        else if (*p && *p != '\n')
            return -EINVAL;
    }
    return n;
}

static int perf_open(uint32_t type, uint64_t config, int cpu)
{
    struct perf_event_attr a;
    memset(&a, 0, sizeof a);
    a.type = type;
    a.size = sizeof a;
    a.config = config;
    /* Counting, system-wide on one CPU; exclude_* must stay 0. */
    long fd =
        syscall(SYS_perf_event_open, &a, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    return fd < 0 ? -errno : (int)fd;
}

static int read_raw(struct pact__rapl_zone *z, uint64_t *raw)
{
    if (z->fd < 0)
        return z->err ? z->err : -EBADF;
    uint64_t v;
    ssize_t r = read(z->fd, &v, sizeof v);
    if (r < 0)
        return -errno;
    if (r != (ssize_t)sizeof v)
        return -EIO;
    *raw = v;
    return 0;
}

/* Why the kernel refused the event, in one clause. */
static void refused(const char *root, const struct pact__rapl_zone *z,
                    uint32_t type, char *why, size_t len, size_t *off)
{
    const char *ev = "energy-?";
    for (size_t i = 0; i < sizeof events / sizeof events[0]; i++)
        if (events[i].kind == z->kind)
            ev = events[i].event;
    pact__putf(why, len, off,
                   "perf power PMU: perf_event_open(power/%s/"
                   ", cpu %d): %s",
                   ev, z->cpu, strerror(-z->err));
    if (z->err == -EACCES || z->err == -EPERM) {
        char p[PATH_MAX], par[16] = "?";
        if (pact__path(p, sizeof p, root,
                       "/proc/sys/kernel/perf_event_paranoid") >= 0)
            pact__read_text(p, par, sizeof par);
        pact__putf(why, len, off, " (perf_event_paranoid is %s; %s)", par,
                       pact__rapl_perf.access_fix);
    } else if (z->err == -ENOENT || z->err == -ENODEV || z->err == -EINVAL) {
        pact__putf(why, len, off,
                       " (the kernel has no PMU of type %u "
                       "with this event: a fixture sysroot, or the PMU went "
                       "away)",
                       (unsigned)type);
    }
}

static int scan(const char *root, struct pact__rapl_set *set, char *why,
                size_t len)
{
    char p[PATH_MAX], text[256];
    size_t off = 0;
    memset(set, 0, sizeof *set);
    set->door = &pact__rapl_perf;
    uint64_t type;
    pact__path(p, sizeof p, root, PMU "/type");
    int rc = pact__read_u64(p, &type);
    if (rc < 0 || type > UINT32_MAX) {
        pact__path(p, sizeof p, root, PMU);
        pact__putf(why, len, &off,
                       "perf power PMU: %s not present "
                       "(kernel without CONFIG_PERF_EVENTS_INTEL_RAPL, or no "
                       "RAPL on this CPU/VM)",
                       p);
        return 0;
    }
    /* One CPU per package (or die) to open on. */
    int cpus[PACT__RAPL_MAX_ZONES];
    int ncpu = 0;
    pact__path(p, sizeof p, root, PMU "/cpumask");
    if (pact__read_text(p, text, sizeof text) >= 0)
        ncpu = pact__rapl_parse_cpulist(text, cpus, PACT__RAPL_MAX_ZONES);
    if (ncpu <= 0) {
        cpus[0] = 0;
        ncpu = 1;
    }
    struct pact__cpu_info ci;
    if (pact__cpu_info_read(root, &ci) < 0)
        ci.vendor = PACT__VENDOR_UNKNOWN;
    int pkg[PACT__RAPL_MAX_ZONES], die[PACT__RAPL_MAX_ZONES];
    int multi_die = 0;
    for (int i = 0; i < ncpu; i++) {
        if (pact__cpu_topology(root, cpus[i], &pkg[i], &die[i]) < 0) {
            pkg[i] = i;
            die[i] = 0;
        }
        /* AMD counts energy per socket even when the kernel lists one
         * CPU per CCD (Linux 6.9-6.10 era): never per die there. */
        if (ci.vendor == PACT__VENDOR_AMD)
            die[i] = 0;
        for (int k = 0; k < i; k++)
            if (pkg[k] == pkg[i] && die[k] != die[i])
                multi_die = 1;
    }

    int dups = 0, bad_unit = 0;
    for (size_t e = 0; e < sizeof events / sizeof events[0]; e++) {
        uint64_t config;
        double scale;
        pact__path(p, sizeof p, root, PMU "/events/%s", events[e].event);
        if (pact__read_text(p, text, sizeof text) < 0 ||
            pact__rapl_perf_parse_event(text, &config) < 0)
            continue;
        pact__path(p, sizeof p, root, PMU "/events/%s.unit", events[e].event);
        if (pact__read_text(p, text, sizeof text) < 0 ||
            strcmp(text, "Joules") != 0) {
            bad_unit++;
            continue;
        }
        pact__path(p, sizeof p, root, PMU "/events/%s.scale", events[e].event);
        if (pact__read_double(p, &scale) < 0 || !(scale > 0)) {
            bad_unit++;
            continue;
        }
        for (int i = 0; i < ncpu; i++) {
            struct pact__rapl_zone z;
            int kind = events[e].kind;
            if (kind == PACT__RAPL_PSYS) {
                if (i > 0)
                    break; /* platform-wide: read once */
                pact__rapl_zone_init(&z, kind, 0, -1);
            } else {
                pact__rapl_zone_init(&z, kind, pkg[i], multi_die ? die[i] : -1);
            }
            z.cpu = cpus[i];
            z.addr = config;
            z.unit_j = scale;
            z.wrap = 0;
            snprintf(z.path, sizeof z.path, "power/%s/ on cpu %d",
                     events[e].event, cpus[i]);
            int fd = perf_open((uint32_t)type, config, cpus[i]);
            z.fd = fd >= 0 ? fd : -1;
            z.err = fd >= 0 ? 0 : fd;
            rc = pact__rapl_set_add(set, &z);
            if (rc < 0) {
                if (z.fd >= 0)
                    close(z.fd);
                dups += rc == -EEXIST;
            }
        }
    }
    if (set->n == 0) {
        pact__path(p, sizeof p, root, PMU "/events");
        pact__putf(why, len, &off,
                       "perf power PMU: no energy-* event "
                       "in %s%s",
                       p,
                       bad_unit ? " with unit Joules and a "
                                  "scale"
                                : "");
        return 0;
    }
    const struct pact__rapl_zone *bad = NULL;
    for (int i = 0; i < set->n; i++) {
        uint64_t v;
        struct pact__rapl_zone *z = &set->z[i];
        if (z->fd >= 0 && (z->err = read_raw(z, &v)) == 0)
            set->readable++;
        else if (!bad)
            bad = z;
    }
    if (set->readable) {
        pact__putf(why, len, &off, "perf power PMU:");
        for (int i = 0; i < set->n; i++)
            if (set->z[i].err == 0)
                pact__putf(why, len, &off, " %s", set->z[i].label);
        if (dups)
            pact__putf(why, len, &off,
                           " (%d CPU%s of the same package "
                           "not counted twice)",
                           dups, dups > 1 ? "s" : "");
    }
    if (bad) {
        if (set->readable)
            pact__putf(why, len, &off, "; ");
        refused(root, bad, (uint32_t)type, why, len, &off);
    }
    return set->n;
}

const struct pact__rapl_door pact__rapl_perf = {
    .name = "perf power PMU",
    .scan = scan,
    .read_raw = read_raw,
    .access_fix = "needs perf_event_paranoid <= 0 or CAP_PERFMON; fix: "
                  "sudo sysctl kernel.perf_event_paranoid=0",
};
