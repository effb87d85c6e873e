/* SPDX-License-Identifier: MIT */
/*
 * test_psu_driver.c - the PSU sensor drivers (psu_corsair, psu_nzxt)
 * through their ops tables, against the real emulator process
 * (build/pact-psu-emu) on a Unix socket: values from the state file, a
 * change followed, round trips per sample, every fault switch empties the
 * affected reads only and the driver recovers (reconnecting after an
 * unplug), NZXT busy retries, auto identification, clean SIGTERM.  Also
 * sysfs fixtures: hidraw discovery, the corsair-psu hwmon path, EACCES.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hid/corsair_models.h"
#include "hid/discover.h"
#include "hid/nzxt.h"
#include "hid/psu_link.h"
#include "hid/transport.h"
#include "pact/pact.h"
#include "sensors/psu.h"
#include "t.h"

static char dir[64], sock[128], statef[128], spec[160], emulog[128];
static pid_t emu_pid;

/* ---- Log capture ---- */

static char logs[32][512];
static int nlogs;

static void on_log(int level, const char *msg, void *user)
{
    (void)level;
    (void)user;
    if (nlogs < 32)
        snprintf(logs[nlogs++], sizeof logs[0], "%s", msg);
}

static int logs_with(const char *needle)
{
    int n = 0;
    for (int i = 0; i < nlogs; i++)
        n += strstr(logs[i], needle) != NULL;
    return n;
}

/* ---- The emulator process ---- */

static void state(const char *fmt, ...)
{
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s.new", statef);
    FILE *f = fopen(tmp, "w");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
    rename(tmp, statef); /* the emulator never sees half a file */
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    nanosleep(&ts, NULL);
}

static int emu_start(const char *model)
{
    const char *b = getenv("PACT_TEST_BUILD");
    char exe[256];
    snprintf(exe, sizeof exe, "%s/pact-psu-emu", b && *b ? b : "build");
    if (access(exe, X_OK) != 0)
        return -ENOENT;
    unlink(sock);
    emu_pid = fork();
    if (emu_pid == 0) {
        int fd = open(emulog, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 2);
        execl(exe, exe, "--model", model, "--listen", sock, "--state", statef,
              (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        if (access(sock, F_OK) == 0)
            return 0;
        sleep_ms(10);
    }
    return -ETIMEDOUT;
}

/* SIGTERM; returns the exit status (0 = clean). */
static int emu_stop(void)
{
    if (emu_pid <= 0)
        return -1;
    kill(emu_pid, SIGTERM);
    int st = 0;
    waitpid(emu_pid, &st, 0);
    emu_pid = 0;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- Driver helpers ---- */

struct drv {
    const struct pact_sensor_ops *ops;
    void *st;
    struct pact_channel ch[PACT_MAX_CHANNELS];
    struct pact_sample s[PACT_MAX_CHANNELS];
    int n;
    char why[1024];
};

static int drv_open(struct drv *d, const struct pact_sensor_ops *ops,
                    const char *psu, const char *dev, int detail,
                    const char *sysroot)
{
    static struct pact_config cfg;
    pact_config_init(&cfg);
    cfg.psu = psu;
    cfg.psu_device = dev;
    cfg.psu_detail = detail;
    struct pact_sensor_env env = {.sysroot = sysroot ? sysroot : "",
                                  .cfg = &cfg};
    memset(d, 0, sizeof *d);
    d->ops = ops;
    d->n = ops->open(&env, &d->st, d->ch, PACT_MAX_CHANNELS, d->why,
                     sizeof d->why);
    return d->n;
}

static int drv_read(struct drv *d)
{
    d->why[0] = '\0';
    return d->ops->read(d->st, 0, d->s, d->n, d->why, sizeof d->why);
}

static int idx(const struct drv *d, const char *name)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->ch[i].name, name) == 0)
            return i;
    return -1;
}

/* Value of channel name if ok, else NAN. */
static double val(const struct drv *d, const char *name)
{
    int i = idx(d, name);
    return i >= 0 && d->s[i].ok ? d->s[i].value : NAN;
}

static int none_ok(const struct drv *d)
{
    for (int i = 0; i < d->n; i++)
        if (d->s[i].ok)
            return 0;
    return 1;
}

#define NEED_EMU(model)                                                   \
    do {                                                                  \
        int r_ = emu_start(model);                                        \
        if (r_ == -ENOENT)                                                \
            T_FAIL_("build/pact-psu-emu is missing: make builds it");   \
        T_EQ(r_, 0);                                                      \
    } while (0)

/* ---- Corsair over HID (emulator) ---- */

TEST(corsair_default_row_two_round_trips)
{
    state("output_power_w=250\ninput_voltage_v=230\n");
    NEED_EMU("hx1500i");
    struct drv d;
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "Corsair_1500i", spec, 0,
                  NULL), 3);
    int out = idx(&d, "psu_output_w"), est = idx(&d, "psu_input_estimated_w");
    T_EQ(out, 0);
    T_EQ(d.ch[out].quantity, PACT_Q_POWER_W);
    T_EQ(d.ch[out].role, PACT_ROLE_PSU_TOTAL);
    T_EQ(d.ch[out].estimated, 0);
    T_EQ(d.ch[idx(&d, "psu_input_voltage_v")].quantity, PACT_Q_VALUE);
    T_EQ(d.ch[est].role, PACT_ROLE_WALL_POWER);
    T_EQ(d.ch[est].estimated, 1);
    uint64_t before = pact__hid_round_trips_total();
    for (int i = 0; i < 5; i++)
        T_EQ(drv_read(&d), 0);
    T_EQ(pact__hid_round_trips_total() - before, 10); /* 2 per sample */
    T_NEAR(val(&d, "psu_output_w"), 250, 0);
    T_NEAR(val(&d, "psu_input_voltage_v"), 230, 0);
    /* HX1500i at 230 V: liquidctl's 230 V quadratic (corsair-hid-psu.md
     * section 10) at 250 W, evaluated by /usr/bin/python3:
     * 4.634428233657273e-5 * 250^2 + 1.0183515407387007 * 250
     * + 16.559644350684962 = 274.0440471813959 W.  The 115 V curve would
     * give 275.2458 W. */
    T_NEAR(val(&d, "psu_input_estimated_w"), 274.0440471813959, 1e-9);

    /* The state file changes: the next read follows, quantised as the
     * PSU quantises (2 W steps for 0xEE, 0.5 V for 0x88). */
    state("output_power_w=613.3\ninput_voltage_v=118.2\n");
    T_EQ(drv_read(&d), 0);
    T_NEAR(val(&d, "psu_output_w"), 614, 0);
    T_NEAR(val(&d, "psu_input_voltage_v"), 118, 0);
    d.ops->close(d.st);
    T_EQ(emu_stop(), 0);
    T_ASSERT(access(sock, F_OK) != 0); /* socket removed on SIGTERM */
}

TEST(corsair_faults_empty_affected_reads_and_recover)
{
    state("output_power_w=300\n");
    NEED_EMU("hx1000i-2022");
    struct drv d;
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "corsair", spec, 0, NULL), 3);
    nlogs = 0;
    pact_set_log(on_log, NULL);
    static const struct {
        const char *fault, *why;
    } f[] = {
        {"no_reply", "no reply"},
        {"wrong_echo", "another program"},
        {"garbage", "do not match"},
        {"disconnect", "unplugged"},
    };
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
        T_EQ(drv_read(&d), 0);
        T_NEAR(val(&d, "psu_output_w"), 300 + 2 * (double)i, 0);
        state("fault=%s\noutput_power_w=%zu\n", f[i].fault, 400 + 2 * i);
        T_ASSERT(drv_read(&d) < 0);
        T_ASSERT(none_ok(&d));
        if (!strstr(d.why, f[i].why))
            T_FAIL_("fault %s: why '%s' lacks '%s'", f[i].fault, d.why,
                    f[i].why);
        T_ASSERT(drv_read(&d) < 0); /* still failing, still no zeros */
        T_ASSERT(none_ok(&d));
        state("output_power_w=%zu\n", 302 + 2 * i);
        T_EQ(drv_read(&d), 0); /* recovered (reconnected if unplugged) */
        T_NEAR(val(&d, "psu_output_w"), 302 + 2 * (double)i, 0);
        state("output_power_w=%zu\n", 302 + 2 * i);
    }
    /* Whole-device failures are the tracker's to log (from why); the
     * driver itself said nothing. */
    T_EQ(nlogs, 0);

    /* Another program polling the PSU as well: its replies reach us too
     * (hidraw); skipped, readings right, reported once. */
    state("output_power_w=410\nstray_replies=2\n");
    for (int i = 0; i < 3; i++) {
        T_EQ(drv_read(&d), 0);
        T_NEAR(val(&d, "psu_output_w"), 410, 0);
        T_NEAR(val(&d, "psu_input_voltage_v"), 230, 0);
    }
    T_EQ(nlogs, 1);
    T_EQ(logs_with("another program"), 1);
    nlogs = 0;

    /* A fault on one command: only the cells it feeds go empty, and the
     * driver logs it once, then once when it answers again. */
    state("output_power_w=500\nfault=no_reply\nfault_cmd=88\n");
    for (int i = 0; i < 3; i++) {
        T_EQ(drv_read(&d), 0);
        T_NEAR(val(&d, "psu_output_w"), 500, 0);
        T_ASSERT(isnan(val(&d, "psu_input_voltage_v")));
        T_ASSERT(isnan(val(&d, "psu_input_estimated_w")));
    }
    T_EQ(nlogs, 1);
    T_EQ(logs_with("no reply"), 1);
    state("output_power_w=500\n");
    T_EQ(drv_read(&d), 0);
    T_NEAR(val(&d, "psu_input_voltage_v"), 230, 0);
    T_ASSERT(!isnan(val(&d, "psu_input_estimated_w")));
    T_EQ(nlogs, 2);
    T_EQ(logs_with("answering again"), 1);
    pact_set_log(NULL, NULL);
    d.ops->close(d.st);
    T_EQ(emu_stop(), 0);
}

TEST(corsair_reinitialises_after_power_cycle)
{
    state("output_power_w=120\npower_cycle=0\n");
    NEED_EMU("rm1000i");
    struct drv d;
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "corsair", spec, 0, NULL), 3);
    T_EQ(drv_read(&d), 0);
    state("output_power_w=122\npower_cycle=1\n");
    uint64_t before = pact__hid_round_trips_total();
    T_EQ(drv_read(&d), 0);
    T_NEAR(val(&d, "psu_output_w"), 122, 0);
    /* 03 EE -> 03 FE, FE 03, 03 EE, 03 88 */
    T_EQ(pact__hid_round_trips_total() - before, 4);
    /* fault=busy: the controller loses its init (corsair-hid-psu.md
     * sec. 4, the only "not ready" the protocol knows); the same read
     * re-initialises and goes on. */
    state("output_power_w=124\npower_cycle=1\nfault=busy\n");
    before = pact__hid_round_trips_total();
    T_EQ(drv_read(&d), 0);
    T_NEAR(val(&d, "psu_output_w"), 124, 0);
    T_EQ(pact__hid_round_trips_total() - before, 4);
    d.ops->close(d.st);
    T_EQ(emu_stop(), 0);
}

TEST(corsair_detail_rails_temps_fan)
{
    state("output_power_w=140\nrail12v_voltage_v=12.1\nrail12v_current_a=20"
          "\nrail12v_power_w=242\nrail5v_voltage_v=5.05\nrail5v_current_a=3"
          "\nrail5v_power_w=15.2\nrail3v3_voltage_v=3.31\n"
          "rail3v3_current_a=1.25\nrail3v3_power_w=4.1\ntemp1_c=41.3\n"
          "temp2_c=33.8\nfan_rpm=640\n");
    NEED_EMU("rm750i");
    struct drv d;
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "corsair", spec, 1, NULL),
         15);
    uint64_t before = pact__hid_round_trips_total();
    T_EQ(drv_read(&d), 0);
    T_EQ(pact__hid_round_trips_total() - before, 18);
    T_EQ(d.ch[idx(&d, "psu_12v_power_w")].role, PACT_ROLE_DETAIL_POWER);
    T_NEAR(val(&d, "psu_12v_voltage_v"), 12.1, 1.0 / 128);
    T_NEAR(val(&d, "psu_12v_current_a"), 20, 0.125);
    T_NEAR(val(&d, "psu_12v_power_w"), 242, 1);
    T_NEAR(val(&d, "psu_5v_voltage_v"), 5.05, 1.0 / 128);
    T_NEAR(val(&d, "psu_5v_current_a"), 3, 1.0 / 32);
    T_NEAR(val(&d, "psu_5v_power_w"), 15.2, 0.25);
    T_NEAR(val(&d, "psu_3v3_voltage_v"), 3.31, 1.0 / 128);
    T_NEAR(val(&d, "psu_3v3_current_a"), 1.25, 1.0 / 32);
    T_NEAR(val(&d, "psu_3v3_power_w"), 4.1, 0.25);
    T_NEAR(val(&d, "psu_vrm_temp_c"), 41.3, 0.125);
    T_NEAR(val(&d, "psu_case_temp_c"), 33.8, 0.125);
    T_NEAR(val(&d, "psu_fan_rpm"), 640, 0.5);
    d.ops->close(d.st);
    T_EQ(emu_stop(), 0);
    /* The reader never sent a configuration write. */
    char log[512] = "";
    FILE *f = fopen(emulog, "r");
    T_ASSERT(f);
    size_t n = fread(log, 1, sizeof log - 1, f);
    log[n] = '\0';
    fclose(f);
    T_ASSERT(strstr(log, " 0 configuration writes refused") != NULL);
    T_ASSERT(strstr(log, " 0 malformed") != NULL);
}

/* Another program selects its own rail between our select and our reads
 * (corsair-hid-psu.md sec. 6): no rail's cells may carry another rail's
 * readings.  page_race=2: every second select is raced, so one retry per
 * rail gets true values; page_race=1: every select is raced, so the rail
 * cells stay empty, and one line says why. */
TEST(corsair_rail_page_race_with_another_program)
{
    state("rail12v_voltage_v=12.1\nrail12v_power_w=242\n"
          "rail5v_voltage_v=5.05\nrail5v_power_w=15.2\n"
          "rail3v3_voltage_v=3.31\nrail3v3_power_w=4.1\npage_race=2\n");
    NEED_EMU("rm750i");
    struct drv d;
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "corsair", spec, 1, NULL),
         15);
    nlogs = 0;
    pact_set_log(on_log, NULL);
    for (int i = 0; i < 3; i++) {
        drv_read(&d);
        T_NEAR(val(&d, "psu_12v_voltage_v"), 12.1, 1.0 / 128);
        T_NEAR(val(&d, "psu_12v_power_w"), 242, 1);
        T_NEAR(val(&d, "psu_5v_voltage_v"), 5.05, 1.0 / 128);
        T_NEAR(val(&d, "psu_5v_power_w"), 15.2, 0.25);
        T_NEAR(val(&d, "psu_3v3_voltage_v"), 3.31, 1.0 / 128);
        T_NEAR(val(&d, "psu_3v3_power_w"), 4.1, 0.25);
    }
    state("rail12v_voltage_v=12.1\nrail12v_power_w=242\n"
          "rail5v_voltage_v=5.05\nrail5v_power_w=15.2\n"
          "rail3v3_voltage_v=3.31\nrail3v3_power_w=4.1\npage_race=1\n");
    for (int i = 0; i < 3; i++) {
        drv_read(&d);
        T_NEAR(val(&d, "psu_output_w"), 140, 0); /* not paged: kept */
        T_ASSERT(isnan(val(&d, "psu_12v_power_w")));
        T_ASSERT(isnan(val(&d, "psu_5v_power_w")));
        T_ASSERT(isnan(val(&d, "psu_3v3_power_w")));
        T_ASSERT(isnan(val(&d, "psu_12v_voltage_v")));
    }
    T_EQ(logs_with("another program changed the rail page"), 1);
    pact_set_log(NULL, NULL);
    d.ops->close(d.st);
    T_EQ(emu_stop(), 0);
}

/* ---- NZXT ---- */

TEST(nzxt_rails_sum_and_busy_retries)
{
    state("rail12v_peripheral_power_w=40.5\nrail12v_eps_power_w=120.25\n"
          "rail12v_pcie_power_w=11.1875\nrail5v_power_w=9\n"
          "rail3v3_power_w=4.75\n");
    NEED_EMU("e850");
    struct drv d;
    T_EQ(drv_open(&d, &pact_sensor_psu_nzxt, "NZXT_850", spec, 0, NULL), 6);
    T_EQ(d.ch[0].role, PACT_ROLE_PSU_TOTAL);
    static const char *rails[5] = {
        "psu_12v_peripheral_power_w", "psu_12v_eps_power_w",
        "psu_12v_pcie_power_w", "psu_5v_power_w", "psu_3v3_power_w"};
    static const double w[5] = {40.5, 120.25, 11.1875, 9, 4.75};
    uint64_t before = pact__hid_round_trips_total();
    T_EQ(drv_read(&d), 0);
    T_EQ(pact__hid_round_trips_total() - before, 5);
    double sum = 0;
    for (int p = 0; p < 5; p++) {
        T_EQ(d.ch[idx(&d, rails[p])].role, PACT_ROLE_DETAIL_POWER);
        T_NEAR(val(&d, rails[p]), w[p], 0);
        sum += val(&d, rails[p]);
    }
    T_NEAR(val(&d, "psu_output_w"), sum, 0);
    T_NEAR(sum, 185.6875, 0);

    /* Two busy replies per request: retried, still a full row. */
    state("busy_replies=2\nrail12v_peripheral_power_w=50\n");
    before = pact__hid_round_trips_total();
    T_EQ(drv_read(&d), 0);
    T_EQ(pact__hid_round_trips_total() - before, 15);
    T_NEAR(val(&d, "psu_12v_peripheral_power_w"), 50, 0);
    T_ASSERT(!isnan(val(&d, "psu_output_w")));

    /* Another program's replies skipped, reported once. */
    nlogs = 0;
    pact_set_log(on_log, NULL);
    state("stray_replies=1\nrail5v_power_w=7\n");
    T_EQ(drv_read(&d), 0);
    T_EQ(drv_read(&d), 0);
    T_NEAR(val(&d, "psu_5v_power_w"), 7, 0);
    T_EQ(logs_with("another program"), 1);
    pact_set_log(NULL, NULL);

    /* Faults: empty while set, back after. */
    static const char *faults[] = {"busy", "wrong_echo", "garbage",
                                   "no_reply", "disconnect"};
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++) {
        state("fault=%s\n", faults[i]);
        T_ASSERT(drv_read(&d) < 0);
        T_ASSERT(none_ok(&d));
        state("rail5v_power_w=%zu\n", 10 + i);
        T_EQ(drv_read(&d), 0);
        T_NEAR(val(&d, "psu_5v_power_w"), 10 + (double)i, 0);
    }
    /* One page failing: its cell and the total empty, the rest kept. */
    state("fault=busy\nfault_cmd=96\n");
    T_ASSERT(drv_read(&d) < 0);
    state("\n");
    nlogs = 0;
    pact_set_log(on_log, NULL);
    state("rail12v_eps_power_w=0\nrail12v_peripheral_power_w=0\n"
          "rail12v_pcie_power_w=0\nrail5v_power_w=0\nrail3v3_power_w=0\n");
    T_EQ(drv_read(&d), 0);
    T_EQ(drv_read(&d), 0);
    /* All five at 0 W (liquidctl #96): rails kept, total not trusted. */
    T_NEAR(val(&d, "psu_5v_power_w"), 0, 0);
    T_ASSERT(isnan(val(&d, "psu_output_w")));
    T_EQ(logs_with("0 W on all five"), 1);
    pact_set_log(NULL, NULL);
    d.ops->close(d.st);
    T_EQ(emu_stop(), 0);
}

TEST(nzxt_detail)
{
    state("rail12v_pcie_voltage_v=12.0390625\nrail12v_pcie_current_a=0.921875"
          "\ntemp2_c=51\nfan_rpm=0\n");
    NEED_EMU("e500");
    struct drv d;
    T_EQ(drv_open(&d, &pact_sensor_psu_nzxt, "nzxt", spec, 1, NULL), 18);
    uint64_t before = pact__hid_round_trips_total();
    T_EQ(drv_read(&d), 0);
    /* 5 POUT + 5 VOUT_MODE (first time) + 5 VOUT + 5 IOUT + temp + fan */
    T_EQ(pact__hid_round_trips_total() - before, 22);
    T_NEAR(val(&d, "psu_12v_pcie_voltage_v"), 12.0390625, 0);
    T_NEAR(val(&d, "psu_12v_pcie_current_a"), 0.921875, 0);
    T_NEAR(val(&d, "psu_case_temp_c"), 51, 0);
    T_NEAR(val(&d, "psu_fan_rpm"), 0, 0);
    before = pact__hid_round_trips_total();
    T_EQ(drv_read(&d), 0);
    T_EQ(pact__hid_round_trips_total() - before, 17); /* modes cached */
    d.ops->close(d.st);
    T_EQ(emu_stop(), 0);
}

/* ---- Selection ---- */

TEST(auto_identifies_the_forced_device)
{
    state("\n");
    NEED_EMU("e650");
    struct drv d;
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "auto", spec, 0, NULL), 0);
    T_ASSERT(strstr(d.why, "Corsair") != NULL);
    T_EQ(drv_open(&d, &pact_sensor_psu_nzxt, "auto", spec, 0, NULL), 6);
    d.ops->close(d.st);
    T_EQ(drv_open(&d, &pact_sensor_psu_nzxt, "corsair", spec, 0, NULL), 0);
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "none", spec, 0, NULL), 0);
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "psu9000", spec, 0, NULL),
         PACT_EBADCONFIG);
    T_EQ(emu_stop(), 0);

    NEED_EMU("hx850i");
    T_EQ(drv_open(&d, &pact_sensor_psu_nzxt, "auto", spec, 0, NULL), 0);
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "auto", spec, 0, NULL), 3);
    d.ops->close(d.st);
    char why[512];
    struct pact_config cfg;
    pact_config_init(&cfg);
    cfg.psu_device = spec;
    struct pact_sensor_env env = {.sysroot = "", .cfg = &cfg};
    T_EQ(pact_sensor_psu_corsair.probe(&env, why, sizeof why), 1);
    T_EQ(pact_sensor_psu_nzxt.probe(&env, why, sizeof why), 0);
    T_EQ(emu_stop(), 0);

    /* A named device that is not there stops the run, saying why. */
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "corsair", spec, 0, NULL),
         PACT_EBADCONFIG);
    T_ASSERT(strstr(d.why, "start the emulator") != NULL);
    T_EQ(drv_open(&d, &pact_sensor_psu_nzxt, "auto", spec, 0, NULL),
         PACT_EBADCONFIG);
}

/* ---- sysfs fixtures ---- */

static void put_file(const char *root, const char *rel, const char *text)
{
    char p[512], cmd[600];
    snprintf(p, sizeof p, "%s%s", root, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", p);
    if (system(cmd) != 0)
        return;
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(hidraw_discovery_by_ids)
{
    char root[128];
    snprintf(root, sizeof root, "%s/sysA", dir);
    put_file(root, "/sys/class/hidraw/hidraw0/device/uevent",
             "DRIVER=hid-generic\nHID_ID=0003:0000046D:0000C52B\n"
             "HID_NAME=Logitech USB Receiver\n");
    put_file(root, "/sys/class/hidraw/hidraw7/device/uevent",
             "DRIVER=hid-generic\nHID_ID=0003:00001B1C:00001C1F\n"
             "HID_NAME=Corsair HX1500i\nMODALIAS=hid:b0003g0001v00001B1Cp00001C1F\n");
    put_file(root, "/sys/class/hidraw/hidraw3/device/uevent",
             "HID_ID=0003:00007793:00002500\n");
    put_file(root, "/sys/class/hidraw/hidraw4/device/uevent",
             "HID_ID=0005:00001B1C:00001C1F\n"); /* Bluetooth: not ours */
    put_file(root, "/sys/class/hidraw/hidraw5/device/uevent",
             "HID_ID=0003:00001B1C:00001B2D\n"); /* a Corsair keyboard */
    int n;
    const uint16_t *pids = pact__corsair_pids(&n);
    struct pact__hid_dev dev[4];
    T_EQ(pact__hid_scan(root, 0x1B1C, pids, n, dev, 4), 1);
    T_STREQ(dev[0].spec, "/dev/hidraw7");
    T_EQ(dev[0].pid, 0x1C1F);
    pids = pact__nzxt_pids(&n);
    T_EQ(pact__hid_scan(root, 0x7793, pids, n, dev, 4), 1);
    T_STREQ(dev[0].spec, "/dev/hidraw3");
    uint16_t vid, pid;
    T_EQ(pact__hid_node_ids(root, "/dev/hidraw7", &vid, &pid), 0);
    T_EQ(vid, 0x1B1C);
    T_EQ(pid, 0x1C1F);
    struct pact__psu_id id;
    T_EQ(pact__psu_identify("/dev/hidraw3", root, &id), 0);
    T_EQ(id.family, PACT_EMU_NZXT);

    /* Found in sysfs but no node: probe says so. */
    struct pact_config cfg;
    pact_config_init(&cfg);
    struct pact_sensor_env env = {.sysroot = root, .cfg = &cfg};
    char why[1024];
    T_ASSERT(pact_sensor_psu_corsair.probe(&env, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "/dev/hidraw7") != NULL);

    /* A node only root may open: the unprivileged user is told the rule.
     * (Checked in a child that drops to nobody.) */
    put_file(root, "/dev/hidraw7", "");
    char node[256];
    snprintf(node, sizeof node, "%s/dev/hidraw7", root);
    chmod(node, 0600);
    int fds[2];
    T_ASSERT(pipe(fds) == 0);
    pid_t p = fork();
    if (p == 0) {
        close(fds[0]);
        char w[1024] = "";
        if (setgid(65534) == 0 && setuid(65534) == 0)
            pact_sensor_psu_corsair.probe(&env, w, sizeof w);
        else
            snprintf(w, sizeof w, "SKIP");
        if (write(fds[1], w, strlen(w)) < 0)
            _exit(1);
        _exit(0);
    }
    close(fds[1]);
    char w[1024] = "";
    ssize_t got = read(fds[0], w, sizeof w - 1);
    close(fds[0]);
    waitpid(p, NULL, 0);
    T_ASSERT(got > 0);
    w[got] = '\0';
    if (strcmp(w, "SKIP") == 0)
        T_SKIP("cannot drop to uid 65534 (not root)");
    T_ASSERT(strstr(w, "permission denied on /dev/hidraw7") != NULL);
    T_ASSERT(strstr(w, "ATTRS{idVendor}==\"1b1c\", "
                       "ATTRS{idProduct}==\"1c1f\"") != NULL);
    T_ASSERT(strstr(w, "udevadm trigger") != NULL);
}

TEST(corsair_hwmon_when_kernel_driver_bound)
{
    char root[128];
    snprintf(root, sizeof root, "%s/sysB", dir);
    const char *h = "/sys/class/hwmon/hwmon2";
    char p[256];
    put_file(root, "/sys/class/hwmon/hwmon0/name", "acpitz\n");
    static const char *const attrs[][2] = {
        {"name", "corsairpsu\n"},       {"power1_input", "140000000\n"},
        {"in0_input", "230000\n"},      {"in1_input", "11984\n"},
        {"curr2_input", "10750\n"},     {"power2_input", "124000000\n"},
        {"in2_input", "5015\n"},        {"curr3_input", "1687\n"},
        {"power3_input", "8000000\n"},  {"in3_input", "3296\n"},
        {"curr4_input", "562\n"},       {"power4_input", "1500000\n"},
        {"temp1_input", "33500\n"},     {"temp2_input", "26500\n"},
        {"fan1_input", "968\n"},
        {"device/uevent", "HID_ID=0003:00001B1C:00001C1F\n"},
    };
    for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
        snprintf(p, sizeof p, "%s/%s", h, attrs[i][0]);
        put_file(root, p, attrs[i][1]);
    }
    struct drv d;
    char why[1024];
    struct pact_config cfg;
    pact_config_init(&cfg);
    struct pact_sensor_env env = {.sysroot = root, .cfg = &cfg};
    T_EQ(pact_sensor_psu_corsair.probe(&env, why, sizeof why), 1);
    T_ASSERT(strstr(why, "corsair-psu driver bound") != NULL);
    T_ASSERT(strstr(why, "hwmon2") != NULL);
    T_ASSERT(strstr(why, "HX1500i") != NULL);
    nlogs = 0;
    pact_set_log(on_log, NULL);
    T_EQ(drv_open(&d, &pact_sensor_psu_corsair, "auto", NULL, 1, root), 15);
    T_EQ(logs_with("hwmon"), 1);
    uint64_t before = pact__hid_round_trips_total();
    T_EQ(drv_read(&d), 0);
    T_EQ(pact__hid_round_trips_total() - before, 0);
    T_NEAR(val(&d, "psu_output_w"), 140, 1e-9);
    T_NEAR(val(&d, "psu_input_voltage_v"), 230, 1e-9);
    T_NEAR(val(&d, "psu_12v_voltage_v"), 11.984, 1e-9);
    T_NEAR(val(&d, "psu_5v_current_a"), 1.687, 1e-9);
    T_NEAR(val(&d, "psu_3v3_power_w"), 1.5, 1e-9);
    T_NEAR(val(&d, "psu_vrm_temp_c"), 33.5, 1e-9);
    T_NEAR(val(&d, "psu_fan_rpm"), 968, 0);
    /* Sec. 10 worked estimate: HX1500i, 230 V, 140 W -> 160.037 W. */
    T_NEAR(val(&d, "psu_input_estimated_w"), 160.037, 0.0006);

    /* The driver is unbound (module unloaded): cells empty, then back. */
    char hp[300], hq[300];
    snprintf(hp, sizeof hp, "%s%s", root, h);
    snprintf(hq, sizeof hq, "%s%s.away", root, h);
    T_EQ(rename(hp, hq), 0);
    T_ASSERT(drv_read(&d) < 0);
    T_ASSERT(none_ok(&d));
    T_EQ(rename(hq, hp), 0);
    T_EQ(drv_read(&d), 0);
    T_NEAR(val(&d, "psu_output_w"), 140, 1e-9);
    pact_set_log(NULL, NULL);
    d.ops->close(d.st);
}

TEST(udev_rules_file_covers_every_product)
{
    FILE *f = fopen("contrib/60-pact-psu.rules", "r");
    if (!f)
        T_FAIL_("contrib/60-pact-psu.rules not found: run from the repository root");
    static char text[16384];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    char rule[256];
    int np;
    const uint16_t *p = pact__corsair_pids(&np);
    for (int i = 0; i < np; i++) {
        pact__psu_udev_rule(0x1B1C, p[i], rule, sizeof rule);
        if (!strstr(text, rule))
            T_FAIL_("missing: %s", rule);
    }
    p = pact__nzxt_pids(&np);
    for (int i = 0; i < np; i++) {
        pact__psu_udev_rule(0x7793, p[i], rule, sizeof rule);
        if (!strstr(text, rule))
            T_FAIL_("missing: %s", rule);
    }
}

int main(void)
{
    /* Not T_MAIN (set-up between cases): the T_RUN count below. */
    printf("PLAN: %d\n", 11);
    fflush(stdout);
    snprintf(dir, sizeof dir, "/tmp/pact-psu-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    chmod(dir, 0755);
    snprintf(sock, sizeof sock, "%s/psu.sock", dir);
    snprintf(statef, sizeof statef, "%s/state", dir);
    snprintf(spec, sizeof spec, "unix:%s", sock);
    snprintf(emulog, sizeof emulog, "%s/emu.log", dir);
    signal(SIGPIPE, SIG_IGN);
    T_RUN(corsair_default_row_two_round_trips);
    emu_stop();
    T_RUN(corsair_faults_empty_affected_reads_and_recover);
    emu_stop();
    T_RUN(corsair_reinitialises_after_power_cycle);
    emu_stop();
    T_RUN(corsair_detail_rails_temps_fan);
    emu_stop();
    T_RUN(corsair_rail_page_race_with_another_program);
    emu_stop();
    T_RUN(nzxt_rails_sum_and_busy_retries);
    emu_stop();
    T_RUN(nzxt_detail);
    emu_stop();
    T_RUN(auto_identifies_the_forced_device);
    emu_stop();
    T_RUN(hidraw_discovery_by_ids);
    T_RUN(corsair_hwmon_when_kernel_driver_bound);
    T_RUN(udev_rules_file_covers_every_product);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    if (t__nfail)
        return 1;
    return t__npass == 0 && t__nskip ? 77 : 0;
}
