/* SPDX-License-Identifier: MIT */
/*
 * psu_emu_corsair.c - the emulator's Corsair HXi/RMi micro-controller.
 * Starts uninitialised (answers "xx FE 00 00" until FE 03), keeps the
 * selected rail as global state, answers reads with the exponents real
 * units use (protocol notes sec. 7.1: Vin 2^-1, rail volts 2^-6, temps
 * 2^-2, +12V amps 2^-2, +5/+3.3V amps 2^-4, rail watts 2^-1 when small
 * and 2^1 when large, 0xEE 2^1, fan 2^0), growing the exponent only when
 * the mantissa would overflow.  Newer models (HX1500i) never clear the
 * reply buffer, so stale bytes trail short answers, as on the device.
 * fault=busy is the protocol's one "not ready" state, a controller that
 * lost its init (sec. 4): entering it resets the init once, and FE 03
 * brings the controller back.  page_race=K: another program selects a
 * different rail right after every K-th rail select of ours (sec. 6).
 */
#include "psu_emu/psu_emu.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hid/corsair.h"
#include "hid/linear11.h"

/* Per-rail limits a unit reports (0x40, 0x44, 0x46): fixed, not state. */
static const double ov_v[3] = {14.0, 6.5, 4.296875};
static const double uv_v[3] = {8.40625, 4.0, 2.5};
static const double oc_a[3] = {125.0, 40.0, 40.0};

static const int rail_keys[3][3] = {
    {EK_R12_V, EK_R12_A, EK_R12_W},
    {EK_R5_V, EK_R5_A, EK_R5_W},
    {EK_R3_V, EK_R3_A, EK_R3_W},
};

static int lin(double v, int exp, uint8_t *d)
{
    if (pact__linear11_encode(v, exp, d) < 0)
        d[0] = d[1] = 0xFF; /* unrepresentable: what a confused MCU says */
    return 2;
}

static int str(const char *s, uint8_t *d)
{
    int n = (int)strlen(s);
    if (n > 60)
        n = 60;
    memcpy(d, s, (size_t)n);
    return n;
}

static int u32(double v, uint8_t *d)
{
    uint32_t u = v <= 0 ? 0 : v >= 4294967295.0 ? 0xFFFFFFFFu : (uint32_t)v;
    for (int i = 0; i < 4; i++)
        d[i] = (uint8_t)(u >> (8 * i));
    return 4;
}

static void model_string(const struct pact__psu_emu *e, int mfr_id,
                         char *buf, size_t len)
{
    if (e->cm->new_gen)
        snprintf(buf, len, "CORSAIR %s PSU", e->cm->name);
    else
        snprintf(buf, len, "%s", mfr_id ? "CORSAIR" : e->cm->name);
}

/* Data bytes of read command cmd into d; width, or -1 if unsupported. */
static int value(const struct pact__psu_emu *e, int cmd, uint8_t *d)
{
    const double *v = e->st.v;
    int p = e->page;
    char s[64];
    switch (cmd) {
    case PACT_CS_FAN_DUTY:
        return lin(v[EK_FAN_DUTY_PCT], 0, d);
    case 0x40:
        return lin(ov_v[p], -6, d);
    case 0x44:
        return lin(uv_v[p], -6, d);
    case 0x46:
        return lin(oc_a[p], p == 0 ? -2 : -4, d);
    case 0x4F:
        return lin(70.0, 0, d);
    case PACT_CS_VIN:
        return lin(v[EK_INPUT_VOLTAGE_V], -1, d);
    case PACT_CS_VOUT:
        return lin(v[rail_keys[p][0]], -6, d);
    case PACT_CS_IOUT:
        return lin(v[rail_keys[p][1]], p == 0 ? -2 : -4, d);
    case PACT_CS_POUT: {
        double w = v[rail_keys[p][2]];
        return lin(w, fabs(w) < 64 ? -1 : 1, d);
    }
    case PACT_CS_TEMP1:
        return lin(v[EK_TEMP1_C], -2, d);
    case PACT_CS_TEMP2:
        return lin(v[EK_TEMP2_C], -2, d);
    case PACT_CS_FAN_RPM:
        return lin(v[EK_FAN_RPM], 0, d);
    case PACT_CS_MFR_ID:
    case PACT_CS_MFR_MODEL:
        model_string(e, cmd == PACT_CS_MFR_ID, s, sizeof s);
        return str(s, d);
    case PACT_CS_UPTIME_TOTAL:
        return u32(v[EK_TOTAL_UPTIME_S], d);
    case PACT_CS_UPTIME:
        return u32(v[EK_UPTIME_S], d);
    case PACT_CS_OCP_MODE:
        d[0] = 2; /* multi rail */
        return 1;
    case PACT_CS_TOTAL_OUT:
        return lin(v[EK_OUTPUT_POWER_W], 1, d);
    case PACT_CS_FAN_MODE:
        d[0] = 0; /* hardware */
        return 1;
    default:
        return -1; /* incl. 0x89 input current, unsupported on real units */
    }
}

/* Put b0 b1 data[0..w-1] into the reply buffer and copy it out. */
static int reply(struct pact__psu_emu *e, uint8_t b0, uint8_t b1,
                 const uint8_t *data, int w, uint8_t *rep)
{
    if (!e->cm->new_gen)
        memset(e->buf, 0, sizeof e->buf);
    e->buf[0] = b0;
    e->buf[1] = b1;
    if (w > 0)
        memcpy(e->buf + 2, data, (size_t)w);
    memcpy(rep, e->buf, sizeof e->buf);
    return PACT_EMU_REPLY;
}

static int read_reply(struct pact__psu_emu *e, int cmd, uint8_t *rep)
{
    uint8_t d[62] = {0};
    int w = value(e, cmd, d);
    if (w < 0)
        return reply(e, 0x03, 0x00, d, 2, rep); /* "03 00 00 00" */
    return reply(e, 0x03, (uint8_t)cmd, d, w, rep);
}

int pact__psu_emu_corsair_other(struct pact__psu_emu *e, const uint8_t *req,
                                uint8_t *rep)
{
    /* A rail voltage read: what liquidctl or iCUE poll all the time. */
    return read_reply(e, req[1] == PACT_CS_VOUT ? PACT_CS_IOUT : PACT_CS_VOUT,
                      rep);
}

int pact__psu_emu_corsair(struct pact__psu_emu *e, const uint8_t *req,
                          uint8_t *rep)
{
    static const uint8_t zero[2] = {0, 0};
    int is_init = req[0] == 0xFE && req[1] == 0x03;
    int cmd = is_init ? 0xFE : req[1];
    e->cmd_count[cmd & 0xFF]++;

    int busy = e->st.fault == PACT_FAULT_BUSY;
    if (busy && !e->busy_was) {
        e->inited = 0; /* the micro-controller starts over */
        e->page = 0;
    }
    e->busy_was = busy;
    if (pact__psu_emu_fault_on(e, cmd) && !busy) {
        switch (e->st.fault) {
        case PACT_FAULT_NO_REPLY:
            return PACT_EMU_SILENT;
        case PACT_FAULT_WRONG_ECHO:
            /* What a reply to someone else's request looks like. */
            return pact__psu_emu_corsair_other(e, req, rep);
        case PACT_FAULT_GARBAGE:
            pact__psu_emu_garbage(e, req, rep);
            return PACT_EMU_REPLY;
        default:
            break;
        }
    }

    if (is_init) {
        e->inited = 1;
        char s[64];
        model_string(e, 0, s, sizeof s);
        return reply(e, 0xFE, 0x03, (const uint8_t *)s, (int)strlen(s), rep);
    }
    if (req[0] == 0x02 && req[1] == PACT_CS_PAGE) {
        if (!e->inited)
            return reply(e, 0x02, 0xFE, zero, 2, rep);
        if (req[2] <= 2)
            e->page = req[2];
        uint8_t d = (uint8_t)e->page;
        reply(e, 0x02, 0x00, &d, 1, rep);
        uint64_t k = (uint64_t)e->st.v[EK_PAGE_RACE];
        if (k > 0 && ++e->selects % k == 0)
            e->page = (e->page + 1) % 3; /* the other program's select */
        return PACT_EMU_REPLY;
    }
    if (req[0] == 0x02) {
        /* OCP mode, fan mode, fan duty: never sent by a reader. */
        e->forbidden++;
        return reply(e, 0x02, 0x00, zero, 2, rep);
    }
    if (req[0] != 0x03) {
        e->bad++;
        return reply(e, req[0], 0x00, zero, 2, rep);
    }
    if (!e->inited)
        return reply(e, 0x03, 0xFE, zero, 2, rep);
    return read_reply(e, req[1], rep);
}
