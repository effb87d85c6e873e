/* SPDX-License-Identifier: MIT */
/*
 * nzxt.c - NZXT E-series transactions and validation (see nzxt.h).  A
 * timeout or an unplugged device ends a transaction at once; busy
 * replies are retried (3 attempts); wrongly shaped replies (another
 * program's, as hidraw gives every reader every report) are skipped
 * while waiting for ours.  A dead PSU costs one timeout per read.
 */
#include "hid/nzxt.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hid/linear11.h"
#include "hid/pmbus_nzxt.h"
#include "pact/pact.h"

const struct pact__nzxt_model pact__nzxt_models[] = {
    {0x5911, "E500", "e500", 500},
    {0x5912, "E650", "e650", 650},
    {0x2500, "E850", "e850", 850},
    {0, NULL, NULL, 0},
};

static const uint16_t pids[] = {0x5911, 0x5912, 0x2500};

const char *const pact__nzxt_page_names[PACT_NZXT_PAGES] = {
    "+12V peripherals", "+12V EPS/ATX12V", "+12V motherboard/PCI-e",
    "+5V combined", "+3.3V combined",
};

const uint16_t *pact__nzxt_pids(int *n)
{
    *n = (int)(sizeof pids / sizeof pids[0]);
    return pids;
}

const struct pact__nzxt_model *pact__nzxt_model_by_pid(uint16_t pid)
{
    for (const struct pact__nzxt_model *m = pact__nzxt_models; m->pid; m++)
        if (m->pid == pid)
            return m;
    return NULL;
}

const struct pact__nzxt_model *pact__nzxt_model_by_emu(const char *s)
{
    for (const struct pact__nzxt_model *m = pact__nzxt_models; m->pid; m++)
        if (strcasecmp(m->emu, s) == 0)
            return m;
    return NULL;
}

int pact__nzxt_simple_req(uint8_t cmd, int n, uint8_t *req)
{
    req[0] = 0xAD;
    req[1] = 0x00;
    req[2] = (uint8_t)(n + 1);
    req[3] = 0x01;
    req[4] = PACT_NZXT_ADDR;
    req[5] = cmd;
    return 6;
}

int pact__nzxt_page_req(int page, uint8_t cmd, int n, uint8_t *req)
{
    req[0] = 0xAD;
    req[1] = 0x00;
    req[2] = (uint8_t)(n + 2);
    req[3] = 0x04;
    req[4] = PACT_NZXT_ADDR;
    req[5] = PACT_NZ_PAGE_PLUS_READ;
    req[6] = 0x02;
    req[7] = (uint8_t)page;
    req[8] = cmd;
    return 9;
}

int pact__nzxt_check_simple(const uint8_t *rep, int nrep, int n)
{
    if (nrep < 2 + n || rep[0] != 0xAA || rep[1] != n + 1)
        return PACT_EPROTO;
    for (int i = 0; i < n; i++)
        if (rep[2 + i] != 0xFF)
            return 0;
    return -EBUSY; /* all ones: SMBus "no data" */
}

int pact__nzxt_check_page(const uint8_t *rep, int nrep, int n)
{
    if (nrep < 3 + n || rep[0] != 0xAA || rep[1] != n + 2)
        return PACT_EPROTO;
    if (rep[2] == 0xFF)
        return -EBUSY;
    return rep[2] == n ? 0 : PACT_EPROTO;
}

static void pause_us(int us)
{
    if (us <= 0)
        return;
    struct timespec ts = {.tv_sec = us / 1000000,
                          .tv_nsec = (long)(us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Send req and wait for a reply of the right shape: wrongly shaped ones
 * (another program's, or garbled) are skipped until the timeout. */
static int attempt(struct pact__nzxt *c, const uint8_t *req, int len,
                   int page_shape, int n, uint8_t *rep)
{
    int64_t deadline = now_ms() + c->timeout_ms;
    int strays = 0;
    int got = pact__hid_transact(c->hid, req, (size_t)len, rep,
                                 PACT_HID_REPORT, c->timeout_ms);
    for (;;) {
        if (got < 0)
            return got == -ETIMEDOUT && strays ? PACT_EPROTO : got;
        int r = page_shape ? pact__nzxt_check_page(rep, got, n)
                           : pact__nzxt_check_simple(rep, got, n);
        if (r != PACT_EPROTO)
            return r;
        c->strays++;
        strays++;
        /* Bounded in bytes as well as in time: a device that floods
         * foreign reports is not read forever within the timeout. */
        if (strays * PACT_HID_REPORT > (int)PACT__HID_DRAIN_MAX_BYTES)
            return -EOVERFLOW;
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return PACT_EPROTO;
        got = pact__hid_read(c->hid, rep, PACT_HID_REPORT, (int)left);
    }
}

static int transaction(struct pact__nzxt *c, const uint8_t *req, int len,
                       int page_shape, int n, uint8_t *data)
{
    int r = PACT_EPROTO;
    for (int i = 0; i < PACT_NZXT_ATTEMPTS; i++) {
        if (i)
            c->retries++;
        pause_us(c->pause_us);
        uint8_t rep[PACT_HID_REPORT];
        r = attempt(c, req, len, page_shape, n, rep);
        if (r == 0) {
            memcpy(data, rep + (page_shape ? 3 : 2), (size_t)n);
            return 0;
        }
        if (r == -EBUSY)
            c->busy++;
        else
            return r; /* timeout, unplugged, or nothing but strays */
    }
    return r;
}

int pact__nzxt_read_simple(struct pact__nzxt *c, uint8_t cmd, int n,
                           uint8_t *data)
{
    uint8_t req[16];
    int len = pact__nzxt_simple_req(cmd, n, req);
    return transaction(c, req, len, 0, n, data);
}

int pact__nzxt_read_page(struct pact__nzxt *c, int page, uint8_t cmd, int n,
                         uint8_t *data)
{
    if (page < 0 || page >= PACT_NZXT_PAGES)
        return -EINVAL;
    uint8_t req[16];
    int len = pact__nzxt_page_req(page, cmd, n, req);
    return transaction(c, req, len, 1, n, data);
}

int pact__nzxt_read_linear(struct pact__nzxt *c, int page, uint8_t cmd,
                           double *out)
{
    uint8_t d[2];
    int r = page < 0 ? pact__nzxt_read_simple(c, cmd, 2, d)
                     : pact__nzxt_read_page(c, page, cmd, 2, d);
    if (r == 0)
        *out = pact__linear11_decode(d[0], d[1]);
    return r;
}

int pact__nzxt_read_vout(struct pact__nzxt *c, int page, int *exp_cache,
                         double *volts)
{
    int r;
    if (*exp_cache == INT_MIN) {
        uint8_t mode;
        r = pact__nzxt_read_page(c, page, PACT_NZ_VOUT_MODE, 1, &mode);
        if (r < 0)
            return r;
        r = pact__vout_mode_exponent(mode, exp_cache);
        if (r < 0)
            return r;
    }
    uint8_t d[2];
    r = pact__nzxt_read_page(c, page, PACT_NZ_VOUT, 2, d);
    if (r == 0)
        *volts = pact__ulinear16_decode(d[0], d[1], *exp_cache);
    return r;
}

int pact__nzxt_read_fw(struct pact__nzxt *c, char *buf, size_t len)
{
    uint8_t d[2];
    int r = pact__nzxt_read_simple(c, PACT_NZ_FW, 2, d);
    if (r < 0)
        return r;
    unsigned cam;
    return pact__nzxt_fw_decode(d[0], d[1], buf, len, &cam);
}
