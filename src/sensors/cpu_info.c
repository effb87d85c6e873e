/* SPDX-License-Identifier: MIT */
/*
 * cpu_info.c - readers for /proc/cpuinfo, /proc/stat, /proc/meminfo and
 * the CPU topology in sysfs (see cpu_info.h).  Plain line parsing; every
 * path goes through pact__path so fixtures stand in for the machine.
 */
#include "sensors/cpu_info.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/path.h"

/* Value part of a "key<tabs>: value" line, or NULL if key differs. */
static const char *field(const char *line, const char *key)
{
    size_t k = strlen(key);
    if (strncmp(line, key, k) != 0)
        return NULL;
    const char *p = line + k;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != ':')
        return NULL;
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static void copy_trim(char *dst, size_t len, const char *src)
{
    snprintf(dst, len, "%s", src);
    size_t n = strlen(dst);
    while (n > 0 && (dst[n - 1] == '\n' || dst[n - 1] == ' '))
        dst[--n] = '\0';
}

int pact__cpu_info_read(const char *root, struct pact__cpu_info *out)
{
    char path[PATH_MAX];
    memset(out, 0, sizeof *out);
    out->family = -1;
    out->model = -1;
    if (pact__path(path, sizeof path, root, "/proc/cpuinfo") < 0)
        return -ENAMETOOLONG;
    FILE *f = fopen(path, "re");
    if (!f)
        return -errno;
    unsigned char seen[256 / 8] = {0}; /* physical ids seen */
    char line[4096];
    const char *v;
    while (fgets(line, sizeof line, f)) {
        if (field(line, "processor")) {
            out->logical_cpus++;
        } else if ((v = field(line, "model name")) && !out->model_name[0]) {
            copy_trim(out->model_name, sizeof out->model_name, v);
        } else if ((v = field(line, "vendor_id")) && !out->vendor_id[0]) {
            copy_trim(out->vendor_id, sizeof out->vendor_id, v);
        } else if ((v = field(line, "cpu family")) && out->family < 0) {
            out->family = (int)strtol(v, NULL, 10);
        } else if ((v = field(line, "model")) && out->model < 0) {
            out->model = (int)strtol(v, NULL, 10);
        } else if ((v = field(line, "physical id"))) {
            long id = strtol(v, NULL, 10);
            if (id >= 0 && id < 256 && !(seen[id / 8] & (1u << (id % 8)))) {
                seen[id / 8] |= (unsigned char)(1u << (id % 8));
                out->packages++;
            }
        } else if ((v = field(line, "flags")) && !out->hypervisor) {
            out->hypervisor = strstr(v, " hypervisor") != NULL ||
                              strncmp(v, "hypervisor", 10) == 0;
        }
    }
    fclose(f);
    if (out->logical_cpus < 1)
        out->logical_cpus = 1;
    if (out->packages < 1)
        out->packages = 1;
    if (strcmp(out->vendor_id, "GenuineIntel") == 0)
        out->vendor = PACT__VENDOR_INTEL;
    else if (strcmp(out->vendor_id, "AuthenticAMD") == 0 ||
             strcmp(out->vendor_id, "HygonGenuine") == 0)
        out->vendor = PACT__VENDOR_AMD;
    return 0;
}

int pact__proc_stat_read(const char *root, struct pact__cpu_times *out)
{
    char path[PATH_MAX];
    char buf[512];
    if (pact__path(path, sizeof path, root, "/proc/stat") < 0)
        return -ENAMETOOLONG;
    /* The aggregate line comes first; 511 bytes always hold it. */
    int n = pact__read_text(path, buf, sizeof buf);
    if (n < 0)
        return n;
    if (strncmp(buf, "cpu ", 4) != 0)
        return -EINVAL;
    unsigned long long t[8] = {0};
    const char *p = buf + 4;
    int got = 0;
    for (; got < 8; got++) {
        char *end;
        errno = 0;
        t[got] = strtoull(p, &end, 10);
        if (end == p || errno)
            break;
        p = end;
    }
    if (got < 4) /* user nice system idle at least (Linux 2.4) */
        return -EINVAL;
    /* user nice system idle iowait irq softirq steal */
    out->busy = t[0] + t[1] + t[2] + t[5] + t[6];
    out->total = out->busy + t[3] + t[4];
    return 0;
}

int pact__meminfo_total_kib(const char *root, uint64_t *kib)
{
    char path[PATH_MAX];
    if (pact__path(path, sizeof path, root, "/proc/meminfo") < 0)
        return -ENAMETOOLONG;
    FILE *f = fopen(path, "re");
    if (!f)
        return -errno;
    char line[256];
    int rc = -EINVAL;
    while (fgets(line, sizeof line, f)) {
        const char *v = field(line, "MemTotal");
        if (!v)
            continue;
        char *end;
        errno = 0;
        unsigned long long x = strtoull(v, &end, 10);
        if (end != v && !errno) {
            *kib = x;
            rc = 0;
        }
        break;
    }
    fclose(f);
    return rc;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int pact__cpu_list(const char *root, int *cpus, int max)
{
    char path[PATH_MAX];
    if (pact__path(path, sizeof path, root, "/sys/devices/system/cpu") < 0)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        if (strncmp(e->d_name, "cpu", 3) != 0)
            continue;
        char *end;
        long c = strtol(e->d_name + 3, &end, 10);
        if (end == e->d_name + 3 || *end || c < 0 || c > INT_MAX)
            continue;
        /* Offline CPUs keep their directory but lose "topology". */
        char topo[PATH_MAX];
        uint64_t dummy;
        if (pact__path(topo, sizeof topo, root,
                       "/sys/devices/system/cpu/cpu%ld/topology/"
                       "physical_package_id",
                       c) < 0)
            continue;
        if (pact__read_u64(topo, &dummy) < 0) {
            char online[PATH_MAX];
            if (pact__path(online, sizeof online, root,
                           "/sys/devices/system/cpu/cpu%ld/online", c) < 0 ||
                (pact__read_u64(online, &dummy) == 0 && dummy == 0))
                continue;
        }
        cpus[n++] = (int)c;
    }
    closedir(d);
    qsort(cpus, (size_t)n, sizeof *cpus, cmp_int);
    return n;
}

int pact__cpu_topology(const char *root, int cpu, int *pkg, int *die)
{
    char path[PATH_MAX];
    double v;
    if (pact__path(path, sizeof path, root,
                   "/sys/devices/system/cpu/cpu%d/topology/"
                   "physical_package_id",
                   cpu) < 0)
        return -ENAMETOOLONG;
    int rc = pact__read_double(path, &v); /* may be -1 on odd firmware */
    if (rc < 0)
        return rc;
    *pkg = v < 0 ? 0 : (int)v;
    *die = 0;
    if (pact__path(path, sizeof path, root,
                   "/sys/devices/system/cpu/cpu%d/topology/die_id", cpu) >= 0 &&
        pact__read_double(path, &v) == 0 && v >= 0)
        *die = (int)v;
    return 0;
}
