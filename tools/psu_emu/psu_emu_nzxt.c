/* SPDX-License-Identifier: MIT */
/*
 * psu_emu_nzxt.c - the emulator's NZXT E-series USB-to-PMBus bridge.
 * Answers "AD 00 R W 60 .." transactions with "AA R [n] data pec".
 * Encodings match the logged units: POUT/IOUT LINEAR11 with the smallest
 * exponent >= -7 that fits (0 W is "00 C8"), temperature and fan with
 * exponent 0, VOUT_MODE 0x19 (2^-7) and ULINEAR16 voltages.  Unknown
 * registers, pages and addresses read as all ones (no ACK on SMBus).
 * The trailing byte is a checksum nobody can verify: here a plain XOR.
 */
#include "psu_emu/psu_emu.h"

#include <string.h>
#include <time.h>

#include "hid/linear11.h"
#include "hid/pmbus_nzxt.h"

#define VOUT_EXP (-7)

static const int page_keys[PACT_NZXT_PAGES][3] = {
    {EK_R12P_V, EK_R12P_A, EK_R12P_W},
    {EK_R12E_V, EK_R12E_A, EK_R12E_W},
    {EK_R12C_V, EK_R12C_A, EK_R12C_W},
    {EK_R5_V, EK_R5_A, EK_R5_W},
    {EK_R3_V, EK_R3_A, EK_R3_W},
};

static int lin(double v, int exp, uint8_t *d)
{
    if (pact__linear11_encode(v, exp, d) < 0)
        d[0] = d[1] = 0xFF;
    return 2;
}

/* Register value; width, or -1 when the register does not answer. */
static int value(const struct pact__psu_emu *e, int page, int cmd,
                 uint8_t *d)
{
    const double *v = e->st.v;
    if (page < 0) {
        switch (cmd) {
        case PACT_NZ_TEMP2:
            return lin(v[EK_TEMP2_C], 0, d);
        case PACT_NZ_FAN_RPM:
            return lin(v[EK_FAN_RPM], 0, d);
        case PACT_NZ_FW: {
            const char *fw = e->st.firmware; /* "A017": major, minor */
            int minor = (fw[1] - '0') * 100 + (fw[2] - '0') * 10 +
                        (fw[3] - '0');
            d[0] = (uint8_t)minor;
            d[1] = (uint8_t)fw[0];
            return 2;
        }
        default:
            return -1;
        }
    }
    if (page >= PACT_NZXT_PAGES)
        return -1;
    switch (cmd) {
    case PACT_NZ_VOUT_MODE:
        d[0] = pact__vout_mode_make(VOUT_EXP);
        return 1;
    case PACT_NZ_VOUT:
        if (pact__ulinear16_encode(v[page_keys[page][0]], VOUT_EXP, d) < 0)
            d[0] = d[1] = 0xFF;
        return 2;
    case PACT_NZ_IOUT:
        return lin(v[page_keys[page][1]], -7, d);
    case PACT_NZ_POUT:
        return lin(v[page_keys[page][2]], -7, d);
    default:
        return -1;
    }
}

static void pec(uint8_t *rep, int end)
{
    uint8_t x = 0x5A;
    for (int i = 0; i < end; i++)
        x ^= rep[i];
    rep[end] = x;
}

int pact__psu_emu_nzxt_other(struct pact__psu_emu *e, const uint8_t *req,
                             uint8_t *rep)
{
    /* A reply shaped for a different transaction: a temperature read
     * answering a page read, a page read answering a simple one. */
    (void)e;
    memset(rep, 0, 64);
    rep[0] = 0xAA;
    rep[1] = (uint8_t)(req[2] == 3 ? 4 : 3);
    rep[2] = 0x02;
    rep[3] = 0x33;
    pec(rep, 5);
    return PACT_EMU_REPLY;
}

int pact__psu_emu_nzxt(struct pact__psu_emu *e, const uint8_t *req,
                       uint8_t *rep)
{
    if (req[0] != 0xAD) {
        e->bad++;
        return PACT_EMU_SILENT;
    }
    int r = req[2], w = req[3];
    int paged = w == 4 && req[5] == 0x06 && req[6] == 0x02;
    int simple = w == 1;
    int page = paged ? req[7] : -1;
    int cmd = paged ? req[8] : req[5];
    e->cmd_count[cmd & 0xFF]++;
    memset(rep, 0, 64);

    /* The bridge needs time between transactions (sec. 2: liquidctl
     * waits 2.5 ms before every write); sooner, it answers an error. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double now = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    int soon = e->last_req_s > 0 &&
               now - e->last_req_s < e->st.v[EK_MIN_GAP_MS] / 1000.0;
    e->last_req_s = now;
    if (soon) {
        e->too_soon++;
        goto busy;
    }

    if (pact__psu_emu_fault_on(e, cmd)) {
        switch (e->st.fault) {
        case PACT_FAULT_NO_REPLY:
            return PACT_EMU_SILENT;
        case PACT_FAULT_WRONG_ECHO:
            return pact__psu_emu_nzxt_other(e, req, rep);
        case PACT_FAULT_BUSY:
            goto busy;
        case PACT_FAULT_GARBAGE:
            pact__psu_emu_garbage(e, req, rep);
            return PACT_EMU_REPLY;
        default:
            break;
        }
    }
    if (e->busy_sent < (int)e->st.v[EK_BUSY_REPLIES]) {
        e->busy_sent++;
        goto busy;
    }
    e->busy_sent = 0;

    uint8_t d[8];
    int width = (paged || simple) && req[4] == PACT_NZXT_ADDR
                    ? value(e, page, cmd, d)
                    : -1;
    if (width < 0)
        goto busy;
    rep[0] = 0xAA;
    rep[1] = (uint8_t)r;
    int at = 2;
    if (paged)
        rep[at++] = (uint8_t)width;
    /* The bridge returns R bytes whatever the register's width. */
    int n = r - (paged ? 2 : 1);
    for (int i = 0; i < n && at < 63; i++)
        rep[at++] = i < width ? d[i] : 0xFF;
    pec(rep, at);
    return PACT_EMU_REPLY;

busy:
    rep[0] = 0xAA;
    rep[1] = (uint8_t)r;
    for (int i = 2; i < 2 + r && i < 64; i++)
        rep[i] = 0xFF;
    return PACT_EMU_REPLY;
}
