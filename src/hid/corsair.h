/* SPDX-License-Identifier: MIT */
/*
 * corsair.h - the Corsair HXi/RMi USB HID protocol, reader side: reads
 * are "03 cc", rail select is "02 00 rr", initialisation is "FE 03"; the
 * reply echoes the request's first two bytes, then little-endian data of
 * a fixed width.  Only fixed widths are parsed: newer units (HX1500i)
 * leave stale bytes after the answer.  This reader never sends a
 * configuration write (OCP mode 0xD8, fan mode 0xF0, fan duty 0x3B).
 */
#ifndef PACT_HID_CORSAIR_H
#define PACT_HID_CORSAIR_H

#include <stddef.h>
#include <stdint.h>

#include "hid/transport.h"

#define PACT_CORSAIR_TIMEOUT_MS 250 /* the kernel driver's reply wait */

enum pact__corsair_cmd {
    PACT_CS_PAGE = 0x00,
    PACT_CS_FAN_DUTY = 0x3B,
    PACT_CS_VIN = 0x88,
    PACT_CS_IIN = 0x89,
    PACT_CS_VOUT = 0x8B,
    PACT_CS_IOUT = 0x8C,
    PACT_CS_TEMP1 = 0x8D,
    PACT_CS_TEMP2 = 0x8E,
    PACT_CS_FAN_RPM = 0x90,
    PACT_CS_POUT = 0x96,
    PACT_CS_MFR_ID = 0x99,
    PACT_CS_MFR_MODEL = 0x9A,
    PACT_CS_UPTIME_TOTAL = 0xD1,
    PACT_CS_UPTIME = 0xD2,
    PACT_CS_OCP_MODE = 0xD8,
    PACT_CS_TOTAL_OUT = 0xEE,
    PACT_CS_FAN_MODE = 0xF0,
};

enum { PACT_CS_RAIL_12V = 0, PACT_CS_RAIL_5V = 1, PACT_CS_RAIL_3V3 = 2 };

struct pact__corsair {
    struct pact__hid *hid; /* borrowed */
    int timeout_ms;
    unsigned conflicts;    /* stray replies seen (another program) */
};

/*
 * Check a reply against its request.  Returns 0 when bytes 0..1 echo the
 * request; -EOPNOTSUPP when byte 1 is 0x00 (command not supported by this
 * model); -EBUSY when byte 1 is 0xFE (PSU not initialised); PACT_EPROTO
 * when the echo does not match (another program talking to the PSU).
 */
int pact__corsair_check(const uint8_t *req, const uint8_t *rep, int n);

/* Fixed-width decoders of a reply (data from byte 2). */
double pact__corsair_linear(const uint8_t *rep);
uint32_t pact__corsair_u32(const uint8_t *rep);
/* ASCII from byte 2, at most n - 2 bytes, up to the first NUL or
 * non-printable byte.  Returns the length. */
int pact__corsair_string(const uint8_t *rep, int n, char *buf, size_t len);

/* FE 03: initialise; the reply's string (model) goes to buf if not NULL.
 * 0, -ETIMEDOUT, -ENODEV, PACT_EPROTO. */
int pact__corsair_init(struct pact__corsair *c, char *buf, size_t len);

/*
 * Read command cmd into rep (64 bytes).  On a 0xFE reply it initialises
 * and retries once; replies that do not echo the request are skipped
 * (and counted in conflicts) until ours comes.  Returns 0, -ETIMEDOUT,
 * -ENODEV, -EBUSY (still not initialised), -EOPNOTSUPP or PACT_EPROTO
 * (only foreign or garbled replies until the timeout).
 */
int pact__corsair_read(struct pact__corsair *c, uint8_t cmd, uint8_t *rep);

int pact__corsair_read_linear(struct pact__corsair *c, uint8_t cmd,
                              double *out);
int pact__corsair_read_u32(struct pact__corsair *c, uint8_t cmd,
                           uint32_t *out);
int pact__corsair_read_string(struct pact__corsair *c, uint8_t cmd,
                              char *buf, size_t len);

/* 02 00 rr: select rail rr (PACT_CS_RAIL_*) for 0x8B/0x8C/0x96. */
int pact__corsair_select_rail(struct pact__corsair *c, int rail);

#endif
