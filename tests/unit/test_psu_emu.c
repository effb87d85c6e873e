/* SPDX-License-Identifier: MIT */
/*
 * test_psu_emu.c - the emulator's protocol logic on SOCK_SEQPACKET
 * socketpairs, driven by the real Corsair/NZXT exchange code: replies
 * match the logged device bytes, values survive encode (emulator) and
 * decode (reader) within quantisation, initialisation, stale bytes,
 * busy retries, every fault switch, another program's stray replies,
 * and the hidraw report-number framing.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hid/corsair.h"
#include "hid/linear11.h"
#include "hid/nzxt.h"
#include "psu_emu/psu_emu.h"
#include "hid/transport.h"
#include "pact/pact.h"
#include "t.h"

/* ---- An emulator thread serving up to 4 socketpair clients ---- */

struct srv {
    struct pact__psu_emu *e;
    int fd[4];
    int n;
    int stop[2];
    pthread_t th;
};

static void *srv_main(void *arg)
{
    struct srv *s = arg;
    for (;;) {
        struct pollfd p[5];
        p[0] = (struct pollfd){.fd = s->stop[0], .events = POLLIN};
        for (int i = 0; i < s->n; i++)
            p[1 + i] = (struct pollfd){.fd = s->fd[i], .events = POLLIN};
        if (poll(p, (nfds_t)(1 + s->n), -1) < 0)
            continue;
        if (p[0].revents)
            return NULL;
        for (int i = 0; i < s->n; i++) {
            if (s->fd[i] < 0 || !(p[1 + i].revents & POLLIN))
                continue;
            uint8_t req[128], rep[64];
            ssize_t n = recv(s->fd[i], req, sizeof req, 0);
            if (n <= 0)
                continue;
            int act = pact__psu_emu_answer(s->e, req, (int)n, rep);
            uint8_t strays[4][64];
            int ns = act == PACT_EMU_REPLY
                         ? pact__psu_emu_strays(s->e, req, strays, 4) : 0;
            for (int j = 0; j < ns; j++)
                for (int k = 0; k < s->n; k++)
                    if (s->fd[k] >= 0)
                        send(s->fd[k], strays[j], 64, MSG_NOSIGNAL);
            for (int k = 0; k < s->n; k++) {
                if (s->fd[k] < 0)
                    continue;
                if (act == PACT_EMU_HANGUP) {
                    close(s->fd[k]);
                    s->fd[k] = -1;
                } else if (act == PACT_EMU_REPLY) {
                    send(s->fd[k], rep, sizeof rep, MSG_NOSIGNAL);
                }
            }
        }
    }
}

static char state_path[64];

static void state(const char *fmt, ...)
{
    FILE *f = fopen(state_path, "w");
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

/* Start model with n clients (hidraw-like broadcast between them). */
static int srv_start(struct srv *s, const char *model, int n,
                     struct pact__hid **cl)
{
    memset(s, 0, sizeof *s);
    if (pact__psu_emu_new(model, state_path, &s->e) < 0)
        return -1;
    if (pipe(s->stop) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
            return -1;
        s->fd[s->n++] = sv[0];
        cl[i] = pact__hid_from_fd(sv[1], &pact__hid_socket_ops, "pair");
    }
    return pthread_create(&s->th, NULL, srv_main, s) ? -1 : 0;
}

static void srv_stop(struct srv *s, struct pact__hid **cl, int n)
{
    if (write(s->stop[1], "x", 1) != 1)
        return;
    pthread_join(s->th, NULL);
    for (int i = 0; i < s->n; i++)
        if (s->fd[i] >= 0)
            close(s->fd[i]);
    close(s->stop[0]);
    close(s->stop[1]);
    for (int i = 0; i < n; i++)
        pact__hid_close(cl[i]);
    pact__psu_emu_free(s->e);
}

/* One raw exchange; returns reply length. */
static int raw(struct pact__hid *h, const uint8_t *req, size_t len,
               uint8_t *rep)
{
    return pact__hid_transact(h, req, len, rep, 64, 250);
}

#define EXPECT_BYTES(rep, ...)                                           \
    do {                                                                 \
        static const uint8_t want_[] = {__VA_ARGS__};                    \
        for (size_t i_ = 0; i_ < sizeof want_; i_++)                     \
            if ((rep)[i_] != want_[i_])                                  \
                T_FAIL_("byte %zu: %02x != %02x", i_, (rep)[i_],          \
                        want_[i_]);                                      \
    } while (0)

/* ---- Corsair ---- */

/*
 * The exponent the protocol notes lead a test to expect: the device's
 * usual exponent for the register, grown by one while the mantissa
 * round(|x| / 2^n) would not fit in 1023 (liquidctl's encoder, sec. 7.1).
 * Derived here, not taken from the emulator's reply.
 */
static int want_exp(int base, double x)
{
    int n = base;
    while (n < 15 && fabs(x) / ldexp(1.0, n) >= 1023.5)
        n++;
    return n;
}

TEST(corsair_replies_match_fixture_bytes)
{
    state("# defaults: the liquidctl RM1000i fixture\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "rm1000i", 1, &h) == 0);
    uint8_t rep[64];
    /* Uninitialised after power-up. */
    T_EQ(raw(h, (const uint8_t[]){0x03, 0xee}, 2, rep), 64);
    EXPECT_BYTES(rep, 0x03, 0xfe, 0x00, 0x00);
    T_EQ(raw(h, (const uint8_t[]){0x02, 0x00, 0x01}, 3, rep), 64);
    EXPECT_BYTES(rep, 0x02, 0xfe, 0x00, 0x00);
    raw(h, (const uint8_t[]){0xfe, 0x03, 0x00}, 3, rep);
    EXPECT_BYTES(rep, 0xfe, 0x03, 0x52, 0x4d, 0x31, 0x30, 0x30, 0x30, 0x69,
                 0x00);
    static const uint8_t flat[][4] = {
        {0xee, 0x46, 0x08}, {0x88, 0xcc, 0xf9}, {0x8d, 0x86, 0xf0},
        {0x8e, 0x6a, 0xf0}, {0x90, 0xc8, 0x03}, {0x3b, 0x1b, 0x00},
        {0x4f, 0x46, 0x00}, {0x89, 0x00, 0x00}, /* unsupported: 03 00 */
    };
    for (size_t i = 0; i < sizeof flat / sizeof *flat; i++) {
        raw(h, (const uint8_t[]){0x03, flat[i][0]}, 2, rep);
        T_EQ(rep[0], 0x03);
        T_EQ(rep[1], flat[i][0] == 0x89 ? 0x00 : flat[i][0]);
        T_EQ(rep[2], flat[i][1]);
        T_EQ(rep[3], flat[i][2]);
        for (int k = 4; k < 64; k++)
            T_EQ(rep[k], 0); /* older units clear the buffer */
    }
    static const uint8_t rails[3][3][2] = {
        {{0xff, 0xd2}, {0x2b, 0xf0}, {0x3e, 0x08}},
        {{0x41, 0xd1}, {0x1b, 0xe0}, {0x10, 0xf8}},
        {{0xd3, 0xd0}, {0x09, 0xe0}, {0x03, 0xf8}},
    };
    static const uint8_t cmds[3] = {0x8b, 0x8c, 0x96};
    for (int r = 0; r < 3; r++) {
        raw(h, (const uint8_t[]){0x02, 0x00, (uint8_t)r}, 3, rep);
        T_EQ(rep[0], 0x02);
        T_EQ(rep[1], 0x00);
        T_EQ(rep[2], r);
        for (int k = 0; k < 3; k++) {
            raw(h, (const uint8_t[]){0x03, cmds[k]}, 2, rep);
            T_EQ(rep[1], cmds[k]);
            T_EQ(rep[2], rails[r][k][0]);
            T_EQ(rep[3], rails[r][k][1]);
        }
    }
    /* Limits as the fixture: OV on +3.3V, UV on +12V, OC on +5V/3.3V. */
    raw(h, (const uint8_t[]){0x03, 0x40}, 2, rep);
    EXPECT_BYTES(rep, 0x03, 0x40, 0x13, 0xd1);
    raw(h, (const uint8_t[]){0x03, 0x46}, 2, rep);
    EXPECT_BYTES(rep, 0x03, 0x46, 0x80, 0xe2);
    raw(h, (const uint8_t[]){0x02, 0x00, 0x00}, 3, rep);
    raw(h, (const uint8_t[]){0x03, 0x44}, 2, rep);
    EXPECT_BYTES(rep, 0x03, 0x44, 0x1a, 0xd2);
    raw(h, (const uint8_t[]){0x03, 0xd1}, 2, rep);
    EXPECT_BYTES(rep, 0x03, 0xd1, 0x22, 0x47, 0x11, 0x00);
    raw(h, (const uint8_t[]){0x03, 0x99}, 2, rep);
    EXPECT_BYTES(rep, 0x03, 0x99, 0x43, 0x4f, 0x52, 0x53, 0x41, 0x49, 0x52,
                 0x00);
    raw(h, (const uint8_t[]){0x03, 0xd8}, 2, rep);
    EXPECT_BYTES(rep, 0x03, 0xd8, 0x02);
    T_EQ(s.e->forbidden, 0);
    /* A reader must never write configuration; the emulator counts it. */
    raw(h, (const uint8_t[]){0x02, 0xd8, 0x01}, 3, rep);
    T_EQ(s.e->forbidden, 1);
    srv_stop(&s, &h, 1);
}

TEST(corsair_hx1500i_stale_bytes)
{
    state("uptime_s=50707\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "hx1500i", 1, &h) == 0);
    struct pact__corsair c = {.hid = h, .timeout_ms = 250};
    char model[64];
    T_EQ(pact__corsair_init(&c, model, sizeof model), 0);
    T_STREQ(model, "CORSAIR HX1500i PSU");
    T_ASSERT(pact__corsair_read_string(&c, 0x9a, model, sizeof model) > 0);
    T_STREQ(model, "CORSAIR HX1500i PSU");
    uint8_t rep[64];
    T_EQ(pact__corsair_read(&c, 0xd2, rep), 0);
    /* The issue #575 reply, byte for byte. */
    EXPECT_BYTES(rep, 0x03, 0xd2, 0x13, 0xc6, 0x00, 0x00, 0x41, 0x49, 0x52,
                 0x20, 0x48, 0x58, 0x31, 0x35, 0x30, 0x30, 0x69, 0x20, 0x50,
                 0x53, 0x55);
    T_EQ(pact__corsair_u32(rep), 50707);
    /* Two-byte readings still decode with the tail there. */
    double w;
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), 0);
    T_NEAR(w, 140, 0);
    T_EQ(c.conflicts, 0);
    srv_stop(&s, &h, 1);
}

TEST(corsair_init_when_needed)
{
    state("output_power_w=300\npower_cycle=0\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "hx1000i-2022", 1, &h) == 0);
    struct pact__corsair c = {.hid = h, .timeout_ms = 250};
    double w = 0;
    /* 03 EE -> 03 FE; FE 03; 03 EE again. */
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), 0);
    T_NEAR(w, 300, 0);
    T_EQ(h->round_trips, 3);
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), 0);
    T_EQ(h->round_trips, 4);
    /* Standby power dropped: the PSU forgot; the reader re-initialises. */
    state("output_power_w=302\npower_cycle=1\n");
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), 0);
    T_NEAR(w, 302, 0);
    T_EQ(h->round_trips, 7);
    srv_stop(&s, &h, 1);
}

TEST(corsair_sweep_within_quantisation)
{
    state("\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "hx1500i", 1, &h) == 0);
    struct pact__corsair c = {.hid = h, .timeout_ms = 250};
    T_EQ(pact__corsair_init(&c, NULL, 0), 0);
    /* Output power (2^1 steps, up to the mantissa limit and beyond, where
     * the exponent grows), input voltage (2^-1), rail volts/amps/watts,
     * temperatures and fan: the reader gets the value within half the
     * step of the exponent the reply used. */
    for (double x = 0; x <= 4000; x += 37.3) {
        double vin = 90 + fmod(x, 180), t = fmod(x, 120), a = fmod(x, 150);
        state("output_power_w=%.6f\ninput_voltage_v=%.6f\n"
              "rail12v_voltage_v=%.6f\nrail12v_current_a=%.6f\n"
              "rail12v_power_w=%.6f\nrail5v_current_a=%.6f\n"
              "rail3v3_power_w=%.6f\ntemp1_c=%.6f\ntemp2_c=%.6f\n"
              "fan_rpm=%.6f\n",
              x, vin, 11 + x / 4000, a, x / 3, fmod(x, 60), fmod(x, 90), t,
              t / 2, x / 2);
        static const struct {
            int page;
            uint8_t cmd;
        } rd[] = {{-1, 0xee}, {-1, 0x88}, {0, 0x8b}, {0, 0x8c}, {0, 0x96},
                  {1, 0x8c}, {2, 0x96}, {-1, 0x8d}, {-1, 0x8e}, {-1, 0x90}};
        double want[] = {x,     vin, 11 + x / 4000, a, x / 3, fmod(x, 60),
                         fmod(x, 90), t, t / 2, x / 2};
        /* Exponents of real replies (corsair-hid-psu.md sec. 7.1 and its
         * fixture table): 0xEE +1, Vin -1, rail volts -6, +12V amps -2,
         * +5/+3.3V amps -4, temperatures -2, fan 0; rail watts -1 for
         * small values (1.5-14 W), +1 for large ones (80, 124 W), either
         * in between (POUT_EITHER). */
        enum { POUT_EITHER = 99 };
        static const int base[] = {1, -1, -6, -2, POUT_EITHER, -4,
                                   POUT_EITHER, -2, -2, 0};
        for (size_t i = 0; i < sizeof rd / sizeof *rd; i++) {
            if (rd[i].page >= 0)
                T_EQ(pact__corsair_select_rail(&c, rd[i].page), 0);
            uint8_t rep[64];
            T_EQ(pact__corsair_read(&c, rd[i].cmd, rep), 0);
            double got = pact__corsair_linear(rep);
            int n = pact__linear11_exponent(rep[2], rep[3]);
            int w = base[i];
            if (w == POUT_EITHER) {
                double m = fabs(want[i]);
                w = m <= 14 ? -1 : m >= 80 ? 1 : n <= want_exp(-1, m) ? -1 : 1;
            }
            T_EQ(n, want_exp(w, want[i]));
            T_NEAR(got, want[i], ldexp(1.0, want_exp(w, want[i])) / 2 + 1e-9);
        }
    }
    srv_stop(&s, &h, 1);
}

TEST(corsair_faults)
{
    state("\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "rm650i", 1, &h) == 0);
    struct pact__corsair c = {.hid = h, .timeout_ms = 60};
    double w;
    T_EQ(pact__corsair_init(&c, NULL, 0), 0);
    state("fault=no_reply\n");
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), -ETIMEDOUT);
    state("fault=wrong_echo\n");
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), PACT_EPROTO);
    T_EQ(c.conflicts, 1);
    state("fault=garbage\n");
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), PACT_EPROTO);
    /* busy: the controller lost its init (sec. 4): "03 FE 00 00" until
     * FE 03, which the codec sends once and retries; nothing lasting. */
    state("fault=busy\noutput_power_w=220\n");
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), 0);
    T_NEAR(w, 220, 0);
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), 0);
    /* Limited to one command: the other still answers. */
    state("fault=no_reply\nfault_cmd=EE\ninput_voltage_v=115\n");
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), -ETIMEDOUT);
    T_EQ(pact__corsair_read_linear(&c, 0x88, &w), 0);
    T_NEAR(w, 115, 0);
    state("fault=none\noutput_power_w=222\n");
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), 0);
    T_NEAR(w, 222, 0);
    state("fault=disconnect\n");
    T_EQ(pact__corsair_read_linear(&c, 0xee, &w), -ENODEV);
    srv_stop(&s, &h, 1);
}

TEST(corsair_stray_replies_of_another_program)
{
    state("\n");
    struct srv s;
    struct pact__hid *cl[2];
    T_ASSERT(srv_start(&s, "hx1500i", 2, cl) == 0);
    struct pact__corsair a = {.hid = cl[0], .timeout_ms = 250};
    struct pact__corsair b = {.hid = cl[1], .timeout_ms = 250};
    T_EQ(pact__corsair_init(&b, NULL, 0), 0);
    double v;
    /* B (say liquidctl) reads a rail voltage; like hidraw, its replies
     * also land in A's queue. */
    T_EQ(pact__corsair_read_linear(&b, 0x8b, &v), 0);
    T_EQ(pact__hid_drain(cl[1]), 0);
    /* A reads total power: sees B's two replies (init, 0x8B) first, skips
     * them, gets its own, with no extra request. */
    uint64_t rt = cl[0]->round_trips;
    T_EQ(pact__corsair_read_linear(&a, 0xee, &v), 0);
    T_NEAR(v, 140, 0);
    T_EQ(a.conflicts, 2);
    T_EQ(cl[0]->round_trips, rt + 1);
    /* Another program polling all the time: two stray replies before
     * each of ours; readings stay right, each stray counted. */
    state("stray_replies=2\noutput_power_w=700\ninput_voltage_v=120\n");
    T_EQ(pact__corsair_read_linear(&a, 0xee, &v), 0);
    T_NEAR(v, 700, 0);
    T_EQ(pact__corsair_read_linear(&a, 0x88, &v), 0);
    T_NEAR(v, 120, 0);
    T_EQ(a.conflicts, 6);
    srv_stop(&s, cl, 2);
}

TEST(nzxt_stray_replies_skipped)
{
    state("stray_replies=1\nrail5v_power_w=17.5\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "e850", 1, &h) == 0);
    struct pact__nzxt c = {.hid = h, .timeout_ms = 250,
                           .pause_us = PACT_NZXT_PAUSE_US};
    double w;
    T_EQ(pact__nzxt_read_linear(&c, 3, 0x96, &w), 0);
    T_NEAR(w, 17.5, 0);
    T_EQ(c.strays, 1);
    T_EQ(c.retries, 0);
    T_EQ(pact__nzxt_read_linear(&c, -1, 0x8e, &w), 0);
    T_NEAR(w, 44, 0);
    T_EQ(c.strays, 2);
    srv_stop(&s, &h, 1);
}

/* ---- NZXT ---- */

/* One raw NZXT transaction, after the 2.5 ms pause the bridge needs
 * (nzxt-e-psu.md sec. 2; the emulator answers errors without it). */
static int nz_read(struct pact__hid *h, const uint8_t *req, size_t len,
                   uint8_t *rep)
{
    struct timespec ts = {0, PACT_NZXT_PAUSE_US * 1000L};
    nanosleep(&ts, NULL);
    return raw(h, req, len, rep);
}

TEST(nzxt_replies_match_logged_bytes)
{
    state("rail12v_pcie_voltage_v=12.0390625\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "e850", 1, &h) == 0);
    uint8_t rep[64];
    nz_read(h, (const uint8_t[]){0xad, 0, 3, 1, 0x60, 0xfc}, 6, rep);
    EXPECT_BYTES(rep, 0xaa, 0x03, 0x11, 0x41);
    nz_read(h, (const uint8_t[]){0xad, 0, 3, 1, 0x60, 0x8e}, 6, rep);
    EXPECT_BYTES(rep, 0xaa, 0x03, 0x2c, 0x00);
    nz_read(h, (const uint8_t[]){0xad, 0, 3, 1, 0x60, 0x90}, 6, rep);
    EXPECT_BYTES(rep, 0xaa, 0x03, 0x00, 0x00);
    nz_read(h, (const uint8_t[]){0xad, 0, 3, 4, 0x60, 6, 2, 0, 0x20}, 9, rep);
    EXPECT_BYTES(rep, 0xaa, 0x03, 0x01, 0x19);
    nz_read(h, (const uint8_t[]){0xad, 0, 4, 4, 0x60, 6, 2, 0, 0x8b}, 9, rep);
    EXPECT_BYTES(rep, 0xaa, 0x04, 0x02, 0xf5, 0x05);
    nz_read(h, (const uint8_t[]){0xad, 0, 4, 4, 0x60, 6, 2, 2, 0x8b}, 9, rep);
    EXPECT_BYTES(rep, 0xaa, 0x04, 0x02, 0x05, 0x06);
    nz_read(h, (const uint8_t[]){0xad, 0, 4, 4, 0x60, 6, 2, 2, 0x8c}, 9, rep);
    EXPECT_BYTES(rep, 0xaa, 0x04, 0x02, 0x76, 0xc8);
    nz_read(h, (const uint8_t[]){0xad, 0, 4, 4, 0x60, 6, 2, 2, 0x96}, 9, rep);
    EXPECT_BYTES(rep, 0xaa, 0x04, 0x02, 0xcc, 0xd2);
    state("rail12v_pcie_power_w=0\n");
    nz_read(h, (const uint8_t[]){0xad, 0, 4, 4, 0x60, 6, 2, 2, 0x96}, 9, rep);
    EXPECT_BYTES(rep, 0xaa, 0x04, 0x02, 0x00, 0xc8);
    /* A non-existent page reads as all ones. */
    nz_read(h, (const uint8_t[]){0xad, 0, 4, 4, 0x60, 6, 2, 7, 0x96}, 9, rep);
    EXPECT_BYTES(rep, 0xaa, 0x04, 0xff, 0xff, 0xff, 0xff);
    srv_stop(&s, &h, 1);
}

TEST(nzxt_sweep_within_quantisation)
{
    state("\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "e650", 1, &h) == 0);
    struct pact__nzxt c = {.hid = h, .timeout_ms = 250,
                           .pause_us = PACT_NZXT_PAUSE_US};
    for (double x = 0; x <= 1200; x += 13.7) {
        state("rail12v_peripheral_power_w=%.6f\nrail3v3_current_a=%.6f\n"
              "rail5v_voltage_v=%.6f\ntemp2_c=%.6f\nfan_rpm=%.6f\n",
              x, x / 40, 4.5 + x / 1200, fmod(x, 90), x * 2);
        /* POUT and IOUT: the smallest exponent >= -7 that fits
         * (nzxt-e-psu.md sec. 6: 0 W as N = -7, 11.1875 W as N = -6). */
        uint8_t d[2];
        T_EQ(pact__nzxt_read_page(&c, 0, 0x96, 2, d), 0);
        int n = pact__linear11_exponent(d[0], d[1]);
        T_EQ(n, want_exp(-7, x));
        T_NEAR(pact__linear11_decode(d[0], d[1]), x, ldexp(1, want_exp(-7, x)) / 2);
        T_EQ(pact__nzxt_read_page(&c, 4, 0x8c, 2, d), 0);
        n = pact__linear11_exponent(d[0], d[1]);
        T_EQ(n, want_exp(-7, x / 40));
        T_NEAR(pact__linear11_decode(d[0], d[1]), x / 40,
               ldexp(1, want_exp(-7, x / 40)) / 2);
        double v;
        int cache = INT_MIN;
        T_EQ(pact__nzxt_read_vout(&c, 3, &cache, &v), 0);
        T_EQ(cache, -7);
        T_NEAR(v, 4.5 + x / 1200, 1.0 / 256);
        T_EQ(pact__nzxt_read_linear(&c, -1, 0x8e, &v), 0);
        T_NEAR(v, fmod(x, 90), 0.5 + 1e-6);
        T_EQ(pact__nzxt_read_simple(&c, 0x90, 2, d), 0);
        n = pact__linear11_exponent(d[0], d[1]);
        /* whole rpm (sec. 6: fan N = 0), coarser only when it must be */
        T_EQ(n, want_exp(0, x * 2));
        T_NEAR(pact__linear11_decode(d[0], d[1]), x * 2,
               ldexp(1, want_exp(0, x * 2)) / 2);
    }
    srv_stop(&s, &h, 1);
}

/* The bridge errors on requests less than min_gap_ms apart (sec. 2;
 * 2.5 ms by default).  With the reader's 2.5 ms pause and the default,
 * no error (a sleep never ends early); with min_gap_ms=1000 every request
 * after the first is too soon: the 3 attempts fail and the read says
 * busy.  A reader that dropped its pause would fail the same way. */
TEST(nzxt_requests_too_close_get_errors)
{
    state("rail12v_eps_power_w=99.5\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "e850", 1, &h) == 0);
    struct pact__nzxt c = {.hid = h, .timeout_ms = 250,
                           .pause_us = PACT_NZXT_PAUSE_US};
    double w = 0;
    for (int i = 0; i < 5; i++) {
        T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), 0);
        T_NEAR(w, 99.5, 0);
    }
    T_EQ(c.busy, 0);
    T_EQ(c.retries, 0);
    state("rail12v_eps_power_w=99.5\nmin_gap_ms=1000\n");
    T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), -EBUSY);
    T_EQ(c.busy, 3);
    srv_stop(&s, &h, 1);
}

TEST(nzxt_busy_replies_retried)
{
    state("busy_replies=2\nrail12v_eps_power_w=99.5\n");
    struct srv s;
    struct pact__hid *h;
    T_ASSERT(srv_start(&s, "e850", 1, &h) == 0);
    struct pact__nzxt c = {.hid = h, .timeout_ms = 250,
                           .pause_us = PACT_NZXT_PAUSE_US};
    double w = 0;
    T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), 0);
    T_NEAR(w, 99.5, 0);
    T_EQ(c.busy, 2);
    T_EQ(c.retries, 2);
    T_EQ(h->round_trips, 3);
    /* Busy beyond the 3 attempts: the read fails, and says busy. */
    state("fault=busy\n");
    T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), -EBUSY);
    T_EQ(h->round_trips, 6);
    state("fault=wrong_echo\n");
    T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), PACT_EPROTO);
    state("fault=garbage\n");
    T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), PACT_EPROTO);
    c.timeout_ms = 60;
    state("fault=no_reply\n");
    T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), -ETIMEDOUT);
    state("fault=none\nrail12v_eps_power_w=12.5\n");
    T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), 0);
    T_NEAR(w, 12.5, 0);
    state("fault=disconnect\n");
    T_EQ(pact__nzxt_read_linear(&c, 1, 0x96, &w), -ENODEV);
    srv_stop(&s, &h, 1);
}

/* ---- Transport ---- */

TEST(hidraw_framing_adds_report_number)
{
    int sv[2];
    T_ASSERT(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) == 0);
    struct pact__hid *h = pact__hid_from_fd(sv[1], &pact__hid_hidraw_ops,
                                            "/dev/hidraw9");
    T_EQ(pact__hid_write(h, (const uint8_t[]){0x03, 0xee}, 2), 0);
    uint8_t got[128];
    T_EQ(recv(sv[0], got, sizeof got, 0), 65);
    T_EQ(got[0], 0x00);
    T_EQ(got[1], 0x03);
    T_EQ(got[2], 0xee);
    for (int i = 3; i < 65; i++)
        T_EQ(got[i], 0);
    uint8_t rep[64] = {0x03, 0xee, 0x46, 0x08};
    T_EQ(send(sv[0], rep, 64, 0), 64);
    uint8_t in[64];
    T_EQ(pact__hid_read(h, in, sizeof in, 250), 64);
    T_EQ(in[0], 0x03);
    T_EQ(in[3], 0x08);
    T_EQ(pact__hid_read(h, in, sizeof in, 20), -ETIMEDOUT);
    close(sv[0]);
    T_EQ(pact__hid_read(h, in, sizeof in, 20), -ENODEV);
    pact__hid_close(h);

    /* The emulator (a device) ignores a report with the prefix byte. */
    struct pact__psu_emu *e;
    T_EQ(pact__psu_emu_new("hx1500i", NULL, &e), 0);
    T_EQ(pact__psu_emu_answer(e, got, 65, rep), PACT_EMU_SILENT);
    T_EQ(e->bad, 1);
    pact__psu_emu_free(e);
}

TEST(state_file_parsing)
{
    state("# comment\n output_power_w = 512.5 # trailing\nfault=busy\n"
          "fault_cmd=0x88\nfirmware=A020\nbogus=1\nnot a line\n");
    struct pact__emu_state st;
    T_EQ(pact__emu_state_load(&st, PACT_EMU_CORSAIR, state_path), 0);
    T_NEAR(st.v[EK_OUTPUT_POWER_W], 512.5, 0);
    T_NEAR(st.v[EK_INPUT_VOLTAGE_V], 230, 0); /* default kept */
    T_EQ(st.fault, PACT_FAULT_BUSY);
    T_EQ(st.fault_cmd, 0x88);
    T_STREQ(st.firmware, "A020");
    T_EQ(st.bad_lines, 2);
    T_STREQ(st.first_bad, "bogus=1");
    T_EQ(pact__emu_state_load(&st, PACT_EMU_NZXT, "/nonexistent/x"), 0);
    T_NEAR(st.v[EK_R12P_W], 42, 0);
    struct pact__psu_emu *e;
    T_EQ(pact__psu_emu_new("nosuch", NULL, &e), -ENOENT);
}

int main(void)
{
    /* Not T_MAIN (set-up between cases): the T_RUN count below. */
    printf("PLAN: %d\n", 13);
    fflush(stdout);
    snprintf(state_path, sizeof state_path, "/tmp/pact-emu-state-%ld",
             (long)getpid());
    T_RUN(corsair_replies_match_fixture_bytes);
    T_RUN(corsair_hx1500i_stale_bytes);
    T_RUN(corsair_init_when_needed);
    T_RUN(corsair_sweep_within_quantisation);
    T_RUN(corsair_faults);
    T_RUN(corsair_stray_replies_of_another_program);
    T_RUN(nzxt_stray_replies_skipped);
    T_RUN(nzxt_replies_match_logged_bytes);
    T_RUN(nzxt_sweep_within_quantisation);
    T_RUN(nzxt_requests_too_close_get_errors);
    T_RUN(nzxt_busy_replies_retried);
    T_RUN(hidraw_framing_adds_report_number);
    T_RUN(state_file_parsing);
    unlink(state_path);
    return t__nfail ? 1 : 0;
}
