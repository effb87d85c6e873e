/* SPDX-License-Identifier: MIT */
/*
 * corsair.c - Corsair HXi/RMi request/reply exchange (see corsair.h).
 * Retry policy: one init-and-retry on a 0xFE reply (the PSU lost its
 * initialisation in standby, liquidctl/OpenCorsairLink notes); replies
 * that do not echo the request are skipped while waiting for ours
 * (hidraw hands every reply to every reader, so another program's
 * replies land in our queue) and counted in conflicts.
 */
#include "hid/corsair.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hid/linear11.h"
#include "pact/pact.h"

int pact__corsair_check(const uint8_t *req, const uint8_t *rep, int n)
{
    if (n < 2)
        return PACT_EPROTO;
    if (rep[0] == req[0] && rep[1] == req[1])
        return 0;
    if (rep[0] == req[0] && rep[1] == 0xFE)
        return -EBUSY;
    if (rep[0] == req[0] && rep[1] == 0x00)
        return -EOPNOTSUPP;
    return PACT_EPROTO;
}

double pact__corsair_linear(const uint8_t *rep)
{
    return pact__linear11_decode(rep[2], rep[3]);
}

uint32_t pact__corsair_u32(const uint8_t *rep)
{
    return (uint32_t)rep[2] | (uint32_t)rep[3] << 8 | (uint32_t)rep[4] << 16 |
           (uint32_t)rep[5] << 24;
}

int pact__corsair_string(const uint8_t *rep, int n, char *buf, size_t len)
{
    size_t k = 0;
    for (int i = 2; i < n && k + 1 < len; i++) {
        if (rep[i] < 0x20 || rep[i] > 0x7E)
            break;
        buf[k++] = (char)rep[i];
    }
    if (len)
        buf[k] = '\0';
    return (int)k;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * One exchange.  A reply that does not echo the request is someone
 * else's (hidraw gives every reader every report): count it and keep
 * reading until ours arrives or the timeout ends.
 */
static int exchange(struct pact__corsair *c, const uint8_t *req, size_t len,
                    uint8_t *rep)
{
    int64_t deadline = now_ms() + c->timeout_ms;
    int strays = 0;
    int n = pact__hid_transact(c->hid, req, len, rep, PACT_HID_REPORT,
                               c->timeout_ms);
    for (;;) {
        if (n < 0)
            return n == -ETIMEDOUT && strays ? PACT_EPROTO : n;
        if (n < PACT_HID_REPORT)
            memset(rep + n, 0, (size_t)(PACT_HID_REPORT - n));
        int r = pact__corsair_check(req, rep, n < 4 ? 0 : n);
        if (r != PACT_EPROTO)
            return r;
        c->conflicts++;
        strays++;
        /* Bounded in bytes as well as in time: a device that floods
         * foreign reports is not read forever within the timeout. */
        if (strays * PACT_HID_REPORT > (int)PACT__HID_DRAIN_MAX_BYTES)
            return -EOVERFLOW;
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return PACT_EPROTO;
        n = pact__hid_read(c->hid, rep, PACT_HID_REPORT, (int)left);
    }
}

int pact__corsair_init(struct pact__corsair *c, char *buf, size_t len)
{
    const uint8_t req[3] = {0xFE, 0x03, 0x00};
    uint8_t rep[PACT_HID_REPORT];
    int r = exchange(c, req, sizeof req, rep);
    if (r < 0)
        return r == -EBUSY || r == -EOPNOTSUPP ? PACT_EPROTO : r;
    if (buf)
        pact__corsair_string(rep, PACT_HID_REPORT, buf, len);
    return 0;
}

/* Send req (read or rail select); on "not initialised", initialise and
 * send it once more. */
static int request(struct pact__corsair *c, const uint8_t *req, size_t len,
                   uint8_t *rep)
{
    int r = exchange(c, req, len, rep);
    if (r != -EBUSY)
        return r;
    int i = pact__corsair_init(c, NULL, 0);
    if (i < 0)
        return i == PACT_EPROTO ? -EBUSY : i;
    return exchange(c, req, len, rep);
}

int pact__corsair_read(struct pact__corsair *c, uint8_t cmd, uint8_t *rep)
{
    const uint8_t req[3] = {0x03, cmd, 0x00};
    return request(c, req, sizeof req, rep);
}

int pact__corsair_read_linear(struct pact__corsair *c, uint8_t cmd,
                              double *out)
{
    uint8_t rep[PACT_HID_REPORT];
    int r = pact__corsair_read(c, cmd, rep);
    if (r == 0)
        *out = pact__corsair_linear(rep);
    return r;
}

int pact__corsair_read_u32(struct pact__corsair *c, uint8_t cmd,
                           uint32_t *out)
{
    uint8_t rep[PACT_HID_REPORT];
    int r = pact__corsair_read(c, cmd, rep);
    if (r == 0)
        *out = pact__corsair_u32(rep);
    return r;
}

int pact__corsair_read_string(struct pact__corsair *c, uint8_t cmd,
                              char *buf, size_t len)
{
    uint8_t rep[PACT_HID_REPORT];
    int r = pact__corsair_read(c, cmd, rep);
    if (r == 0)
        r = pact__corsair_string(rep, PACT_HID_REPORT, buf, len);
    return r;
}

int pact__corsair_select_rail(struct pact__corsair *c, int rail)
{
    if (rail < 0 || rail > 2)
        return -EINVAL;
    const uint8_t req[3] = {0x02, 0x00, (uint8_t)rail};
    uint8_t rep[PACT_HID_REPORT];
    int r = request(c, req, sizeof req, rep);
    if (r == 0 && rep[2] != (uint8_t)rail)
        r = PACT_EPROTO;
    return r;
}
