/* SPDX-License-Identifier: MIT */
/*
 * test_fake_nvml.c - the fake NVML itself behaves as nvml.md says a GPU
 * does: the energy counter moves only every energy_update_ms (sec. 6),
 * nvmlDeviceGetPowerUsage is a 1 s moving average on Ampere-non-GA100
 * and newer and instantaneous on GA100 (sec. 4), field 185 exists only
 * where the average does, scopeId selects GPU, module or memory power
 * (sec. 5), timestamps are microseconds since 1970 (sec. 2), and
 * nvmlInit_v2 can be slow (sec. 7).  Expected values are worked here
 * from the scripted power steps.
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "sensors/nvml_api.h"
#include "t.h"

static char dir[256], script[300];
static void *lib;
static nvmlReturn_t (*init)(void);
static nvmlReturn_t (*shutdown_)(void);
static nvmlReturn_t (*handle)(unsigned int, nvmlDevice_t *);
static nvmlReturn_t (*usage)(nvmlDevice_t, unsigned int *);
static nvmlReturn_t (*energy)(nvmlDevice_t, unsigned long long *);
static nvmlReturn_t (*fields)(nvmlDevice_t, int, nvmlFieldValue_t *);

static void write_script(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static void write_script(const char *fmt, ...)
{
    char tmp[320];
    snprintf(tmp, sizeof tmp, "%s.tmp", script);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
    rename(tmp, script);
}

static int setup(void)
{
    if (lib)
        return 0;
    snprintf(dir, sizeof dir, "/tmp/pact-fakenvml-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(script, sizeof script, "%s/script", dir);
    setenv("PACT_FAKE_NVML", script, 1);
    write_script("gpus=1\n");
    const char *b = getenv("PACT_TEST_BUILD");
    char path[512];
    snprintf(path, sizeof path, "%s/fakes/fake_nvml.so", b ? b : "build");
    lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return -1;
    *(void **)&init = dlsym(lib, "nvmlInit_v2");
    *(void **)&shutdown_ = dlsym(lib, "nvmlShutdown");
    *(void **)&handle = dlsym(lib, "nvmlDeviceGetHandleByIndex_v2");
    *(void **)&usage = dlsym(lib, "nvmlDeviceGetPowerUsage");
    *(void **)&energy = dlsym(lib, "nvmlDeviceGetTotalEnergyConsumption");
    *(void **)&fields = dlsym(lib, "nvmlDeviceGetFieldValues");
    return init && shutdown_ && handle && usage && energy && fields ? 0 : -1;
}

#define SETUP()                                                          \
    do {                                                                 \
        if (setup() != 0)                                                \
            T_FAIL_("build/fakes/fake_nvml.so is missing or incomplete: " \
                    "make test-progs");                                  \
    } while (0)

static nvmlDevice_t dev(void)
{
    nvmlDevice_t d = NULL;
    if (init() != NVML_SUCCESS || handle(0, &d) != NVML_SUCCESS)
        return NULL;
    return d;
}

TEST(energy_counter_moves_every_update_period)
{
    SETUP();
    /* 100 W from t = 0; counter updated every 100 ms (the default):
     * at t = 1.25 s it still shows t = 1.2 s: 1e6 + 100 * 1.2 * 1e3 mJ. */
    write_script("time_s=1.25\ngpu0.power_mw=100000\n");
    nvmlDevice_t d = dev();
    T_ASSERT(d);
    unsigned long long mj = 0;
    T_EQ(energy(d, &mj), NVML_SUCCESS);
    T_EQ(mj, 1000000 + 120000);
    write_script("time_s=1.25\ngpu0.power_mw=100000\n"
                 "gpu0.energy_update_ms=20\n");
    T_EQ(energy(d, &mj), NVML_SUCCESS);
    T_EQ(mj, 1000000 + 124000);
    write_script("time_s=1.25\ngpu0.power_mw=100000\n"
                 "gpu0.energy_update_ms=0\n");
    T_EQ(energy(d, &mj), NVML_SUCCESS);
    T_EQ(mj, 1000000 + 125000);
    shutdown_();
}

TEST(power_usage_is_a_1s_average_except_ga100)
{
    SETUP();
    /* 50 W until 2 s, then 150 W.  At 2.25 s the last second holds
     * 0.75 s at 50 W and 0.25 s at 150 W: 75 W on Hopper (the default),
     * 150 W instantaneous on GA100. */
    write_script("time_s=2.25\ngpu0.power_steps=0:50000,2:150000\n");
    nvmlDevice_t d = dev();
    T_ASSERT(d);
    unsigned int mw = 0;
    T_EQ(usage(d, &mw), NVML_SUCCESS);
    T_EQ(mw, 75000);
    write_script("time_s=2.25\ngpu0.power_steps=0:50000,2:150000\n"
                 "gpu0.arch=ga100\n");
    T_EQ(usage(d, &mw), NVML_SUCCESS);
    T_EQ(mw, 150000);
    shutdown_();
}

TEST(fields_scope_and_timestamps)
{
    SETUP();
    write_script("time_s=2.25\ngpu0.power_steps=0:50000,2:150000\n"
                 "gpu0.memory_power_mw=21000\n");
    nvmlDevice_t d = dev();
    T_ASSERT(d);
    nvmlFieldValue_t f[5];
    memset(f, 0, sizeof f);
    f[0].fieldId = NVML_FI_DEV_POWER_INSTANT;  /* scope 0: the GPU */
    f[1].fieldId = NVML_FI_DEV_POWER_AVERAGE;
    f[2].fieldId = NVML_FI_DEV_POWER_INSTANT;
    f[2].scopeId = 1;                          /* module: Grace only */
    f[3].fieldId = NVML_FI_DEV_POWER_AVERAGE;
    f[3].scopeId = 2;                          /* memory */
    f[4].fieldId = NVML_FI_DEV_POWER_INSTANT;
    f[4].scopeId = 7;
    struct timespec rt;
    clock_gettime(CLOCK_REALTIME, &rt);
    T_EQ(fields(d, 5, f), NVML_SUCCESS);
    T_EQ(f[0].nvmlReturn, NVML_SUCCESS);
    T_EQ(f[0].value.uiVal, 150000);
    T_EQ(f[1].nvmlReturn, NVML_SUCCESS);
    T_EQ(f[1].value.uiVal, 75000);
    T_EQ(f[2].nvmlReturn, NVML_ERROR_NOT_SUPPORTED);
    T_EQ(f[3].nvmlReturn, NVML_SUCCESS);
    T_EQ(f[3].value.uiVal, 21000);
    T_EQ(f[4].nvmlReturn, NVML_ERROR_INVALID_ARGUMENT);
    /* Microseconds since 1970: within a day of now (a count from the
     * library's start would be near 0). */
    double now_us = (double)rt.tv_sec * 1e6;
    T_ASSERT(fabs((double)f[0].timestamp - now_us) < 86400e6);
    /* GA100 has no 1 s average field. */
    write_script("time_s=2.25\ngpu0.arch=ga100\n");
    memset(f, 0, sizeof f);
    f[0].fieldId = NVML_FI_DEV_POWER_AVERAGE;
    T_EQ(fields(d, 1, f), NVML_SUCCESS);
    T_EQ(f[0].nvmlReturn, NVML_ERROR_NOT_SUPPORTED);
    shutdown_();
}

TEST(init_can_be_slow)
{
    SETUP();
    write_script("init_delay_ms=300\n");
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    T_EQ(init(), NVML_SUCCESS);
    clock_gettime(CLOCK_MONOTONIC, &b);
    /* A sleep never ends early: at least the scripted 300 ms. */
    T_ASSERT((b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9 >= 0.3);
    shutdown_();
}

T_MAIN(T_RUN(energy_counter_moves_every_update_period);
       T_RUN(power_usage_is_a_1s_average_except_ga100);
       T_RUN(fields_scope_and_timestamps); T_RUN(init_can_be_slow);
       if (dir[0]) {
           unlink(script);
           rmdir(dir);
       })
