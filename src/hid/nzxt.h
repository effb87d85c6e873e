/* SPDX-License-Identifier: MIT */
/*
 * nzxt.h - the NZXT E-series (Seasonic) USB HID protocol, reader side.
 * Each report tunnels one PMBus transaction: a simple read
 * "AD 00 (n+1) 01 60 cc" or a PAGE_PLUS_READ "AD 00 (n+2) 04 60 06 02 pp
 * cc"; replies are "AA R data.. pec" and "AA R n data.. pec".  Busy
 * replies ("AA 04 FF FF ..") are retried, 3 attempts in all, with a
 * 2.5 ms pause before every write, as liquidctl does.  The trailing
 * "PEC" byte is not understood by anyone and is ignored.
 */
#ifndef PACT_HID_NZXT_H
#define PACT_HID_NZXT_H

#include <stddef.h>
#include <stdint.h>

#include "hid/transport.h"

#define PACT_NZXT_VID 0x7793
#define PACT_NZXT_TIMEOUT_MS 250
#define PACT_NZXT_ATTEMPTS 3
#define PACT_NZXT_PAUSE_US 2500
#define PACT_NZXT_PAGES 5
#define PACT_NZXT_ADDR 0x60

enum pact__nzxt_cmd {
    PACT_NZ_PAGE_PLUS_READ = 0x06,
    PACT_NZ_VOUT_MODE = 0x20,
    PACT_NZ_VOUT = 0x8B,
    PACT_NZ_IOUT = 0x8C,
    PACT_NZ_TEMP2 = 0x8E,
    PACT_NZ_FAN_RPM = 0x90,
    PACT_NZ_POUT = 0x96,
    PACT_NZ_FW = 0xFC,
};

struct pact__nzxt_model {
    uint16_t pid;
    const char *name; /* "E850" */
    const char *emu;  /* "e850" */
    int rated_w;
};

/* Table terminated by pid 0; pids for discovery. */
extern const struct pact__nzxt_model pact__nzxt_models[];
const uint16_t *pact__nzxt_pids(int *n);
const struct pact__nzxt_model *pact__nzxt_model_by_pid(uint16_t pid);
const struct pact__nzxt_model *pact__nzxt_model_by_emu(const char *s);

/* liquidctl's names of pages 0..4 ("+12V peripherals", ...). */
extern const char *const pact__nzxt_page_names[PACT_NZXT_PAGES];

struct pact__nzxt {
    struct pact__hid *hid; /* borrowed */
    int timeout_ms;
    int pause_us;          /* before every write */
    unsigned busy;         /* busy replies seen */
    unsigned retries;      /* attempts beyond the first */
    unsigned strays;       /* wrongly shaped replies skipped */
};

/* Request builders; return the request length (<= 9). */
int pact__nzxt_simple_req(uint8_t cmd, int n, uint8_t *req);
int pact__nzxt_page_req(int page, uint8_t cmd, int n, uint8_t *req);

/* Reply checks for an n-byte register: 0, -EBUSY (all-ones "no data"
 * pattern) or PACT_EPROTO (wrong shape, e.g. another program's reply).
 * The data start at byte 2 (simple) or byte 3 (page). */
int pact__nzxt_check_simple(const uint8_t *rep, int nrep, int n);
int pact__nzxt_check_page(const uint8_t *rep, int nrep, int n);

/* Transactions with the retry policy.  data gets n bytes.  Return 0,
 * -ETIMEDOUT, -ENODEV, -EBUSY or PACT_EPROTO (after the last attempt). */
int pact__nzxt_read_simple(struct pact__nzxt *c, uint8_t cmd, int n,
                           uint8_t *data);
int pact__nzxt_read_page(struct pact__nzxt *c, int page, uint8_t cmd, int n,
                         uint8_t *data);

/* Decoded readings.  *exp_cache holds the page's VOUT_MODE exponent,
 * read on first use (INT_MIN = not read yet). */
int pact__nzxt_read_linear(struct pact__nzxt *c, int page, uint8_t cmd,
                           double *out);
int pact__nzxt_read_vout(struct pact__nzxt *c, int page, int *exp_cache,
                         double *volts);
int pact__nzxt_read_fw(struct pact__nzxt *c, char *buf, size_t len);

#endif
