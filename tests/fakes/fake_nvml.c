/* SPDX-License-Identifier: MIT */
/*
 * fake_nvml.c - a stand-in libnvidia-ml with the exact C ABI of the NVML
 * calls PACT uses, scripted by the key=value file named in
 * $PACT_FAKE_NVML (re-read on every call; replace it with rename() when
 * another thread may be reading).  Energy advances with the scripted
 * power over time_s, or CLOCK_MONOTONIC since the first nvmlInit_v2.
 * Keys (N = GPU index), defaults in brackets:
 *   gpus=[1]  init=[0] (nvmlInit_v2's return code)  driver=[999.01]
 *   time_s=   fixed clock in s, else real time since the first init
 *   stats=    file to which "inits=I shutdowns=S" is written
 *   gpuN.name  gpuN.uuid  gpuN.power_mw=[100000]
 *   gpuN.power_steps=T:MW,T:MW...  (power MW from time T on)
 *   gpuN.energy_base_mj=[1000000]  gpuN.energy_reset_s= (counter -> 0)
 *   gpuN.util_gpu  gpuN.util_mem  gpuN.mem_used_mib  gpuN.mem_total_mib
 *   gpuN.temp_c  gpuN.sm_clock_mhz  gpuN.mig=[0] (MIG instances)
 *   gpuN.rc.CALL=CODE  fixed return code of one call; CALL is handle,
 *                      name, uuid, energy, instant, usage, util, mem,
 *                      temp, clock, mig
 *   gpuN.instant_type=[1]  valueType of the power field
 *   gpuN.lost=1        every call answers NVML_ERROR_GPU_IS_LOST
 *   gpuN.fail_rc=[999] gpuN.fail_from_call=K (K-th call on, 0-based)
 *   gpuN.fail_from_s=T gpuN.fail_until_s=T gpuN.fail_calls=energy,util..
 *   unterminated=1     strings fill the whole buffer with no NUL (names
 *                      'N', UUIDs 'U', driver 'D'), as a faulty driver
 * Device-like behaviour (nvml.md sec. 4-7):
 *   init_delay_ms=[0]  nvmlInit_v2 takes that long (no persistence mode)
 *   init_hang=[0]      1: nvmlInit_v2 never returns (the go-nvml #152 hang)
 *   gpuN.energy_update_ms=[100]  the energy counter moves only every that
 *                      many ms (20-100 ms on real GPUs, sec. 6); 0: exact
 *   gpuN.arch=[hopper] volta|turing|ga100 give instantaneous
 *                      nvmlDeviceGetPowerUsage and no field 185; ampere|ada|
 *                      hopper|blackwell a 1 s moving average (sec. 4, 6)
 *   gpuN.module_power_mw  gpuN.memory_power_mw  power of scopeId 1 (Grace
 *                      Hopper module) and 2 (memory); unset: NOT_SUPPORTED
 * Field timestamps are microseconds since 1970, as NVML's.
 * Built with FAKE_NVML_OLD (fake_nvml_old.c) it leaves out the optional
 * symbols, like an old driver: no error strings, fields, energy, MIG.
 */
#include "sensors/nvml_api.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#define FAKE_MAX_GPUS 16
#define FAKE_MAX_STEPS 32
#define FAKE_MAX_MIG 7

enum call { F_HANDLE, F_NAME, F_UUID, F_ENERGY, F_INSTANT, F_USAGE, F_UTIL,
            F_MEM, F_TEMP, F_CLOCK, F_MIG, F_N };
static const char *const call_names[F_N] = {
    "handle", "name", "uuid", "energy", "instant", "usage", "util", "mem",
    "temp", "clock", "mig",
};

struct nvmlDevice_st {
    int gpu;
    int mig; /* -1: the physical GPU, else the MIG instance */
};

struct fake_gpu {
    char name[96], uuid[96];
    int nsteps;
    double step_s[FAKE_MAX_STEPS], step_mw[FAKE_MAX_STEPS];
    double energy_base_mj, energy_reset_s;
    double util_gpu, util_mem, mem_used_mib, mem_total_mib, temp_c, clock;
    double energy_update_s, module_mw, memory_mw;
    int averaged; /* GetPowerUsage is a 1 s moving average (arch) */
    int mig, lost, instant_type;
    int rc[F_N];
    int fail_rc;
    long fail_from_call;
    double fail_from_s, fail_until_s;
    unsigned fail_mask;
};

struct script {
    int gpus, init_rc, init_hang;
    double init_delay_ms;
    char driver[80], stats[256];
    int have_time;
    double time_s;
    int unterminated;
    struct fake_gpu g[FAKE_MAX_GPUS];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct script sc;
static struct nvmlDevice_st handles[FAKE_MAX_GPUS];
__attribute__((unused))
static struct nvmlDevice_st mig_handles[FAKE_MAX_GPUS][FAKE_MAX_MIG];
static long calls[FAKE_MAX_GPUS];
static int inits, shutdowns;
static struct timespec t0;
static double epoch0; /* CLOCK_REALTIME at t0, s since 1970 */
static int t0_set;

/* ---- Script ---- */

static void defaults(void)
{
    memset(&sc, 0, sizeof sc);
    sc.gpus = 1;
    snprintf(sc.driver, sizeof sc.driver, "999.01");
    for (int i = 0; i < FAKE_MAX_GPUS; i++) {
        struct fake_gpu *g = &sc.g[i];
        snprintf(g->name, sizeof g->name, "Fake GPU %d", i);
        snprintf(g->uuid, sizeof g->uuid,
                 "GPU-fa4e%04d-0000-0000-0000-000000000000", i);
        g->nsteps = 1;
        g->step_mw[0] = 100000;
        g->energy_base_mj = 1000000;
        g->energy_reset_s = INFINITY;
        g->mem_total_mib = 81920;
        g->temp_c = 30;
        g->clock = 1000;
        g->instant_type = NVML_VALUE_TYPE_UNSIGNED_INT;
        g->fail_rc = NVML_ERROR_UNKNOWN;
        g->fail_from_call = -1;
        g->fail_from_s = INFINITY;
        g->fail_until_s = INFINITY;
        g->fail_mask = ~0u;
        g->energy_update_s = 0.1;
        g->averaged = 1; /* hopper */
        g->module_mw = NAN;
        g->memory_mw = NAN;
    }
}

static unsigned call_mask(const char *v)
{
    unsigned m = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *save, *t = strtok_r(buf, ",", &save); t;
         t = strtok_r(NULL, ",", &save))
        for (int c = 0; c < F_N; c++)
            if (strcmp(t, call_names[c]) == 0)
                m |= 1u << c;
    return m;
}

static void steps(struct fake_gpu *g, const char *v)
{
    g->nsteps = 0;
    const char *p = v;
    while (*p && g->nsteps < FAKE_MAX_STEPS) {
        char *end;
        double t = strtod(p, &end);
        if (*end != ':')
            break;
        double mw = strtod(end + 1, &end);
        g->step_s[g->nsteps] = t;
        g->step_mw[g->nsteps] = mw;
        g->nsteps++;
        p = *end == ',' ? end + 1 : end;
    }
}

static void gpu_key(struct fake_gpu *g, const char *k, const char *v)
{
    double d = strtod(v, NULL);
    if (strcmp(k, "name") == 0)
        snprintf(g->name, sizeof g->name, "%s", v);
    else if (strcmp(k, "uuid") == 0)
        snprintf(g->uuid, sizeof g->uuid, "%s", v);
    else if (strcmp(k, "power_mw") == 0) {
        g->nsteps = 1;
        g->step_s[0] = 0;
        g->step_mw[0] = d;
    } else if (strcmp(k, "power_steps") == 0)
        steps(g, v);
    else if (strcmp(k, "energy_base_mj") == 0)
        g->energy_base_mj = d;
    else if (strcmp(k, "energy_reset_s") == 0)
        g->energy_reset_s = d;
    else if (strcmp(k, "util_gpu") == 0)
        g->util_gpu = d;
    else if (strcmp(k, "util_mem") == 0)
        g->util_mem = d;
    else if (strcmp(k, "mem_used_mib") == 0)
        g->mem_used_mib = d;
    else if (strcmp(k, "mem_total_mib") == 0)
        g->mem_total_mib = d;
    else if (strcmp(k, "temp_c") == 0)
        g->temp_c = d;
    else if (strcmp(k, "sm_clock_mhz") == 0)
        g->clock = d;
    else if (strcmp(k, "mig") == 0)
        g->mig = (int)d > FAKE_MAX_MIG ? FAKE_MAX_MIG : (int)d;
    else if (strcmp(k, "lost") == 0)
        g->lost = (int)d;
    else if (strcmp(k, "instant_type") == 0)
        g->instant_type = (int)d;
    else if (strcmp(k, "fail_rc") == 0)
        g->fail_rc = (int)d;
    else if (strcmp(k, "fail_from_call") == 0)
        g->fail_from_call = (long)d;
    else if (strcmp(k, "fail_from_s") == 0)
        g->fail_from_s = d;
    else if (strcmp(k, "fail_until_s") == 0)
        g->fail_until_s = d;
    else if (strcmp(k, "fail_calls") == 0)
        g->fail_mask = call_mask(v);
    else if (strcmp(k, "energy_update_ms") == 0)
        g->energy_update_s = d / 1000;
    else if (strcmp(k, "module_power_mw") == 0)
        g->module_mw = d;
    else if (strcmp(k, "memory_power_mw") == 0)
        g->memory_mw = d;
    else if (strcmp(k, "arch") == 0)
        g->averaged = !(strcmp(v, "volta") == 0 || strcmp(v, "turing") == 0 ||
                        strcmp(v, "ga100") == 0);
    else if (strncmp(k, "rc.", 3) == 0) {
        for (int c = 0; c < F_N; c++)
            if (strcmp(k + 3, call_names[c]) == 0)
                g->rc[c] = (int)d;
    } else
        fprintf(stderr, "fake_nvml: unknown key gpuN.%s\n", k);
}

static void key(const char *k, const char *v)
{
    long n = strtol(v, NULL, 10);
    if (strcmp(k, "gpus") == 0) {
        sc.gpus = n > FAKE_MAX_GPUS ? FAKE_MAX_GPUS : n < 0 ? 0 : (int)n;
    } else if (strcmp(k, "init") == 0) {
        sc.init_rc = (int)n;
    } else if (strcmp(k, "init_delay_ms") == 0) {
        sc.init_delay_ms = strtod(v, NULL);
    } else if (strcmp(k, "init_hang") == 0) {
        sc.init_hang = (int)n;
    } else if (strcmp(k, "driver") == 0) {
        snprintf(sc.driver, sizeof sc.driver, "%s", v);
    } else if (strcmp(k, "time_s") == 0) {
        sc.have_time = 1;
        sc.time_s = strtod(v, NULL);
    } else if (strcmp(k, "unterminated") == 0) {
        sc.unterminated = (int)n;
    } else if (strcmp(k, "stats") == 0) {
        snprintf(sc.stats, sizeof sc.stats, "%s", v);
    } else if (strncmp(k, "gpu", 3) == 0) {
        char *dot;
        long i = strtol(k + 3, &dot, 10);
        if (*dot == '.' && i >= 0 && i < FAKE_MAX_GPUS)
            gpu_key(&sc.g[i], dot + 1, v);
    } else {
        fprintf(stderr, "fake_nvml: unknown key %s\n", k);
    }
}

/* Re-read the script (caller holds lock). */
static void load(void)
{
    defaults();
    const char *path = getenv("PACT_FAKE_NVML");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "fake_nvml: cannot read %s; using defaults\n",
                path);
        return;
    }
    char line[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *eq = strchr(line, '=');
        if (line[0] == '#' || !eq)
            continue;
        *eq = '\0';
        key(line, eq + 1);
    }
    fclose(f);
}

static void write_stats(void)
{
    if (!sc.stats[0])
        return;
    FILE *f = fopen(sc.stats, "w");
    if (!f)
        return;
    fprintf(f, "inits=%d shutdowns=%d\n", inits, shutdowns);
    fclose(f);
}

/* ---- Time, power and energy ---- */

static double now_s(void)
{
    if (sc.have_time)
        return sc.time_s;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0.tv_sec) + (t.tv_nsec - t0.tv_nsec) / 1e9;
}

static double power_at(const struct fake_gpu *g, double t)
{
    double mw = g->step_mw[0];
    for (int i = 1; i < g->nsteps; i++)
        if (t >= g->step_s[i])
            mw = g->step_mw[i];
    return mw;
}

/* Integral of the step power from a to b (mW * s = mJ). */
__attribute__((unused))
static double integral(const struct fake_gpu *g, double a, double b)
{
    double e = 0;
    for (int i = 0; i < g->nsteps; i++) {
        double lo = i == 0 ? -INFINITY : g->step_s[i];
        double hi = i + 1 < g->nsteps ? g->step_s[i + 1] : INFINITY;
        lo = lo > a ? lo : a;
        hi = hi < b ? hi : b;
        if (hi > lo)
            e += g->step_mw[i] * (hi - lo);
    }
    return e;
}

/* What GetPowerUsage reports: the 1 s moving average on the
 * architectures that average, else the instantaneous power. */
static double usage_mw(const struct fake_gpu *g, double t)
{
    return g->averaged ? integral(g, t - 1, t) : power_at(g, t);
}

/* The counter moves only at multiples of the update period (the 1e-9
 * keeps t = k * period on step k despite rounding). */
__attribute__((unused))
static unsigned long long energy_mj(const struct fake_gpu *g, double t)
{
    if (g->energy_update_s > 0)
        t = floor(t / g->energy_update_s + 1e-9) * g->energy_update_s;
    if (t >= g->energy_reset_s)
        return (unsigned long long)llround(
            integral(g, g->energy_reset_s, t));
    return (unsigned long long)llround(g->energy_base_mj +
                                       integral(g, 0, t));
}

/* ---- Common entry checks ---- */

/* Lock, re-read the script, count the call and say what it returns.
 * On NVML_SUCCESS *gp is the GPU; the caller unlocks. */
static nvmlReturn_t enter(nvmlDevice_t d, int call, struct fake_gpu **gp)
{
    pthread_mutex_lock(&lock);
    load();
    *gp = NULL;
    if (inits <= shutdowns)
        return NVML_ERROR_UNINITIALIZED;
    if (!d || d->gpu < 0 || d->gpu >= sc.gpus)
        return NVML_ERROR_INVALID_ARGUMENT;
    struct fake_gpu *g = &sc.g[d->gpu];
    long k = calls[d->gpu]++;
    double t = now_s();
    *gp = g;
    if (g->lost)
        return NVML_ERROR_GPU_IS_LOST;
    int failing = (g->fail_from_call >= 0 && k >= g->fail_from_call) ||
                  t >= g->fail_from_s;
    if (failing && t < g->fail_until_s && (g->fail_mask & (1u << call)))
        return g->fail_rc;
    return g->rc[call];
}

static nvmlReturn_t leave(nvmlReturn_t rc)
{
    pthread_mutex_unlock(&lock);
    return rc;
}

/* ---- The NVML ABI ---- */

nvmlReturn_t nvmlInit_v2(void)
{
    pthread_mutex_lock(&lock);
    load();
    int hang = sc.init_hang;
    double delay = sc.init_delay_ms;
    pthread_mutex_unlock(&lock);
    if (hang)
        for (;;)
            pause(); /* a driver that never answers */
    if (delay > 0) {
        struct timespec d = {(time_t)(delay / 1000),
                             (long)(fmod(delay, 1000) * 1e6)};
        nanosleep(&d, NULL);
    }
    pthread_mutex_lock(&lock);
    if (sc.init_rc != NVML_SUCCESS)
        return leave(sc.init_rc);
    if (!t0_set) {
        struct timespec rt;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        clock_gettime(CLOCK_REALTIME, &rt);
        epoch0 = (double)rt.tv_sec + rt.tv_nsec / 1e9;
        t0_set = 1;
    }
    inits++;
    write_stats();
    return leave(NVML_SUCCESS);
}

nvmlReturn_t nvmlShutdown(void)
{
    pthread_mutex_lock(&lock);
    load();
    if (inits <= shutdowns)
        return leave(NVML_ERROR_UNINITIALIZED);
    shutdowns++;
    write_stats();
    return leave(NVML_SUCCESS);
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count)
{
    pthread_mutex_lock(&lock);
    load();
    if (inits <= shutdowns)
        return leave(NVML_ERROR_UNINITIALIZED);
    if (!count)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    *count = (unsigned int)sc.gpus;
    return leave(NVML_SUCCESS);
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index,
                                           nvmlDevice_t *device)
{
    struct fake_gpu *g;
    if (index >= FAKE_MAX_GPUS || !device)
        return NVML_ERROR_INVALID_ARGUMENT;
    handles[index].gpu = (int)index;
    handles[index].mig = -1;
    nvmlReturn_t rc = enter(&handles[index], F_HANDLE, &g);
    if (rc == NVML_SUCCESS)
        *device = &handles[index];
    return leave(rc);
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
    pthread_mutex_lock(&lock);
    load();
    if (sc.unterminated) {
        memset(version, 'D', length);
        return leave(NVML_SUCCESS);
    }
    if ((size_t)snprintf(version, length, "%s", sc.driver) >= length)
        return leave(NVML_ERROR_INSUFFICIENT_SIZE);
    return leave(NVML_SUCCESS);
}

static nvmlReturn_t copy_str(char *dst, unsigned int len, const char *src)
{
    if (sc.unterminated) {
        memset(dst, src[0] == 'G' || src[0] == 'M' ? 'U' : 'N', len);
        return NVML_SUCCESS;
    }
    if ((size_t)snprintf(dst, len, "%s", src) >= len)
        return NVML_ERROR_INSUFFICIENT_SIZE;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name,
                               unsigned int length)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_NAME, &g);
    if (rc == NVML_SUCCESS)
        rc = copy_str(name, length,
                      device->mig >= 0 ? "Fake MIG 1g.10gb" : g->name);
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid,
                               unsigned int length)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_UUID, &g);
    if (rc == NVML_SUCCESS && device->mig >= 0) {
        char mig[96];
        snprintf(mig, sizeof mig, "MIG-fa4e%02d%02d-0000-0000-0000-"
                 "000000000000", device->gpu, device->mig);
        rc = copy_str(uuid, length, mig);
    } else if (rc == NVML_SUCCESS) {
        rc = copy_str(uuid, length, g->uuid);
    }
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device,
                                     unsigned int *power_mw)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_USAGE, &g);
    if (rc == NVML_SUCCESS)
        *power_mw = (unsigned int)llround(usage_mw(g, now_s()));
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device,
                                           nvmlUtilization_t *util)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_UTIL, &g);
    if (rc == NVML_SUCCESS && g->mig)
        rc = NVML_ERROR_NOT_SUPPORTED; /* as on MIG-enabled GPUs */
    if (rc == NVML_SUCCESS) {
        util->gpu = (unsigned int)g->util_gpu;
        util->memory = (unsigned int)g->util_mem;
    }
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device,
                                     nvmlMemory_t *memory)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_MEM, &g);
    if (rc == NVML_SUCCESS) {
        memory->total = (unsigned long long)(g->mem_total_mib * 1048576.0);
        memory->used = (unsigned long long)(g->mem_used_mib * 1048576.0);
        memory->free = memory->total - memory->used;
    }
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor,
                                      unsigned int *temp_c)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_TEMP, &g);
    if (rc == NVML_SUCCESS && sensor != NVML_TEMPERATURE_GPU)
        rc = NVML_ERROR_INVALID_ARGUMENT;
    if (rc == NVML_SUCCESS)
        *temp_c = (unsigned int)g->temp_c;
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type,
                                    unsigned int *clock_mhz)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_CLOCK, &g);
    if (rc == NVML_SUCCESS && type != NVML_CLOCK_SM)
        rc = NVML_ERROR_INVALID_ARGUMENT;
    if (rc == NVML_SUCCESS)
        *clock_mhz = (unsigned int)g->clock;
    return leave(rc);
}

#ifndef FAKE_NVML_OLD

const char *nvmlErrorString(nvmlReturn_t result)
{
    static char text[32][40];
    static const char unknown[] = "fake NVML error 999";
    if (result < 0 || result >= 32)
        return unknown;
    pthread_mutex_lock(&lock);
    snprintf(text[result], sizeof text[result], "fake NVML error %d",
             result);
    pthread_mutex_unlock(&lock);
    return text[result];
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device,
                                                 unsigned long long *mj)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_ENERGY, &g);
    if (rc == NVML_SUCCESS)
        *mj = energy_mj(g, now_s());
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int count,
                                      nvmlFieldValue_t *values)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_INSTANT, &g);
    /* A per-call failure (lost, failing) fails the whole call; a
     * scripted rc.instant is the per-field answer, as drivers give. */
    if (rc != NVML_SUCCESS && (!g || rc != g->rc[F_INSTANT]))
        return leave(rc);
    if (count <= 0 || !values)
        return leave(NVML_ERROR_INVALID_ARGUMENT);
    double t = now_s();
    for (int i = 0; i < count; i++) {
        nvmlFieldValue_t *f = &values[i];
        f->timestamp = (long long)((epoch0 + t) * 1e6);
        f->latencyUsec = 0;
        f->nvmlReturn = NVML_SUCCESS;
        int power = f->fieldId == NVML_FI_DEV_POWER_INSTANT ||
                    f->fieldId == NVML_FI_DEV_POWER_AVERAGE;
        /* scopeId (sec. 5): 0 the GPU, 1 the Grace Hopper module, 2 the
         * memory; only what this GPU has is supported. */
        double scoped = f->scopeId == 0 ? 0
                        : f->scopeId == 1 ? g->module_mw
                        : f->scopeId == 2 ? g->memory_mw : -1;
        if (power && (f->scopeId > 2 || isnan(scoped))) {
            f->nvmlReturn = f->scopeId > 2 ? NVML_ERROR_INVALID_ARGUMENT
                                           : NVML_ERROR_NOT_SUPPORTED;
        } else if (power && f->scopeId != 0) {
            f->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
            f->value.uiVal = (unsigned int)llround(scoped);
        } else if (f->fieldId == NVML_FI_DEV_POWER_AVERAGE) {
            /* Ampere (not GA100) or newer only. */
            f->nvmlReturn = g->averaged ? NVML_SUCCESS
                                        : NVML_ERROR_NOT_SUPPORTED;
            f->valueType = NVML_VALUE_TYPE_UNSIGNED_INT;
            f->value.uiVal = (unsigned int)llround(integral(g, t - 1, t));
        } else if (f->fieldId == NVML_FI_DEV_POWER_INSTANT) {
            f->nvmlReturn = g->rc[F_INSTANT];
            f->valueType = g->instant_type;
            double mw = power_at(g, t);
            if (g->instant_type == NVML_VALUE_TYPE_DOUBLE)
                f->value.dVal = mw;
            else if (g->instant_type ==
                     NVML_VALUE_TYPE_UNSIGNED_LONG_LONG)
                f->value.ullVal = (unsigned long long)llround(mw);
            else
                f->value.uiVal = (unsigned int)llround(mw);
        } else if (f->fieldId == NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION) {
            f->valueType = NVML_VALUE_TYPE_UNSIGNED_LONG_LONG;
            f->value.ullVal = energy_mj(g, t);
        } else {
            f->nvmlReturn = NVML_ERROR_INVALID_ARGUMENT;
        }
    }
    return leave(NVML_SUCCESS);
}

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *current,
                                  unsigned int *pending)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_MIG, &g);
    if (rc == NVML_SUCCESS)
        *current = *pending = g->mig ? NVML_DEVICE_MIG_ENABLE : 0;
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device,
                                            unsigned int *count)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_MIG, &g);
    if (rc == NVML_SUCCESS)
        *count = g->mig ? FAKE_MAX_MIG : 0;
    return leave(rc);
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device,
                                                 unsigned int index,
                                                 nvmlDevice_t *mig)
{
    struct fake_gpu *g;
    nvmlReturn_t rc = enter(device, F_MIG, &g);
    if (rc == NVML_SUCCESS && index >= FAKE_MAX_MIG)
        rc = NVML_ERROR_INVALID_ARGUMENT;
    else if (rc == NVML_SUCCESS && (int)index >= g->mig)
        rc = NVML_ERROR_NOT_FOUND;
    if (rc == NVML_SUCCESS) {
        struct nvmlDevice_st *h = &mig_handles[device->gpu][index];
        h->gpu = device->gpu;
        h->mig = (int)index;
        *mig = h;
    }
    return leave(rc);
}

#endif /* FAKE_NVML_OLD */
