/* SPDX-License-Identifier: MIT */
/*
 * psu_rate.c - cost of a PSU sample: HID round trips per sample (default
 * row and --psu-detail) and the highest sample rate the drivers reach
 * against the emulator (build/pact-psu-emu), Corsair HX1500i and NZXT
 * E850, with an instant emulator and with 1 ms reply latency (delay_ms=1,
 * roughly a USB full-speed interrupt transfer).  Prints the figures.
 *   usage: psu_rate [BUILD_DIR [SECONDS]]   (default build, 2 s per case)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hid/transport.h"
#include "pact/pact.h"
#include "sensors/psu.h"

static char dir[64], sock[128], statef[128], spec[160];

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static pid_t emu_start(const char *build, const char *model, int delay_ms)
{
    FILE *f = fopen(statef, "w");
    if (!f)
        return -1;
    fprintf(f, "delay_ms=%d\n", delay_ms);
    fclose(f);
    char exe[256];
    snprintf(exe, sizeof exe, "%s/pact-psu-emu", build);
    unlink(sock);
    pid_t p = fork();
    if (p == 0) {
        execl(exe, exe, "--quiet", "--model", model, "--listen", sock,
              "--state", statef, (char *)NULL);
        fprintf(stderr, "psu_rate: cannot run %s: %s\n", exe,
                strerror(errno));
        _exit(127);
    }
    for (int i = 0; i < 500 && access(sock, F_OK) != 0; i++)
        usleep(10000);
    return access(sock, F_OK) == 0 ? p : -1;
}

static void emu_stop(pid_t p)
{
    if (p > 0) {
        kill(p, SIGTERM);
        waitpid(p, NULL, 0);
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Read back to back for secs; print round trips/sample, rate, latency. */
static int run_case(const char *build, const char *label,
                    const struct pact_sensor_ops *ops, const char *psu,
                    const char *model, int detail, int delay_ms, double secs)
{
    pid_t emu = emu_start(build, model, delay_ms);
    if (emu < 0) {
        fprintf(stderr, "psu_rate: emulator did not start (make "
                "%s/pact-psu-emu)\n", build);
        return -1;
    }
    struct pact_config cfg;
    pact_config_init(&cfg);
    cfg.psu = psu;
    cfg.psu_device = spec;
    cfg.psu_detail = detail;
    struct pact_sensor_env env = {.sysroot = "", .cfg = &cfg};
    struct pact_channel ch[PACT_MAX_CHANNELS];
    struct pact_sample s[PACT_MAX_CHANNELS];
    char why[1024];
    void *st;
    int n = ops->open(&env, &st, ch, PACT_MAX_CHANNELS, why, sizeof why);
    if (n <= 0) {
        fprintf(stderr, "psu_rate: %s: open failed: %s\n", label, why);
        emu_stop(emu);
        return -1;
    }
    static double lat[200000];
    long k = 0, bad = 0;
    uint64_t rt0 = pact__hid_round_trips_total();
    double t0 = now_s(), t = t0;
    while (t - t0 < secs && k < 200000) {
        double a = now_s();
        if (ops->read(st, 0, s, n, why, sizeof why) < 0)
            bad++;
        t = now_s();
        lat[k++] = t - a;
    }
    uint64_t rt = pact__hid_round_trips_total() - rt0;
    ops->close(st);
    emu_stop(emu);
    qsort(lat, (size_t)k, sizeof lat[0], cmp);
    printf("%-34s %6.2f %10.0f %9.3f %9.3f %6ld\n", label, (double)rt / k,
           k / (t - t0), lat[k / 2] * 1e3, lat[(long)(k * 0.99)] * 1e3, bad);
    return 0;
}

int main(int argc, char **argv)
{
    const char *build = argc > 1 ? argv[1] : "build";
    double secs = argc > 2 ? strtod(argv[2], NULL) : 2.0;
    if (!(secs > 0))
        secs = 2.0;
    snprintf(dir, sizeof dir, "/tmp/pact-psu-rate-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    snprintf(sock, sizeof sock, "%s/psu.sock", dir);
    snprintf(statef, sizeof statef, "%s/state", dir);
    snprintf(spec, sizeof spec, "unix:%s", sock);
    signal(SIGPIPE, SIG_IGN);

    printf("PSU sample cost against build/pact-psu-emu (%.1f s per case)\n",
           secs);
    printf("%-34s %6s %10s %9s %9s %6s\n", "case", "RT/smp", "samples/s",
           "p50 ms", "p99 ms", "failed");
    int rc = 0;
    for (int delay = 0; delay <= 1; delay++) {
        char l[64];
        snprintf(l, sizeof l, "Corsair HX1500i default, +%d ms", delay);
        rc |= run_case(build, l, &pact_sensor_psu_corsair, "corsair",
                       "hx1500i", 0, delay, secs);
        snprintf(l, sizeof l, "Corsair HX1500i --psu-detail, +%d ms", delay);
        rc |= run_case(build, l, &pact_sensor_psu_corsair, "corsair",
                       "hx1500i", 1, delay, secs);
        snprintf(l, sizeof l, "NZXT E850 default, +%d ms", delay);
        rc |= run_case(build, l, &pact_sensor_psu_nzxt, "nzxt", "e850", 0,
                       delay, secs);
        snprintf(l, sizeof l, "NZXT E850 --psu-detail, +%d ms", delay);
        rc |= run_case(build, l, &pact_sensor_psu_nzxt, "nzxt", "e850", 1,
                       delay, secs);
    }
    printf("RT/smp: HID request/reply pairs per sample (liquidctl's status "
           "costs about 23).\n+N ms: emulator reply latency; NZXT adds "
           "liquidctl's 2.5 ms pause before every request.\n");
    rmdir(dir);
    return rc ? 1 : 0;
}
