/* SPDX-License-Identifier: MIT */
/*
 * cpu_info.h - what the CPU power drivers need to know about the
 * processor, read under the sysroot: /proc/cpuinfo (model, vendor,
 * family, packages), /proc/stat (busy and total CPU time), /proc/meminfo
 * (installed memory) and /sys/devices/system/cpu (online CPUs, topology).
 */
#ifndef PACT_SENSORS_CPU_INFO_H
#define PACT_SENSORS_CPU_INFO_H

#include <stdint.h>

enum pact__cpu_vendor {
    PACT__VENDOR_UNKNOWN = 0,
    PACT__VENDOR_INTEL = 1,
    PACT__VENDOR_AMD = 2, /* AuthenticAMD and HygonGenuine */
};

struct pact__cpu_info {
    char model_name[128]; /* first "model name", "" if none */
    char vendor_id[32];   /* "GenuineIntel", "AuthenticAMD", ... */
    int vendor;           /* enum pact__cpu_vendor */
    int family, model;    /* -1 when absent */
    int logical_cpus;     /* "processor" entries, >= 1 */
    int packages;         /* distinct "physical id" values, >= 1 */
    int hypervisor;       /* 1: the "hypervisor" flag (a guest) */
};

/* Parse root/proc/cpuinfo.  Returns 0 or -errno. */
int pact__cpu_info_read(const char *root, struct pact__cpu_info *out);

/* The aggregate "cpu" line of /proc/stat, in USER_HZ ticks.  busy is
 * user+nice+system+irq+softirq; total is busy+idle+iowait.  Steal time
 * (the hypervisor ran someone else) is in neither, and guest time is
 * already inside user/nice, so it is not added twice. */
struct pact__cpu_times {
    uint64_t busy;
    uint64_t total;
};
int pact__proc_stat_read(const char *root, struct pact__cpu_times *out);

/* MemTotal from root/proc/meminfo, in KiB.  Returns 0 or -errno. */
int pact__meminfo_total_kib(const char *root, uint64_t *kib);

/* Online CPU numbers from root/sys/devices/system/cpu/cpuN (sorted, at
 * most max).  Returns the count (0 if the directory is missing). */
int pact__cpu_list(const char *root, int *cpus, int max);

/* physical_package_id and die_id of a CPU (die 0 when the kernel has no
 * die_id).  Returns 0 or -errno. */
int pact__cpu_topology(const char *root, int cpu, int *pkg, int *die);

#endif
