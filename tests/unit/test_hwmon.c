/* SPDX-License-Identifier: MIT */
/*
 * test_hwmon.c - the hwmon power-meter driver on fixture trees: an ACPI
 * power_meter (attributes under device/, wall power), GPU and CPU energy
 * drivers, energy preferred to power, drivers left to other PACT drivers,
 * counters that go back, files that vanish, and unreadable files.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <sys/wait.h>

#include "core/counter.h"
#include "sensors/sensor.h"
#include "sysfs_fixture.h"
#include "t.h"

extern const struct pact_sensor_ops pact_sensor_hwmon;

#define HW "sys/class/hwmon/"

static struct pact_config cfg;

static struct pact_sensor_env env_for(const char *root)
{
    memset(&cfg, 0, sizeof cfg);
    cfg.measure_period_s = 1.0;
    struct pact_sensor_env env = {.sysroot = root, .cfg = &cfg};
    return env;
}

static int find(const struct pact_channel *ch, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(ch[i].name, name) == 0)
            return i;
    return -1;
}

/* A machine with a server power meter, a Radeon, a Corsair PSU (read by
 * the PSU driver), nouveau, and a CPU energy driver with both energy and
 * power files for index 1. */
static char *machine(void)
{
    char *root = fx_root();
    fx_write(root, HW "hwmon0/device/name", "power_meter\n");
    fx_write(root, HW "hwmon0/device/power1_average", "123456789\n");
    fx_write(root, HW "hwmon0/device/power1_accuracy", "95.0%%\n");
    fx_write(root, HW "hwmon0/device/power1_average_interval", "1000\n");
    fx_write(root, HW "hwmon1/name", "amdgpu\n");
    fx_write(root, HW "hwmon1/power1_average", "35000000\n");
    fx_write(root, HW "hwmon1/power1_cap", "200000000\n");
    fx_write(root, HW "hwmon2/name", "corsair-psu\n");
    fx_write(root, HW "hwmon2/power1_input", "250000000\n");
    fx_write(root, HW "hwmon3/name", "nouveau\n");
    fx_write(root, HW "hwmon3/power1_input", "50000000\n");
    fx_write(root, HW "hwmon10/name", "zenergy\n");
    fx_write(root, HW "hwmon10/energy1_input", "1000000\n");
    fx_write(root, HW "hwmon10/power1_input", "999\n");
    fx_write(root, HW "hwmon10/power2_input", "7500000\n");
    return root;
}

TEST(finds_meters_and_roles)
{
    char *root = machine();
    struct pact_sensor_env env = env_for(root);
    char why[1024];
    int rc = pact_sensor_hwmon.probe(&env, why, sizeof why);
    printf("  probe: %d %s\n", rc, why);
    T_EQ(rc, 4);
    T_ASSERT(strstr(why, "corsair-psu skipped") != NULL);
    T_ASSERT(strstr(why, "power_meter: power1_average (wall)") != NULL);

    struct pact_channel ch[PACT_MAX_CHANNELS];
    void *st = NULL;
    int n = pact_sensor_hwmon.open(&env, &st, ch, PACT_MAX_CHANNELS, why,
                                   sizeof why);
    T_EQ(n, 4);
    int pm = find(ch, n, "hwmon_power_meter_power1_w");
    int gpu = find(ch, n, "hwmon_amdgpu_power1_w");
    int e1 = find(ch, n, "hwmon_zenergy_energy1_w");
    int p2 = find(ch, n, "hwmon_zenergy_power2_w");
    T_ASSERT(pm >= 0 && gpu >= 0 && e1 >= 0 && p2 >= 0);
    T_ASSERT(find(ch, n, "hwmon_zenergy_power1_w") < 0);
    T_EQ(ch[pm].role, PACT_ROLE_WALL_POWER);
    T_EQ(ch[pm].quantity, PACT_Q_POWER_W);
    T_EQ(ch[pm].fast, 0);
    T_NEAR(ch[pm].accuracy_pct, 5.0, 1e-9);
    T_EQ(ch[gpu].role, PACT_ROLE_NONE);
    T_EQ(ch[e1].quantity, PACT_Q_ENERGY_J);
    T_EQ(ch[p2].fast, 1);
    T_EQ(ch[p2].estimated, 0);

    struct pact_sample s[8];
    T_EQ(pact_sensor_hwmon.read(st, 0, s, n, why, sizeof why), 0);
    T_NEAR(s[pm].value, 123.456789, 1e-9);
    T_NEAR(s[gpu].value, 35.0, 1e-9);
    T_NEAR(s[p2].value, 7.5, 1e-9);
    double e_a = s[e1].value;
    /* 42 J in the next second on the energy counter. */
    fx_write(root, HW "hwmon10/energy1_input", "%d\n", 1000000 + 42000000);
    T_EQ(pact_sensor_hwmon.read(st, 1000000000, s, n, why, sizeof why), 0);
    T_NEAR((s[e1].value - e_a) / 1.0, 42.0, 1e-9);
    pact_sensor_hwmon.close(st);
    fx_free(root);
}

TEST(energy_and_power_agree)
{
    /* A meter with a power reading and one with an energy counter, fed
     * the same 42 W: both decode to it. */
    char *root = fx_root();
    fx_write(root, HW "hwmon0/name", "meter_a\n");
    fx_write(root, HW "hwmon0/power1_average", "42000000\n");
    fx_write(root, HW "hwmon1/name", "meter_b\n");
    fx_write(root, HW "hwmon1/energy1_input", "5000000000\n");
    struct pact_sensor_env env = env_for(root);
    struct pact_channel ch[8];
    struct pact_sample s[8];
    char why[512];
    void *st = NULL;
    T_EQ(pact_sensor_hwmon.open(&env, &st, ch, 8, why, sizeof why), 2);
    T_EQ(pact_sensor_hwmon.read(st, 0, s, 2, why, sizeof why), 0);
    double a = s[1].value;
    fx_write(root, HW "hwmon1/energy1_input", "5021000000\n");
    T_EQ(pact_sensor_hwmon.read(st, 500000000, s, 2, why, sizeof why), 0);
    double from_energy = (s[1].value - a) / 0.5;
    printf("  power file %.6f W, energy counter %.6f W\n", s[0].value,
           from_energy);
    T_NEAR(s[0].value, from_energy, 1e-6);
    T_NEAR(from_energy, 42.0, 1e-6);
    pact_sensor_hwmon.close(st);
    fx_free(root);
}

TEST(same_driver_twice_is_numbered)
{
    char *root = fx_root();
    fx_write(root, HW "hwmon4/name", "amdgpu\n");
    fx_write(root, HW "hwmon4/power1_average", "1000000\n");
    fx_write(root, HW "hwmon7/name", "amdgpu\n");
    fx_write(root, HW "hwmon7/power1_input", "2000000\n");
    fx_write(root, HW "hwmon9/name", "Weird Name-1\n");
    fx_write(root, HW "hwmon9/power3_input", "3000000\n");
    struct pact_sensor_env env = env_for(root);
    struct pact_channel ch[8];
    char why[512];
    void *st = NULL;
    T_EQ(pact_sensor_hwmon.open(&env, &st, ch, 8, why, sizeof why), 3);
    T_STREQ(ch[0].name, "hwmon_amdgpu0_power1_w");
    T_STREQ(ch[1].name, "hwmon_amdgpu1_power1_w");
    T_STREQ(ch[2].name, "hwmon_weird_name_1_power3_w");
    pact_sensor_hwmon.close(st);
    fx_free(root);
}

TEST(counter_back_and_file_gone)
{
    char *root = fx_root();
    fx_write(root, HW "hwmon0/name", "i915\n");
    fx_write(root, HW "hwmon0/energy1_input", "900000000\n");
    fx_write(root, HW "hwmon1/name", "meter\n");
    fx_write(root, HW "hwmon1/power1_input", "10000000\n");
    struct pact_sensor_env env = env_for(root);
    struct pact_channel ch[8];
    struct pact_sample s[8];
    char why[512];
    void *st = NULL;
    T_EQ(pact_sensor_hwmon.open(&env, &st, ch, 8, why, sizeof why), 2);
    T_EQ(pact_sensor_hwmon.read(st, 0, s, 2, why, sizeof why), 0);
    double e0 = s[0].value;
    /* Driver reload: the counter starts again.  The driver reports the
     * raw counter (900 J, then 0.001 J); the core's counter helper
     * (core/counter.h) makes that window a reset, never a negative or a
     * huge value, and the next window exact. */
    T_NEAR(e0, 900.0, 1e-9);
    fx_write(root, HW "hwmon0/energy1_input", "1000\n");
    T_EQ(pact_sensor_hwmon.read(st, 1, s, 2, why, sizeof why), 0);
    T_ASSERT(s[0].ok && s[1].ok);
    T_NEAR(s[0].value, 0.001, 1e-12);
    struct pact__counter c = {0};
    struct pact__counter_spec sp = {0, 2000, 0};
    double d = 0, dt = 0;
    T_EQ(pact__counter_step(&c, &sp, 1, e0, 1000000000, &d, &dt),
         PACT__CTR_BASELINE);
    T_EQ(pact__counter_step(&c, &sp, 1, s[0].value, 2000000000, &d, &dt),
         PACT__CTR_RESET);
    fx_write(root, HW "hwmon0/energy1_input", "%d\n", 1000 + 42000000);
    T_EQ(pact_sensor_hwmon.read(st, 2, s, 2, why, sizeof why), 0);
    T_ASSERT(s[0].ok);
    T_EQ(pact__counter_step(&c, &sp, 1, s[0].value, 3000000000, &d, &dt),
         PACT__CTR_DELTA);
    T_NEAR(d / dt, 42.0, 1e-9); /* the reset window not added */

    /* The meter disappears: its cell is empty, the rest goes on; both
     * gone: the read fails with the reason; back: readings resume. */
    fx_rm(root, HW "hwmon1");
    T_EQ(pact_sensor_hwmon.read(st, 3, s, 2, why, sizeof why), 0);
    T_ASSERT(s[0].ok && !s[1].ok && isnan(s[1].value));
    fx_rm(root, HW "hwmon0");
    int rc = pact_sensor_hwmon.read(st, 4, s, 2, why, sizeof why);
    printf("  all gone: %d %s\n", rc, why);
    T_EQ(rc, -ENOENT);
    fx_write(root, HW "hwmon1/power1_input", "11000000\n");
    T_EQ(pact_sensor_hwmon.read(st, 5, s, 2, why, sizeof why), 0);
    T_ASSERT(s[1].ok);
    T_NEAR(s[1].value, 11.0, 1e-9);
    pact_sensor_hwmon.close(st);
    fx_free(root);
}

TEST(none_found)
{
    char *root = fx_root();
    fx_write(root, HW "hwmon0/name", "k10temp\n");
    fx_write(root, HW "hwmon0/temp1_input", "45000\n");
    fx_write(root, HW "hwmon1/name", "corsair-psu\n");
    fx_write(root, HW "hwmon1/power1_input", "1000000\n");
    struct pact_sensor_env env = env_for(root);
    char why[1024];
    int rc = pact_sensor_hwmon.probe(&env, why, sizeof why);
    printf("  %s\n", why);
    T_EQ(rc, -ENODEV);
    T_ASSERT(strstr(why, "corsair-psu skipped") &&
             strstr(why, "no hwmon device with power"));
    struct pact_channel ch[8];
    void *st = NULL;
    T_EQ(pact_sensor_hwmon.open(&env, &st, ch, 8, why, sizeof why), 0);
    pact_sensor_hwmon.close(st);
    fx_rm(root, HW);
    T_EQ(pact_sensor_hwmon.probe(&env, why, sizeof why), -ENODEV);
    fx_free(root);
}

TEST(unreadable_energy_unprivileged)
{
    if (geteuid() != 0)
        T_SKIP("needs root to create the fixture and drop to uid 65534");
    char *root = fx_root();
    fx_write(root, HW "hwmon0/name", "amd_energy\n");
    fx_write(root, HW "hwmon0/energy1_input", "5\n");
    fx_chmod(root, HW "hwmon0/energy1_input", 0400);
    int pfd[2];
    T_ASSERT(pipe(pfd) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        char out[2048] = "SKIP cannot drop privileges";
        if (setgid(65534) == 0 && setuid(65534) == 0) {
            struct pact_sensor_env env = env_for(root);
            char why[1024], rwhy[512] = "";
            struct pact_channel ch[8];
            struct pact_sample s[8];
            void *st = NULL;
            int pr = pact_sensor_hwmon.probe(&env, why, sizeof why);
            int n = pact_sensor_hwmon.open(&env, &st, ch, 8, why, sizeof why);
            int r = pact_sensor_hwmon.read(st, 0, s, n, rwhy, sizeof rwhy);
            snprintf(out, sizeof out, "probe=%d n=%d read=%d ok=%d\n%s\n%s", pr,
                     n, r, s[0].ok, why, rwhy);
            pact_sensor_hwmon.close(st);
        }
        ssize_t w = write(pfd[1], out, strlen(out));
        (void)w;
        _exit(0);
    }
    close(pfd[1]);
    char rep[4096];
    ssize_t got = read(pfd[0], rep, sizeof rep - 1);
    rep[got > 0 ? got : 0] = '\0';
    close(pfd[0]);
    waitpid(pid, NULL, 0);
    printf("  child: %s\n", rep);
    fx_free(root);
    if (strncmp(rep, "SKIP", 4) == 0)
        T_SKIP(rep);
    T_ASSERT(strstr(rep, "probe=1 n=1 read=-13 ok=0") != NULL);
    T_ASSERT(strstr(rep, "Permission denied (root-only") != NULL);
    /* The read's one line carries the fix too. */
    T_ASSERT(strstr(strstr(rep, "hwmon: "), "run as root") != NULL);
}

T_MAIN(T_RUN(finds_meters_and_roles); T_RUN(energy_and_power_agree);
       T_RUN(same_driver_twice_is_numbered); T_RUN(counter_back_and_file_gone);
       T_RUN(none_found); T_RUN(unreadable_energy_unprivileged))
