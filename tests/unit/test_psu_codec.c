/* SPDX-License-Identifier: MIT */
/*
 * test_psu_codec.c - every worked example of the Corsair HXi/RMi and NZXT
 * E-series protocol notes decodes to its documented value (LINEAR11,
 * ULINEAR16, VOUT_MODE, uptime, strings, firmware, request bytes, reply
 * checks, efficiency estimates), and encode/decode sweeps stay within
 * half a quantisation step across each encoding's range.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hid/corsair.h"
#include "hid/corsair_models.h"
#include "hid/linear11.h"
#include "hid/nzxt.h"
#include "hid/pmbus_nzxt.h"
#include "hid/psu_link.h"
#include "pact/pact.h"
#include "t.h"

struct l11 {
    uint8_t lo, hi;
    double value;
    int exp;
};

/* Corsair notes sec. 8.1 (liquidctl fixture, RM1000i) and 8.2 (RM650i). */
static const struct l11 corsair_vectors[] = {
    {0xcc, 0xf9, 230.0, -1},      /* 03 88 input voltage */
    {0x86, 0xf0, 33.5, -2},       /* 03 8D VRM temperature */
    {0x6a, 0xf0, 26.5, -2},       /* 03 8E case temperature */
    {0xc8, 0x03, 968.0, 0},       /* 03 90 fan */
    {0x46, 0x08, 140.0, 1},       /* 03 EE total output */
    {0xff, 0xd2, 11.984375, -6},  /* page 0 VOUT */
    {0x2b, 0xf0, 10.75, -2},      /* page 0 IOUT */
    {0x3e, 0x08, 124.0, 1},       /* page 0 POUT */
    {0x41, 0xd1, 5.015625, -6},   /* page 1 VOUT */
    {0x1b, 0xe0, 1.6875, -4},     /* page 1 IOUT */
    {0x10, 0xf8, 8.0, -1},        /* page 1 POUT */
    {0xd3, 0xd0, 3.296875, -6},   /* page 2 VOUT */
    {0x09, 0xe0, 0.5625, -4},     /* page 2 IOUT */
    {0x03, 0xf8, 1.5, -1},        /* page 2 POUT */
    {0x13, 0xd1, 4.296875, -6},   /* 03 40 OV limit */
    {0x1a, 0xd2, 8.40625, -6},    /* 03 44 UV limit */
    {0x80, 0xe2, 40.0, -4},       /* 03 46 OC limit */
    {0x46, 0x00, 70.0, 0},        /* 03 4F OT limit */
    {0x1b, 0x00, 27.0, 0},        /* 03 3B fan duty */
    /* RM650i, liquidctl PR #39 */
    {0xc8, 0xf0, 50.0, -2},
    {0xa2, 0xf0, 40.5, -2},
    {0x31, 0x08, 98.0, 1},
    {0x08, 0xd3, 12.125, -6},
    {0x1b, 0xf0, 6.75, -2},
    {0x28, 0x08, 80.0, 1},
    {0x3f, 0xd1, 4.984375, -6},
    {0x2d, 0xe0, 2.8125, -4},
    {0x1c, 0xf8, 14.0, -1},
    {0xd5, 0xd0, 3.328125, -6},
    {0x19, 0xe0, 1.5625, -4},
    /* Edge cases, sec. 7.1 */
    {0x00, 0x10, 0.0, 2},
    {0xff, 0xff, -0.5, -1},
    {0x00, 0xfc, -512.0, -1},
    /* NZXT notes sec. 6 */
    {0x33, 0x00, 51.0, 0},
    {0x2c, 0x00, 44.0, 0},
    {0x30, 0x00, 48.0, 0},
    {0x00, 0x00, 0.0, 0},
    {0x00, 0xc8, 0.0, -7},
    {0x76, 0xc8, 0.921875, -7},
    {0xcc, 0xd2, 11.1875, -6},
};

TEST(linear11_worked_examples)
{
    for (size_t i = 0; i < sizeof corsair_vectors / sizeof *corsair_vectors;
         i++) {
        const struct l11 *v = &corsair_vectors[i];
        T_NEAR(pact__linear11_decode(v->lo, v->hi), v->value, 0);
        T_EQ(pact__linear11_exponent(v->lo, v->hi), v->exp);
    }
}

TEST(linear11_encoder_examples)
{
    uint8_t b[2];
    /* liquidctl's float_to_linear11: smallest exponent that fits. */
    T_EQ(pact__linear11_encode(3.3, PACT_L11_EXP_MIN, b), 0);
    T_EQ(b[0], 0x4d);
    T_EQ(b[1], 0xc3);
    T_NEAR(pact__linear11_decode(b[0], b[1]), 3.30078125, 0);
    T_EQ(pact__linear11_encode(54.4375, PACT_L11_EXP_MIN, b), 0);
    T_EQ(b[0], 0x67);
    T_EQ(b[1], 0xe3);
    /* With a device's fixed exponent the fixture bytes come back. */
    T_EQ(pact__linear11_encode(140.0, 1, b), 0);
    T_EQ(b[0], 0x46);
    T_EQ(b[1], 0x08);
    T_EQ(pact__linear11_encode(230.0, -1, b), 0);
    T_EQ(b[0], 0xcc);
    T_EQ(b[1], 0xf9);
    T_EQ(pact__linear11_encode(0.0, -7, b), 0);
    T_EQ(b[0], 0x00);
    T_EQ(b[1], 0xc8);
    T_EQ(pact__linear11_encode(INFINITY, 0, b), -ERANGE);
    T_EQ(pact__linear11_encode(1024.0 * 32768.0, 0, b), -ERANGE);
}

TEST(linear11_sweep)
{
    /* Across the whole range, every minimum exponent: the decoded value
     * is within half a step of the input (the step 2^N of the exponent
     * actually used), and the exponent is the smallest that fits. */
    for (int min_exp = -16; min_exp <= 4; min_exp += 4) {
        for (double m = 1e-6; m < 3.3e7; m *= 1.0101) {
            for (int sign = -1; sign <= 1; sign += 2) {
                double v = sign * m;
                uint8_t b[2];
                T_EQ(pact__linear11_encode(v, min_exp, b), 0);
                int n = pact__linear11_exponent(b[0], b[1]);
                double got = pact__linear11_decode(b[0], b[1]);
                T_ASSERT(n >= min_exp);
                T_NEAR(got, v, ldexp(1.0, n) / 2 + 1e-12);
                if (n > min_exp) /* one step finer would overflow */
                    T_ASSERT(fabs(round(ldexp(v, -(n - 1)))) > 1023);
            }
        }
    }
    /* Largest magnitude: 1023 * 2^15. */
    uint8_t b[2];
    T_EQ(pact__linear11_encode(1023.0 * 32768.0, -16, b), 0);
    T_NEAR(pact__linear11_decode(b[0], b[1]), 1023.0 * 32768.0, 0);
    /* Every raw value round-trips through decode then encode. */
    for (unsigned raw = 0; raw < 65536; raw++) {
        double v = pact__linear11_decode(raw & 0xFF, raw >> 8);
        if (fabs(v) > 1023.0 * 32768.0)
            continue;
        T_EQ(pact__linear11_encode(v, -16, b), 0);
        T_NEAR(pact__linear11_decode(b[0], b[1]), v, 0);
    }
}

TEST(ulinear16_and_vout_mode)
{
    int e = 0;
    T_EQ(pact__vout_mode_exponent(0x19, &e), 0);
    T_EQ(e, -7);
    T_EQ(pact__vout_mode_exponent(0x00, &e), 0);
    T_EQ(e, 0);
    T_EQ(pact__vout_mode_exponent(0x39, &e), PACT_EPROTO); /* not linear */
    T_EQ(pact__vout_mode_make(-7), 0x19);
    T_NEAR(pact__ulinear16_decode(0xf5, 0x05, -7), 11.9140625, 0);
    T_NEAR(pact__ulinear16_decode(0xf4, 0x05, -7), 11.90625, 0);
    T_NEAR(pact__ulinear16_decode(0x05, 0x06, -7), 12.0390625, 0);
    T_NEAR(pact__ulinear16_decode(0x07, 0x06, -7), 12.0546875, 0);
    uint8_t b[2];
    for (double v = 0; v < 511.99; v += 0.0173) {
        T_EQ(pact__ulinear16_encode(v, -7, b), 0);
        T_NEAR(pact__ulinear16_decode(b[0], b[1], -7), v, 1.0 / 256 + 1e-12);
    }
    T_EQ(pact__ulinear16_encode(-1, -7, b), -ERANGE);
    T_EQ(pact__ulinear16_encode(65536.0 / 128, -7, b), -ERANGE);
}

TEST(nzxt_firmware)
{
    char s[16];
    unsigned cam = 0;
    T_EQ(pact__nzxt_fw_decode(0x11, 0x41, s, sizeof s, &cam), 0);
    T_STREQ(s, "A017");
    T_EQ(cam, 40983);
    T_EQ(pact__nzxt_fw_decode(0x12, 0x41, s, sizeof s, &cam), 0);
    T_STREQ(s, "A018");
    T_EQ(cam, 40984);
    T_EQ(pact__nzxt_fw_decode(0x11, 0x00, s, sizeof s, &cam), PACT_EPROTO);
}

TEST(nzxt_request_bytes)
{
    uint8_t r[16];
    static const uint8_t fw[] = {0xad, 0x00, 0x03, 0x01, 0x60, 0xfc};
    T_EQ(pact__nzxt_simple_req(0xfc, 2, r), 6);
    T_ASSERT(memcmp(r, fw, sizeof fw) == 0);
    static const uint8_t temp[] = {0xad, 0x00, 0x03, 0x01, 0x60, 0x8e};
    pact__nzxt_simple_req(0x8e, 2, r);
    T_ASSERT(memcmp(r, temp, sizeof temp) == 0);
    static const uint8_t pout2[] = {0xad, 0x00, 0x04, 0x04, 0x60,
                                    0x06, 0x02, 0x02, 0x96};
    T_EQ(pact__nzxt_page_req(2, 0x96, 2, r), 9);
    T_ASSERT(memcmp(r, pout2, sizeof pout2) == 0);
    static const uint8_t mode0[] = {0xad, 0x00, 0x03, 0x04, 0x60,
                                    0x06, 0x02, 0x00, 0x20};
    pact__nzxt_page_req(0, 0x20, 1, r);
    T_ASSERT(memcmp(r, mode0, sizeof mode0) == 0);
    /* The five PACT fields (sec. 7): pages 0..4 of READ_POUT. */
    for (int p = 0; p < 5; p++) {
        pact__nzxt_page_req(p, 0x96, 2, r);
        T_EQ(r[7], p);
        T_EQ(r[8], 0x96);
    }
}

TEST(nzxt_reply_checks)
{
    /* Logged replies (sec. 6), zero-padded to 64 as read from hidraw. */
    uint8_t r[64] = {0xaa, 0x03, 0x33, 0x00, 0x8a};
    T_EQ(pact__nzxt_check_simple(r, 64, 2), 0);
    uint8_t v[64] = {0xaa, 0x04, 0x02, 0xf5, 0x05, 0xf1};
    T_EQ(pact__nzxt_check_page(v, 64, 2), 0);
    uint8_t m[64] = {0xaa, 0x03, 0x01, 0x19, 0x8f};
    T_EQ(pact__nzxt_check_page(m, 64, 1), 0);
    T_EQ(m[3], 0x19);
    uint8_t busy[64] = {0xaa, 0x04, 0xff, 0xff, 0xff, 0xff};
    T_EQ(pact__nzxt_check_page(busy, 64, 2), -EBUSY);
    uint8_t retry[64] = {0xaa, 0x04, 0x02, 0x07, 0x06, 0x94};
    T_EQ(pact__nzxt_check_page(retry, 64, 2), 0);
    T_NEAR(pact__ulinear16_decode(retry[3], retry[4], -7), 12.0546875, 0);
    /* Wrong shapes: a simple reply where a page one was expected. */
    T_EQ(pact__nzxt_check_page(r, 64, 2), PACT_EPROTO);
    T_EQ(pact__nzxt_check_simple(v, 64, 2), PACT_EPROTO);
    uint8_t g[64] = {0x13, 0x04, 0x02};
    T_EQ(pact__nzxt_check_page(g, 64, 2), PACT_EPROTO);
    uint8_t sbusy[64] = {0xaa, 0x03, 0xff, 0xff, 0xff};
    T_EQ(pact__nzxt_check_simple(sbusy, 64, 2), -EBUSY);
    /* Trailing "PEC" byte is ignored: same data, different byte. */
    uint8_t p1[64] = {0xaa, 0x03, 0x01, 0x19, 0x29};
    T_EQ(pact__nzxt_check_page(p1, 64, 1), 0);
}

TEST(corsair_reply_decoders)
{
    static const uint8_t req_ee[3] = {0x03, 0xee, 0x00};
    uint8_t ok[64] = {0x03, 0xee, 0x46, 0x08};
    T_EQ(pact__corsair_check(req_ee, ok, 64), 0);
    T_NEAR(pact__corsair_linear(ok), 140.0, 0);
    uint8_t uninit[64] = {0x03, 0xfe, 0x00, 0x00};
    T_EQ(pact__corsair_check(req_ee, uninit, 64), -EBUSY);
    uint8_t unsup[64] = {0x03, 0x00, 0x00, 0x00};
    T_EQ(pact__corsair_check(req_ee, unsup, 64), -EOPNOTSUPP);
    uint8_t other[64] = {0x03, 0x8b, 0xff, 0xd2};
    T_EQ(pact__corsair_check(req_ee, other, 64), PACT_EPROTO);
    static const uint8_t sel[3] = {0x02, 0x00, 0x01};
    uint8_t sel_ok[64] = {0x02, 0x00, 0x01};
    T_EQ(pact__corsair_check(sel, sel_ok, 64), 0);
    uint8_t sel_un[64] = {0x02, 0xfe, 0x00, 0x00};
    T_EQ(pact__corsair_check(sel, sel_un, 64), -EBUSY);

    /* Uptimes: exactly 4 bytes, whatever trails them. */
    uint8_t d1[64] = {0x03, 0xd1, 0x22, 0x47, 0x11, 0x00};
    T_EQ(pact__corsair_u32(d1), 1132322);
    uint8_t d2[64] = {0x03, 0xd2, 0x13, 0xc6, 0x00, 0x00, 0x41, 0x49, 0x52,
                      0x20, 0x48, 0x58, 0x31, 0x35, 0x30, 0x30, 0x69, 0x20,
                      0x50, 0x53, 0x55};
    T_EQ(pact__corsair_u32(d2), 50707);

    char s[32];
    uint8_t id[64] = {0x03, 0x99, 0x43, 0x4f, 0x52, 0x53, 0x41, 0x49, 0x52};
    pact__corsair_string(id, 64, s, sizeof s);
    T_STREQ(s, "CORSAIR");
    uint8_t mo[64] = {0x03, 0x9a, 0x52, 0x4d, 0x31, 0x30, 0x30, 0x30, 0x69};
    pact__corsair_string(mo, 64, s, sizeof s);
    T_STREQ(s, "RM1000i");
    uint8_t in[64] = {0xfe, 0x03, 0x52, 0x4d, 0x31, 0x30, 0x30, 0x30, 0x69};
    pact__corsair_string(in, 64, s, sizeof s);
    T_STREQ(s, "RM1000i");
    /* Enums: byte 2. */
    uint8_t ocp[64] = {0x03, 0xd8, 0x02};
    T_EQ(ocp[2], 2);
}

TEST(corsair_models_by_string)
{
    T_EQ(pact__corsair_model_by_string("RM1000i")->pid, 0x1C0D);
    T_EQ(pact__corsair_model_by_string("CORSAIR HX1500i PSU")->pid, 0x1C1F);
    T_EQ(pact__corsair_model_by_string("CORSAIR HX1000i PSU")->pid, 0x1C1E);
    T_EQ(pact__corsair_model_by_string("HX1000i")->pid, 0x1C07);
    T_EQ(pact__corsair_model_by_string("HX750i")->pid, 0x1C05);
    T_ASSERT(pact__corsair_model_by_string("HX7500i") == NULL);
    T_ASSERT(pact__corsair_model_by_string("CORSAIR") == NULL);
    T_EQ(pact__corsair_model_by_pid(0x1C27)->rated_w, 1200);
    int n;
    const uint16_t *p = pact__corsair_pids(&n);
    T_EQ(n, 15);
    for (int i = 0; i < n; i++)
        T_ASSERT(pact__corsair_model_by_pid(p[i]) != NULL);
}

struct est {
    uint16_t pid;
    double vin, pout, f115, f230, pin, rounded, eff;
};

TEST(corsair_efficiency_worked_estimates)
{
    /* Corsair notes sec. 10: f values to 3 decimals, rounded Pin, eff %. */
    static const struct est t[] = {
        {0x1C05, 230, 140, 154.024, 152.666, 152.666, 153, 92},
        {0x1C1F, 230, 140, 161.026, 160.037, 160.037, 160, 88},
        {0x1C1F, 115, 300, 327.692, 326.236, 327.692, 328, 91},
        {0x1C1F, 120, 500, 540.782, 537.321, 540.631, 541, 92},
        {0x1C1F, 230, 750, 814.575, 806.392, 806.392, 806, 93},
        {0x1C1E, 230, 300, 320.956, 318.171, 318.171, 318, 94},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        const struct pact__corsair_model *m =
            pact__corsair_model_by_pid(t[i].pid);
        T_ASSERT(m && m->has_curve);
        T_NEAR(pact__corsair_curve(m->c115, t[i].pout), t[i].f115, 0.0006);
        T_NEAR(pact__corsair_curve(m->c230, t[i].pout), t[i].f230, 0.0006);
        double pin;
        T_EQ(pact__corsair_input_estimate(m, t[i].pout, t[i].vin, &pin), 0);
        T_NEAR(pin, t[i].pin, 0.0006);
        T_NEAR(round(pin), t[i].rounded, 0);
        T_NEAR(round(t[i].pout / round(pin) * 100), t[i].eff, 0);
    }
    double pin;
    T_EQ(pact__corsair_input_estimate(pact__corsair_model_by_pid(0x1C03),
                                      100, 230, &pin), -ENOENT);
    T_EQ(pact__corsair_input_estimate(pact__corsair_model_by_pid(0x1C1F),
                                      100, 0, &pin), -EINVAL);
}

TEST(psu_choice_and_aliases)
{
    char why[256] = "";
    T_EQ(pact__psu_choice(NULL, why, sizeof why), PACT_PSU_AUTO);
    T_EQ(pact__psu_choice("auto", why, sizeof why), PACT_PSU_AUTO);
    T_EQ(pact__psu_choice("corsair", why, sizeof why), PACT_PSU_CORSAIR);
    T_EQ(pact__psu_choice("Corsair_1500i", why, sizeof why),
         PACT_PSU_CORSAIR);
    T_EQ(pact__psu_choice("NZXT_850", why, sizeof why), PACT_PSU_NZXT);
    T_EQ(pact__psu_choice("nzxt", why, sizeof why), PACT_PSU_NZXT);
    T_EQ(pact__psu_choice("none", why, sizeof why), PACT_PSU_NONE);
    T_EQ(pact__psu_choice("seasonic", why, sizeof why), PACT_EBADCONFIG);
    T_ASSERT(strstr(why, "'seasonic'") && strstr(why, "auto, corsair"));
}

T_MAIN(T_RUN(linear11_worked_examples); T_RUN(linear11_encoder_examples);
       T_RUN(linear11_sweep); T_RUN(ulinear16_and_vout_mode);
       T_RUN(nzxt_firmware); T_RUN(nzxt_request_bytes);
       T_RUN(nzxt_reply_checks); T_RUN(corsair_reply_decoders);
       T_RUN(corsair_models_by_string);
       T_RUN(corsair_efficiency_worked_estimates);
       T_RUN(psu_choice_and_aliases))
