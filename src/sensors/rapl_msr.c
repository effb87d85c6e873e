/* SPDX-License-Identifier: MIT */
/*
 * rapl_msr.c - RAPL door 3: the energy MSRs through /dev/cpu/N/msr
 * (pread at offset = register address, 8 bytes).  Intel: unit 0x606,
 * package 0x611, PP0 0x639, PP1 0x641, DRAM 0x619, platform 0x64D; AMD:
 * unit 0xC0010299, package 0xC001029B (the per-core register is not read:
 * the package already contains it).  Counters are 32 bits and wrap.
 */
#include "sensors/rapl_door.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/path.h"
#include "core/putf.h"
#include "sensors/cpu_info.h"

#define MSR_RAPL_POWER_UNIT 0x606
#define MSR_PKG_ENERGY_STATUS 0x611
#define MSR_DRAM_ENERGY_STATUS 0x619
#define MSR_PP0_ENERGY_STATUS 0x639
#define MSR_PP1_ENERGY_STATUS 0x641
#define MSR_PLATFORM_ENERGY_STATUS 0x64D
#define MSR_AMD_RAPL_POWER_UNIT 0xC0010299u
#define MSR_AMD_PKG_ENERGY_STATUS 0xC001029Bu

double pact__rapl_msr_energy_unit_j(uint64_t unit_reg)
{
    return ldexp(1.0, -(int)((unit_reg >> 8) & 0x1f));
}

static int rdmsr(int fd, uint64_t addr, uint64_t *v)
{
    ssize_t r = pread(fd, v, sizeof *v, (off_t)addr);
    if (r < 0)
        return -errno;
    return r == (ssize_t)sizeof *v ? 0 : -EIO;
}

static int read_raw(struct pact__rapl_zone *z, uint64_t *raw)
{
    if (z->fd < 0)
        return z->err ? z->err : -EBADF;
    uint64_t v;
    int rc = rdmsr(z->fd, z->addr, &v);
    if (rc == 0)
        *raw = v & 0xffffffffu; /* bits 63:32 reserved */
    return rc;
}

/* Intel server parts whose DRAM domain counts in a fixed 2^-16 J unit
 * (15.3 uJ) instead of the unit register's (kernel intel_rapl_common.c
 * and perf rapl.c quirks): Haswell-X, Broadwell-X/-D, Skylake-X, Ice
 * Lake-X/-D, Xeon Phi KNL/KNM, Sapphire/Emerald Rapids. */
static int dram_fixed_unit(const struct pact__cpu_info *ci)
{
    static const int models[] = {0x3F, 0x4F, 0x56, 0x55, 0x6A,
                                 0x6C, 0x57, 0x85, 0x8F, 0xCF};
    if (ci->vendor != PACT__VENDOR_INTEL || ci->family != 6)
        return 0;
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
        if (ci->model == models[i])
            return 1;
    return 0;
}

/* Sapphire/Emerald Rapids count the platform domain in whole joules. */
static int psys_unit_1j(const struct pact__cpu_info *ci)
{
    return ci->vendor == PACT__VENDOR_INTEL && ci->family == 6 &&
           (ci->model == 0x8F || ci->model == 0xCF);
}

/* Add one zone reading register addr through a dup of fd, if the register
 * exists (reads without EIO and is not 0: the kernel's own test). */
static void try_domain(struct pact__rapl_set *set, int fd, int cpu,
                       const char *dev, int kind, int pkg, int die,
                       uint64_t addr, double unit_j, int must)
{
    uint64_t v;
    if (!must && (rdmsr(fd, addr, &v) < 0 || (v & 0xffffffffu) == 0))
        return;
    struct pact__rapl_zone z;
    pact__rapl_zone_init(&z, kind, pkg, die);
    z.cpu = cpu;
    z.addr = addr;
    z.unit_j = unit_j;
    z.wrap = 1ull << 32;
    snprintf(z.path, sizeof z.path, "%s", dev);
    z.fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    z.err = z.fd < 0 ? -errno : 0;
    if (z.fd >= 0 && (z.err = read_raw(&z, &v)) < 0) {
        close(z.fd);
        z.fd = -1;
    }
    if (pact__rapl_set_add(set, &z) < 0 && z.fd >= 0)
        close(z.fd);
}

static int scan(const char *root, struct pact__rapl_set *set, char *why,
                size_t len)
{
    size_t off = 0;
    memset(set, 0, sizeof *set);
    set->door = &pact__rapl_msr;
    struct pact__cpu_info ci;
    if (pact__cpu_info_read(root, &ci) < 0 ||
        ci.vendor == PACT__VENDOR_UNKNOWN) {
        pact__putf(why, len, &off,
                       "msr: no RAPL registers known for "
                       "CPU vendor '%s'",
                       ci.vendor_id);
        return 0;
    }
    int amd = ci.vendor == PACT__VENDOR_AMD;
    int cpus[1024];
    int ncpu = pact__cpu_list(root, cpus, 1024);
    if (ncpu <= 0) {
        cpus[0] = 0;
        ncpu = 1;
    }
    /* First CPU of each package (Intel: of each die; AMD's package
     * register is socket-wide whatever the kernel calls a die). */
    int lead[PACT__RAPL_MAX_ZONES], pkg[PACT__RAPL_MAX_ZONES],
        die[PACT__RAPL_MAX_ZONES];
    int nlead = 0, multi_die = 0;
    for (int i = 0; i < ncpu && nlead < PACT__RAPL_MAX_ZONES; i++) {
        int p = 0, d = 0, seen = 0;
        if (pact__cpu_topology(root, cpus[i], &p, &d) < 0)
            p = d = 0;
        if (amd)
            d = 0;
        for (int k = 0; k < nlead; k++) {
            if (pkg[k] == p && die[k] == d)
                seen = 1;
            else if (pkg[k] == p)
                multi_die = 1;
        }
        if (seen)
            continue;
        lead[nlead] = cpus[i];
        pkg[nlead] = p;
        die[nlead] = d;
        nlead++;
    }

    const char *first_err = NULL;
    char dev[sizeof set->z[0].path], errbuf[sizeof dev + 160];
    for (int i = 0; i < nlead; i++) {
        int d = multi_die ? die[i] : -1;
        if (pact__path(dev, sizeof dev, root, "/dev/cpu/%d/msr", lead[i]) < 0)
            continue;
        int fd = open(dev, O_RDONLY | O_CLOEXEC);
        uint64_t unit_reg;
        int rc =
            fd < 0
                ? -errno
                : rdmsr(fd, amd ? MSR_AMD_RAPL_POWER_UNIT : MSR_RAPL_POWER_UNIT,
                        &unit_reg);
        if (rc < 0) {
            /* No columns: an unreadable device does not prove the CPU
             * has RAPL (a VM's msr module answers too). */
            if (!first_err) {
                if (rc == -ENOENT)
                    snprintf(errbuf, sizeof errbuf,
                             "msr: %s missing "
                             "(sudo modprobe msr)",
                             dev);
                else if (rc == -EACCES || rc == -EPERM)
                    snprintf(errbuf, sizeof errbuf,
                             "msr: %s: permission "
                             "denied (%s)",
                             dev, pact__rapl_msr.access_fix);
                else if (rc == -EIO && fd >= 0)
                    snprintf(errbuf, sizeof errbuf,
                             "msr: %s: no RAPL unit "
                             "register (EIO: this CPU or VM has no RAPL)",
                             dev);
                else
                    snprintf(errbuf, sizeof errbuf, "msr: %s: %s", dev,
                             strerror(-rc));
                first_err = errbuf;
            }
            if (fd >= 0)
                close(fd);
            continue;
        }
        double unit = pact__rapl_msr_energy_unit_j(unit_reg);
        if (amd) {
            try_domain(set, fd, lead[i], dev, PACT__RAPL_PACKAGE, pkg[i], d,
                       MSR_AMD_PKG_ENERGY_STATUS, unit, 1);
        } else {
            try_domain(set, fd, lead[i], dev, PACT__RAPL_PACKAGE, pkg[i], d,
                       MSR_PKG_ENERGY_STATUS, unit, 1);
            try_domain(set, fd, lead[i], dev, PACT__RAPL_CORE, pkg[i], d,
                       MSR_PP0_ENERGY_STATUS, unit, 0);
            try_domain(set, fd, lead[i], dev, PACT__RAPL_UNCORE, pkg[i], d,
                       MSR_PP1_ENERGY_STATUS, unit, 0);
            try_domain(set, fd, lead[i], dev, PACT__RAPL_DRAM, pkg[i], d,
                       MSR_DRAM_ENERGY_STATUS,
                       dram_fixed_unit(&ci) ? ldexp(1.0, -16) : unit, 0);
            if (i == 0) /* platform-wide */
                try_domain(set, fd, lead[i], dev, PACT__RAPL_PSYS, 0, -1,
                           MSR_PLATFORM_ENERGY_STATUS,
                           psys_unit_1j(&ci) ? 1.0 : unit, 0);
        }
        close(fd);
    }
    for (int i = 0; i < set->n; i++)
        if (set->z[i].err == 0)
            set->readable++;
    if (set->readable) {
        pact__putf(why, len, &off, "msr:");
        for (int i = 0; i < set->n; i++)
            if (set->z[i].err == 0)
                pact__putf(why, len, &off, " %s", set->z[i].label);
        if (first_err)
            pact__putf(why, len, &off, "; ");
    }
    if (first_err)
        pact__putf(why, len, &off, "%s", first_err);
    else if (!set->readable)
        pact__putf(why, len, &off, "msr: no CPU to read");
    return set->n;
}

const struct pact__rapl_door pact__rapl_msr = {
    .name = "msr",
    .scan = scan,
    .read_raw = read_raw,
    .access_fix = "needs root with CAP_SYS_RAWIO",
};
