/* SPDX-License-Identifier: MIT */
/*
 * test_nvml.c - the NVML driver against the scripted fake library
 * ($PACT_TEST_BUILD/fakes/fake_nvml.so): power per GPU and summed, exact
 * window power from energy-counter deltas (also across a power step),
 * the sampled-power fallbacks, failures and recovery mid-run, a GPU that
 * falls off the bus, missing library or driver, GPU selection, MIG.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"

#include "pact/pact.h"
#include "core/counter.h"
#include "sensors/nvml.h"
#include "sensors/nvml_api.h"
#include "sensors/nvml_select.h"
#include "sensors/registry.h"

#define S_NS 1000000000LL

/* ---- Fixture: script file, fake library path, log capture ---- */

static char dir[256], script[300], fake[512], fake_old[512];
static char logbuf[16384];
static int nlog;

static void on_log(int level, const char *msg, void *user)
{
    (void)user;
    size_t used = strlen(logbuf);
    snprintf(logbuf + used, sizeof logbuf - used, "%d %s\n", level, msg);
    nlog++;
}

/* Lines of the captured log containing every one of up to two words. */
static int log_count(const char *a, const char *b)
{
    int n = 0;
    char *copy = strdup(logbuf);
    for (char *save, *l = strtok_r(copy, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save))
        if (strstr(l, a) && (!b || strstr(l, b)))
            n++;
    free(copy);
    return n;
}

static void log_reset(void)
{
    logbuf[0] = '\0';
    nlog = 0;
}

/* Replace the script atomically (the fake re-reads it on every call). */
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
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/pact-nvml-XXXXXX");
        if (!mkdtemp(dir))
            return -1;
        snprintf(script, sizeof script, "%s/script", dir);
        const char *b = getenv("PACT_TEST_BUILD");
        snprintf(fake, sizeof fake, "%s/fakes/fake_nvml.so", b ? b : "build");
        snprintf(fake_old, sizeof fake_old, "%s/fakes/fake_nvml_old.so",
                 b ? b : "build");
        pact_set_log(on_log, NULL);
    }
    if (access(fake, R_OK) != 0 || access(fake_old, R_OK) != 0)
        return -1;
    setenv("PACT_NVML_LIB", fake, 1);
    setenv("PACT_FAKE_NVML", script, 1);
    unsetenv("CUDA_VISIBLE_DEVICES");
    unsetenv("CUDA_DEVICE_ORDER");
    log_reset();
    return 0;
}

#define SETUP()                                                          \
    do {                                                                 \
        if (setup() != 0)                                                \
            T_FAIL_("fake library missing: run make %s and %s", fake,   \
                    fake_old);                                           \
    } while (0)

/* An open driver with its channels and the last samples. */
struct rig {
    struct pact_config cfg;
    struct pact_sensor_env env;
    void *state;
    struct pact_channel ch[PACT_MAX_CHANNELS];
    struct pact_sample s[PACT_MAX_CHANNELS];
    int n;
    char why[1024];
};

static int rig_open(struct rig *r, const char *gpus)
{
    memset(r, 0, sizeof *r);
    r->cfg.size = sizeof r->cfg;
    r->cfg.gpus = gpus;
    r->env.sysroot = "";
    r->env.cfg = &r->cfg;
    r->n = pact_sensor_nvml.open(&r->env, &r->state, r->ch,
                                 PACT_MAX_CHANNELS, r->why, sizeof r->why);
    return r->n;
}

static int rig_read(struct rig *r, int64_t t_ns)
{
    char why[256] = "";
    return pact_sensor_nvml.read(r->state, t_ns, r->s, r->n, why,
                                 sizeof why);
}

static int col(const struct rig *r, const char *name)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->ch[i].name, name) == 0)
            return i;
    return -1;
}

/* Sample value of a column, NaN when absent or not ok. */
static double val(const struct rig *r, const char *name)
{
    int i = col(r, name);
    return i >= 0 && r->s[i].ok ? r->s[i].value : NAN;
}

static int has_gpu(const struct rig *r, int g)
{
    char name[48];
    snprintf(name, sizeof name, "gpu%d_power_w", g);
    return col(r, name) >= 0;
}

/* ---- Power and energy ---- */

TEST(power_per_gpu_and_sum)
{
    SETUP();
    /* gpu0 has the energy counter, gpu1 not (instant field instead). */
    write_script("gpus=2\ntime_s=10\n"
                 "gpu0.power_mw=120000\ngpu1.power_mw=80500\n"
                 "gpu1.rc.energy=3\n");
    struct rig r;
    T_EQ(rig_open(&r, NULL), 13);
    int p0 = col(&r, "gpu0_power_w"), p1 = col(&r, "gpu1_power_w");
    T_ASSERT(p0 >= 0 && p1 >= 0);
    T_EQ(r.ch[p0].quantity, PACT_Q_ENERGY_J);
    T_EQ(r.ch[p0].fast, 0);
    T_EQ(r.ch[p0].role, PACT_ROLE_GPU_POWER);
    T_EQ(r.ch[p1].quantity, PACT_Q_POWER_W);
    T_EQ(r.ch[p1].fast, 1);
    T_EQ(r.ch[p1].role, PACT_ROLE_GPU_POWER);
    T_ASSERT(col(&r, "gpu1_energy_j") < 0); /* no counter, no column */
    T_EQ(rig_read(&r, 10 * S_NS), 0);
    double e0 = val(&r, "gpu0_power_w");
    double p1a = val(&r, "gpu1_power_w");
    write_script("gpus=2\ntime_s=11.5\n"
                 "gpu0.power_mw=120000\ngpu1.power_mw=80500\n"
                 "gpu1.rc.energy=3\n");
    T_EQ(rig_read(&r, 11 * S_NS), 0);
    double w0 = (val(&r, "gpu0_power_w") - e0) / 1.5;
    T_NEAR(w0, 120.0, 1e-9);
    T_NEAR(p1a, 80.5, 1e-9);
    T_NEAR(w0 + val(&r, "gpu1_power_w"), 200.5, 1e-9);
    T_NEAR(val(&r, "gpu0_energy_j") - e0, 180.0, 1e-9);
    pact_sensor_nvml.close(r.state);
}

TEST(energy_window_across_a_step)
{
    SETUP();
    const char *fmt = "gpus=1\ntime_s=%g\n"
                      "gpu0.power_steps=0:100000,2.5:200000,7:50000\n";
    struct rig r;
    write_script(fmt, 1.0);
    T_EQ(rig_open(&r, NULL), 7);
    double t[] = {1.0, 2.0, 3.0, 4.0, 6.5, 8.0};
    double want[] = {0, 100.0, 150.0, 200.0, 200.0, (0.5 * 200 + 1 * 50)
                     / 1.5};
    double last = NAN;
    for (int i = 0; i < 6; i++) {
        write_script(fmt, t[i]);
        T_EQ(rig_read(&r, (int64_t)(t[i] * S_NS)), 0);
        double e = val(&r, "gpu0_power_w");
        T_ASSERT(!isnan(e));
        if (i > 0)
            T_NEAR((e - last) / (t[i] - t[i - 1]), want[i], 1e-9);
        last = e;
    }
    pact_sensor_nvml.close(r.state);
}

TEST(energy_counter_reset_stays_monotonic)
{
    SETUP();
    const char *fmt = "time_s=%g\ngpu0.power_mw=100000\n"
                      "gpu0.energy_reset_s=5\n";
    struct rig r;
    write_script(fmt, 4.0);
    T_EQ(rig_open(&r, NULL), 7);
    T_EQ(rig_read(&r, 4 * S_NS), 0);
    double e4 = val(&r, "gpu0_power_w");
    write_script(fmt, 5.5);
    rig_read(&r, 5 * S_NS);
    double e5 = val(&r, "gpu0_power_w");
    write_script(fmt, 6.5);
    rig_read(&r, 6 * S_NS);
    double e6 = val(&r, "gpu0_power_w");
    /* The driver reports the raw counter: 0.5 s after the reset at 5 s
     * it reads 50 J.  The core's counter helper (core/counter.h) makes
     * that window a reset (empty, never a jump) and the next one exact. */
    T_NEAR(e5, 50.0, 1e-9);
    struct pact__counter c = {0};
    struct pact__counter_spec sp = {0, 2000, 0};
    double d = 0, dt = 0;
    T_EQ(pact__counter_step(&c, &sp, 1, e4, 4 * S_NS, &d, &dt),
         PACT__CTR_BASELINE);
    T_EQ(pact__counter_step(&c, &sp, 1, e5, 5 * S_NS, &d, &dt),
         PACT__CTR_RESET);
    T_EQ(pact__counter_step(&c, &sp, 1, e6, 6 * S_NS, &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d / dt, 100.0, 1e-9);
    pact_sensor_nvml.close(r.state);
}

TEST(no_counter_falls_back_to_sampled_power)
{
    SETUP();
    /* gpu0: no counter -> instantaneous field; gpu1: no counter, old
     * driver rejects field 186 -> nvmlDeviceGetPowerUsage. */
    write_script("gpus=2\ntime_s=3\n"
                 "gpu0.rc.energy=3\ngpu0.power_steps=0:50000,2:75250\n"
                 "gpu1.rc.energy=3\ngpu1.rc.instant=2\n"
                 "gpu1.power_mw=61000\n");
    char why[1024];
    struct pact_sensor_env env = {"", NULL};
    T_EQ(pact_sensor_nvml.probe(&env, why, sizeof why), 2);
    T_ASSERT(strstr(why, "gpu0 Fake GPU 0: power from the instantaneous"));
    T_ASSERT(strstr(why, "gpu1 Fake GPU 1: power from "
                         "nvmlDeviceGetPowerUsage"));
    struct rig r;
    T_EQ(rig_open(&r, NULL), 12);
    T_EQ(r.ch[col(&r, "gpu0_power_w")].quantity, PACT_Q_POWER_W);
    T_EQ(r.ch[col(&r, "gpu1_power_w")].fast, 1);
    rig_read(&r, 3 * S_NS);
    T_NEAR(val(&r, "gpu0_power_w"), 75.25, 1e-9);
    T_NEAR(val(&r, "gpu1_power_w"), 61.0, 1e-9);
    T_EQ(log_count("gpu0", "instantaneous power field"), 1);
    T_EQ(log_count("gpu1", "nvmlDeviceGetPowerUsage"), 1);
    pact_sensor_nvml.close(r.state);
}

TEST(field_value_types_are_honoured)
{
    SETUP();
    struct rig r;
    for (int type = 0; type <= 3; type += 3) {
        write_script("time_s=1\ngpu0.rc.energy=3\ngpu0.power_mw=42000\n"
                     "gpu0.instant_type=%d\n", type);
        T_EQ(rig_open(&r, NULL), 6);
        rig_read(&r, S_NS);
        T_NEAR(val(&r, "gpu0_power_w"), 42.0, 1e-9);
        pact_sensor_nvml.close(r.state);
    }
}

TEST(utilisation_memory_temperature_clock)
{
    SETUP();
    write_script("gpus=2\ntime_s=1\n"
                 "gpu0.util_gpu=87\ngpu0.util_mem=41\n"
                 "gpu0.mem_used_mib=1536\ngpu0.temp_c=66\n"
                 "gpu0.sm_clock_mhz=1980\n"
                 "gpu1.util_gpu=13\ngpu1.rc.temp=3\ngpu1.rc.clock=3\n");
    struct rig r;
    T_EQ(rig_open(&r, NULL), 12);
    T_EQ(r.ch[col(&r, "gpu0_util_sm")].role, PACT_ROLE_GPU_UTIL_SM);
    T_EQ(r.ch[col(&r, "gpu0_util_mem")].role, PACT_ROLE_GPU_UTIL_MEM);
    T_EQ(r.ch[col(&r, "gpu0_util_sm")].quantity, PACT_Q_PERCENT);
    /* Utilisation is a time average: read at the edges (issue 11.7). */
    T_EQ(r.ch[col(&r, "gpu0_util_sm")].fast, 0);
    /* Not supported is per call and per GPU: gpu1 has no temp, clock. */
    T_ASSERT(col(&r, "gpu1_temp_c") < 0);
    T_ASSERT(col(&r, "gpu1_sm_clock_mhz") < 0);
    T_ASSERT(col(&r, "gpu1_mem_used_mib") >= 0);
    rig_read(&r, S_NS);
    T_NEAR(val(&r, "gpu0_util_sm"), 87, 0);
    T_NEAR(val(&r, "gpu0_util_mem"), 41, 0);
    T_NEAR(val(&r, "gpu0_mem_used_mib"), 1536, 1e-9);
    T_NEAR(val(&r, "gpu0_temp_c"), 66, 0);
    T_NEAR(val(&r, "gpu0_sm_clock_mhz"), 1980, 0);
    T_NEAR(val(&r, "gpu1_util_sm"), 13, 0);
    T_EQ(nlog, 2); /* the method line of each GPU, nothing else */
    pact_sensor_nvml.close(r.state);
}

TEST(slow_values_are_reread_at_most_every_100ms)
{
    SETUP();
    write_script("time_s=1\ngpu0.util_gpu=10\n");
    struct rig r;
    T_EQ(rig_open(&r, NULL), 7);
    rig_read(&r, S_NS);
    T_NEAR(val(&r, "gpu0_util_sm"), 10, 0);
    write_script("time_s=1.01\ngpu0.util_gpu=90\n");
    rig_read(&r, S_NS + PACT_NVML_SLOW_NS / 2);
    T_NEAR(val(&r, "gpu0_util_sm"), 10, 0); /* cached */
    T_ASSERT(!isnan(val(&r, "gpu0_power_w"))); /* power is always read */
    rig_read(&r, S_NS + PACT_NVML_SLOW_NS);
    T_NEAR(val(&r, "gpu0_util_sm"), 90, 0);
    pact_sensor_nvml.close(r.state);
}

TEST(sampled_power_beside_the_counter)
{
    SETUP();
    setenv(PACT_NVML_SAMPLED_ENV, "1", 1);
    const char *fmt = "gpus=2\ntime_s=%g\ngpu0.power_steps=0:100000,"
                      "1.5:140000\ngpu1.rc.instant=3\n";
    write_script(fmt, 1.0);
    struct rig r;
    int n = rig_open(&r, NULL);
    unsetenv(PACT_NVML_SAMPLED_ENV);
    T_EQ(n, 16);
    int c = col(&r, "gpu0_power_sampled_w");
    T_ASSERT(c >= 0);
    T_EQ(r.ch[c].quantity, PACT_Q_POWER_W);
    T_EQ(r.ch[c].role, PACT_ROLE_DETAIL_POWER); /* not summed */
    T_EQ(r.ch[c].fast, 1);
    T_EQ(r.ch[col(&r, "gpu0_power_w")].quantity, PACT_Q_ENERGY_J);
    rig_read(&r, S_NS);
    double e1 = val(&r, "gpu0_power_w");
    write_script(fmt, 2.0);
    rig_read(&r, 2 * S_NS);
    /* The counter gives the window's true mean (120 W); the sample only
     * what the reading says at the instant (140 W). */
    T_NEAR(val(&r, "gpu0_power_w") - e1, 120.0, 1e-9);
    T_NEAR(val(&r, "gpu0_power_sampled_w"), 140.0, 1e-9);
    T_NEAR(val(&r, "gpu1_power_sampled_w"), 100.0, 1e-9); /* usage */
    pact_sensor_nvml.close(r.state);
}

TEST(many_gpus_fit_the_channel_limit)
{
    SETUP();
    write_script("gpus=16\n");
    struct rig r;
    /* 16 x 7 columns do not fit in 64: memory, temperature and clock
     * go, power, energy and utilisation stay for all 16. */
    T_EQ(rig_open(&r, NULL), 64);
    T_ASSERT(has_gpu(&r, 15));
    T_ASSERT(col(&r, "gpu0_temp_c") < 0);
    T_EQ(log_count("left out to fit", NULL), 1);
    pact_sensor_nvml.close(r.state);
    /* Room for fewer: the first GPUs are kept, and a warning says so. */
    void *st;
    struct pact_channel ch[20];
    char why[512];
    struct pact_sensor_env env = {"", NULL};
    T_EQ(pact_sensor_nvml.open(&env, &st, ch, 20, why, sizeof why), 20);
    T_STREQ(ch[19].name, "gpu4_util_mem");
    T_EQ(log_count("16 GPUs but room for 5", "--gpus"), 1);
    pact_sensor_nvml.close(st);
}

/* ---- Faults ---- */

TEST(failure_mid_run_then_recovery)
{
    SETUP();
    const char *fmt = "gpus=2\ntime_s=%d\n"
                      "gpu0.power_mw=100000\ngpu1.power_mw=30000\n"
                      "gpu1.util_gpu=50\n"
                      "gpu1.fail_from_s=5\ngpu1.fail_until_s=7\n";
    struct rig r;
    write_script(fmt, 4);
    T_EQ(rig_open(&r, NULL), 14);
    double e1_4 = NAN;
    for (int t = 4; t <= 8; t++) {
        write_script(fmt, t);
        T_EQ(rig_read(&r, t * S_NS), 0); /* the run goes on */
        int failing = t == 5 || t == 6;
        T_EQ(isnan(val(&r, "gpu1_power_w")), failing);
        T_EQ(isnan(val(&r, "gpu1_util_sm")), failing);
        T_EQ(isnan(val(&r, "gpu1_temp_c")), failing);
        T_ASSERT(!isnan(val(&r, "gpu0_power_w"))); /* gpu0 unaffected */
        if (t == 4)
            e1_4 = val(&r, "gpu1_power_w");
    }
    /* The counter kept counting during the gap: no energy lost. */
    T_NEAR(val(&r, "gpu1_power_w") - e1_4, 4 * 30.0, 1e-9);
    /* One line when it started failing, one when it recovered; the
     * message is the library's own nvmlErrorString. */
    T_EQ(log_count("gpu1: read failed", "fake NVML error 999"), 1);
    T_EQ(log_count("gpu1: readings are back", NULL), 1);
    T_EQ(log_count("gpu1", NULL), 3); /* + the method line at open */
    pact_sensor_nvml.close(r.state);
}

TEST(one_call_failing_from_call_n)
{
    SETUP();
    /* Utilisation fails from the first call on: the column exists (a
     * failure is not "not supported") and stays empty, power works. */
    write_script("time_s=1\ngpu0.fail_from_call=0\ngpu0.fail_calls=util\n"
                 "gpu0.fail_rc=10\n");
    struct rig r;
    T_EQ(rig_open(&r, NULL), 7);
    for (int i = 1; i <= 3; i++) {
        rig_read(&r, i * S_NS);
        T_ASSERT(isnan(val(&r, "gpu0_util_sm")));
        T_ASSERT(!isnan(val(&r, "gpu0_power_w")));
    }
    /* Said once, at open, and not again while it keeps failing. */
    T_EQ(log_count("utilisation", "fake NVML error 10"), 1);
    T_EQ(log_count("utilisation", NULL), 1);
    pact_sensor_nvml.close(r.state);
}

TEST(gpu_lost_mid_run)
{
    SETUP();
    const char *fmt = "gpus=2\ntime_s=%g\ngpu1.lost=%d\n";
    struct rig r;
    write_script(fmt, 1.0, 0);
    T_EQ(rig_open(&r, NULL), 14);
    rig_read(&r, 1 * S_NS);
    T_ASSERT(!isnan(val(&r, "gpu1_power_w")));
    double e0 = val(&r, "gpu1_power_w");
    write_script(fmt, 2.0, 1);
    for (int k = 0; k < 5; k++) { /* 2.0 .. 2.8 s: once logged */
        T_EQ(rig_read(&r, 2 * S_NS + k * S_NS / 5), 0);
        T_ASSERT(isnan(val(&r, "gpu1_power_w")));
        T_ASSERT(isnan(val(&r, "gpu1_util_sm")));
        T_ASSERT(!isnan(val(&r, "gpu0_power_w")));
    }
    T_EQ(log_count("gpu1", "fell off the bus"), 1);
    /* The GPU comes back (reset): asked again after the retry period. */
    write_script(fmt, 3.0, 0);
    rig_read(&r, 2 * S_NS + PACT_NVML_RETRY_NS / 2);
    T_ASSERT(isnan(val(&r, "gpu1_power_w"))); /* not asked yet */
    rig_read(&r, 2 * S_NS + PACT_NVML_RETRY_NS);
    T_NEAR(val(&r, "gpu1_power_w") - e0, 2 * 100.0, 1e-9);
    T_ASSERT(!isnan(val(&r, "gpu1_util_sm")));
    T_EQ(log_count("gpu1", "answers again"), 1);
    T_EQ(log_count("gpu1", "fell off the bus"), 1);
    pact_sensor_nvml.close(r.state);
}

TEST(old_library_without_optional_symbols)
{
    SETUP();
    setenv("PACT_NVML_LIB", fake_old, 1);
    const char *fmt = "time_s=%d\ngpu0.power_mw=90000\ngpu0.lost=%d\n";
    write_script(fmt, 1, 0);
    struct rig r;
    T_EQ(rig_open(&r, NULL), 6); /* no energy_j column */
    T_EQ(r.ch[col(&r, "gpu0_power_w")].quantity, PACT_Q_POWER_W);
    T_ASSERT(strstr(r.why, "nvmlDeviceGetPowerUsage"));
    rig_read(&r, S_NS);
    T_NEAR(val(&r, "gpu0_power_w"), 90.0, 1e-9);
    write_script(fmt, 2, 1);
    rig_read(&r, 2 * S_NS);
    T_ASSERT(isnan(val(&r, "gpu0_power_w")));
    /* No nvmlErrorString in this library: our own table speaks. */
    T_EQ(log_count("fell off the bus", "GPU is lost (fell off the bus)"), 1);
    pact_sensor_nvml.close(r.state);
}

TEST(missing_library_is_a_clean_no_driver)
{
    SETUP();
    char why[512];
    struct pact_sensor_env env = {"", NULL};
    setenv("PACT_NVML_LIB", "/nonexistent/libnvidia-ml.so.1", 1);
    T_ASSERT(pact_sensor_nvml.probe(&env, why, sizeof why) < 0);
    T_ASSERT(strncmp(why, "no NVIDIA driver", 16) == 0);
    T_ASSERT(strstr(why, "PACT_NVML_LIB"));
    struct rig r;
    T_EQ(rig_open(&r, NULL), 0); /* unavailable, not an error */
    T_ASSERT(r.state == NULL);
    T_ASSERT(strncmp(r.why, "no NVIDIA driver", 16) == 0);
    pact_sensor_nvml.close(r.state);
    /* A library named in PACT_NVML_LIB that does not load is said once
     * (issue 12), not taken silently for "no GPU". */
    T_EQ(nlog, 1);

    /* Without the override the driver's sonames are tried. */
    unsetenv("PACT_NVML_LIB");
    void *real = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (real) {
        dlclose(real);
        T_SKIP("this machine has libnvidia-ml.so.1");
    }
    T_ASSERT(pact_sensor_nvml.probe(&env, why, sizeof why) < 0);
    T_STREQ(why, "no NVIDIA driver (libnvidia-ml.so.1 not found); "
                 "install the NVIDIA driver");
}

TEST(cuda_toolkit_stub_is_refused)
{
    SETUP();
    char stubs[300], lib[340], cmd[1200];
    snprintf(stubs, sizeof stubs, "%s/stubs", dir);
    snprintf(lib, sizeof lib, "%s/libnvidia-ml.so", stubs);
    mkdir(stubs, 0755);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", fake, lib);
    T_EQ(system(cmd), 0);
    setenv("PACT_NVML_LIB", lib, 1);
    write_script("gpus=1\n");
    char why[512];
    struct pact_sensor_env env = {"", NULL};
    T_ASSERT(pact_sensor_nvml.probe(&env, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "CUDA toolkit stub"));
    unlink(lib);
    rmdir(stubs);
}

TEST(driver_not_loaded_and_no_gpu)
{
    SETUP();
    char why[512];
    struct pact_sensor_env env = {"", NULL};
    write_script("init=%d\n", NVML_ERROR_DRIVER_NOT_LOADED);
    T_ASSERT(pact_sensor_nvml.probe(&env, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "no NVIDIA driver (NVML: fake NVML error 9); "
                         "load it"));
    write_script("init=%d\n", NVML_ERROR_LIB_RM_VERSION_MISMATCH);
    T_ASSERT(pact_sensor_nvml.probe(&env, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "reboot"));
    write_script("gpus=0\n");
    T_ASSERT(pact_sensor_nvml.probe(&env, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "sees no GPU"));
    struct rig r;
    T_EQ(rig_open(&r, NULL), 0);
    T_ASSERT(strstr(r.why, "sees no GPU"));
}

TEST(gpu_without_permission_is_skipped)
{
    SETUP();
    write_script("gpus=2\ngpu0.rc.handle=%d\n", NVML_ERROR_NO_PERMISSION);
    struct rig r;
    T_EQ(rig_open(&r, NULL), 7);
    T_ASSERT(col(&r, "gpu1_power_w") >= 0);
    T_ASSERT(col(&r, "gpu0_power_w") < 0);
    T_EQ(log_count("gpu0: cannot open", "permissions"), 1);
    pact_sensor_nvml.close(r.state);
}

TEST(init_once_per_open_shutdown_at_close)
{
    SETUP();
    char stats[320], buf[64];
    snprintf(stats, sizeof stats, "%s/stats", dir);
    write_script("stats=%s\n", stats);
    struct rig r;
    T_EQ(rig_open(&r, NULL), 7);
    for (int i = 1; i <= 20; i++)
        rig_read(&r, i * S_NS / 10);
    FILE *f = fopen(stats, "r");
    T_ASSERT(f && fgets(buf, sizeof buf, f));
    fclose(f);
    T_STREQ(buf, "inits=1 shutdowns=0\n");
    char why[512];
    struct pact_sensor_env env = {"", NULL};
    T_EQ(pact_sensor_nvml.probe(&env, why, sizeof why), 1);
    pact_sensor_nvml.close(r.state);
    f = fopen(stats, "r");
    T_ASSERT(f && fgets(buf, sizeof buf, f));
    fclose(f);
    T_STREQ(buf, "inits=2 shutdowns=2\n");
}

/* ---- Selection ---- */

TEST(select_with_cfg_gpus)
{
    SETUP();
    write_script("gpus=3\n");
    struct rig r;
    T_EQ(rig_open(&r, "0,2"), 14);
    T_ASSERT(has_gpu(&r, 0) && !has_gpu(&r, 1) && has_gpu(&r, 2));
    pact_sensor_nvml.close(r.state);

    T_EQ(rig_open(&r, " GPU-fa4e0001 "), 7); /* UUID prefix */
    T_ASSERT(has_gpu(&r, 1) && !has_gpu(&r, 0));
    pact_sensor_nvml.close(r.state);

    /* --gpus overrides CUDA_VISIBLE_DEVICES. */
    setenv("CUDA_VISIBLE_DEVICES", "1", 1);
    T_EQ(rig_open(&r, "2"), 7);
    T_ASSERT(has_gpu(&r, 2));
    pact_sensor_nvml.close(r.state);

    T_EQ(rig_open(&r, "none"), 0);
    T_ASSERT(strstr(r.why, "no GPU selected"));
    T_EQ(rig_open(&r, "0,5"), PACT_EBADCONFIG);
    T_ASSERT(r.state == NULL);
    T_ASSERT(strstr(r.why, "--gpus: '5' is no such GPU index"));
    T_ASSERT(strstr(r.why, "3 GPUs"));
    char why[512];
    r.cfg.gpus = "x";
    T_EQ(pact_sensor_nvml.probe(&r.env, why, sizeof why), PACT_EBADCONFIG);
}

TEST(select_with_cuda_visible_devices)
{
    SETUP();
    write_script("gpus=3\ngpu2.name=Other GPU\n");
    struct rig r;
    setenv("CUDA_VISIBLE_DEVICES", "2,0", 1);
    T_EQ(rig_open(&r, NULL), 14);
    T_ASSERT(has_gpu(&r, 0) && !has_gpu(&r, 1) && has_gpu(&r, 2));
    T_EQ(log_count("CUDA_DEVICE_ORDER=PCI_BUS_ID", NULL), 1);
    pact_sensor_nvml.close(r.state);

    setenv("CUDA_DEVICE_ORDER", "PCI_BUS_ID", 1);
    setenv("CUDA_VISIBLE_DEVICES",
           "GPU-fa4e0001-0000-0000-0000-000000000000", 1);
    log_reset();
    T_EQ(rig_open(&r, NULL), 7);
    T_ASSERT(has_gpu(&r, 1));
    T_EQ(log_count("CUDA_DEVICE_ORDER", NULL), 0);
    pact_sensor_nvml.close(r.state);

    /* As CUDA: the list ends at the first entry naming no GPU. */
    setenv("CUDA_VISIBLE_DEVICES", "1,7,2", 1);
    T_EQ(rig_open(&r, NULL), 7);
    T_ASSERT(has_gpu(&r, 1) && !has_gpu(&r, 2));
    T_EQ(log_count("'7' names no GPU", NULL), 1);
    pact_sensor_nvml.close(r.state);

    setenv("CUDA_VISIBLE_DEVICES", "", 1);
    T_EQ(rig_open(&r, NULL), 0);
    T_ASSERT(strstr(r.why, "CUDA_VISIBLE_DEVICES"));
}

TEST(mig_reported_at_parent)
{
    SETUP();
    write_script("gpus=2\ntime_s=1\ngpu1.mig=3\ngpu1.power_mw=250000\n");
    setenv("CUDA_VISIBLE_DEVICES",
           "MIG-fa4e0102-0000-0000-0000-000000000000", 1);
    struct rig r;
    T_EQ(rig_open(&r, NULL), 5); /* power, energy, mem, temp, clock */
    T_ASSERT(has_gpu(&r, 1) && !has_gpu(&r, 0));
    T_ASSERT(col(&r, "gpu1_util_sm") < 0); /* not supported with MIG */
    T_EQ(log_count("MIG instance MIG-fa4e0102", "parent gpu1"), 1);
    T_EQ(log_count("gpu1: MIG mode is on (3 instances)", NULL), 1);
    T_ASSERT(strstr(r.why, "MIG on"));
    pact_sensor_nvml.close(r.state);
}

TEST(select_parser)
{
    struct pact__nvml_id ids[3] = {
        {"GPU-aaaa1111", 0, 0}, {"GPU-aaaa2222", 1, 0}, {"MIG-bbbb", 1, 1},
    };
    int sel[2];
    char why[256];
    T_EQ(pact__nvml_select(NULL, 0, 2, ids, 3, sel, 2, why, sizeof why), 2);
    T_EQ(pact__nvml_select("1,1,0", 1, 2, ids, 3, sel, 2, why, sizeof why),
         2);
    T_EQ(sel[0], 0);
    T_EQ(sel[1], 1);
    T_EQ(pact__nvml_select("GPU-aaaa", 1, 2, ids, 3, sel, 2, why,
                           sizeof why), PACT_EBADCONFIG);
    T_ASSERT(strstr(why, "several GPUs"));
    T_EQ(pact__nvml_select("-1", 0, 2, ids, 3, sel, 2, why, sizeof why), 0);
    T_EQ(pact__nvml_select("MIG-bbbb", 0, 2, ids, 3, sel, 2, why,
                           sizeof why), 1);
    T_EQ(sel[0], 1);
    T_EQ(pact__nvml_select("", 1, 2, ids, 3, sel, 2, why, sizeof why), 2);
    T_EQ(pact__nvml_select("0,", 1, 2, ids, 3, sel, 2, why, sizeof why),
         PACT_EBADCONFIG);
    T_ASSERT(strstr(why, "empty entry"));
}

TEST(error_table_and_registry)
{
    T_STREQ(pact__nvml_code_name(NVML_ERROR_GPU_IS_LOST),
            "NVML_ERROR_GPU_IS_LOST");
    T_STREQ(pact__nvml_code_text(NVML_ERROR_NOT_SUPPORTED),
            "not supported on this GPU");
    T_STREQ(pact__nvml_code_text(12345), "unknown NVML error");
    for (int rc = 0; rc <= 29; rc++)
        T_ASSERT(strcmp(pact__nvml_code_name(rc), "NVML_ERROR_?") != 0);
    T_ASSERT(pact__sensor_find("nvml") == &pact_sensor_nvml);
    T_EQ(pact_sensor_nvml.abi, PACT_SENSOR_ABI);
}

static void cleanup(void)
{
    char p[340];
    snprintf(p, sizeof p, "%s/stats", dir);
    unlink(p);
    unlink(script);
    rmdir(dir);
}

T_MAIN(T_RUN(power_per_gpu_and_sum); T_RUN(energy_window_across_a_step);
       T_RUN(energy_counter_reset_stays_monotonic);
       T_RUN(no_counter_falls_back_to_sampled_power);
       T_RUN(field_value_types_are_honoured);
       T_RUN(utilisation_memory_temperature_clock);
       T_RUN(slow_values_are_reread_at_most_every_100ms);
       T_RUN(sampled_power_beside_the_counter);
       T_RUN(many_gpus_fit_the_channel_limit);
       T_RUN(failure_mid_run_then_recovery);
       T_RUN(one_call_failing_from_call_n); T_RUN(gpu_lost_mid_run);
       T_RUN(old_library_without_optional_symbols);
       T_RUN(missing_library_is_a_clean_no_driver);
       T_RUN(cuda_toolkit_stub_is_refused);
       T_RUN(driver_not_loaded_and_no_gpu);
       T_RUN(gpu_without_permission_is_skipped);
       T_RUN(init_once_per_open_shutdown_at_close);
       T_RUN(select_with_cfg_gpus); T_RUN(select_with_cuda_visible_devices);
       T_RUN(mig_reported_at_parent); T_RUN(select_parser);
       T_RUN(error_table_and_registry); cleanup())
