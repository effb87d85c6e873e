/* SPDX-License-Identifier: MIT */
/*
 * psu_emu.h - a PSU that answers the real Corsair HXi/RMi or NZXT
 * E-series report protocol byte for byte, for tests and for the
 * pact-psu-emu tool: one 64-byte request in, one 64-byte reply (or
 * silence, or a hang-up) out.  Readings come from a state file re-read
 * before every request and are quantised as the device quantises them.
 * No I/O besides reading the state file; the caller owns the sockets.
 */
#ifndef PACT_HID_PSU_EMU_H
#define PACT_HID_PSU_EMU_H

#include <stdint.h>

#include "hid/corsair_models.h"
#include "hid/nzxt.h"
#include "psu_emu/psu_emu_state.h"

enum pact__emu_action {
    PACT_EMU_REPLY = 0,  /* send rep (64 bytes) */
    PACT_EMU_SILENT = 1, /* send nothing */
    PACT_EMU_HANGUP = 2, /* close the connection(s): unplugged */
};

struct pact__psu_emu {
    int family; /* enum pact__emu_family */
    const struct pact__corsair_model *cm;
    const struct pact__nzxt_model *nm;
    char *state_path; /* NULL: defaults only */
    struct pact__emu_state st;
    int inited;         /* Corsair: FE 03 seen since power-up */
    int page;           /* Corsair: selected rail */
    double power_cycle; /* last seen power_cycle value */
    int busy_sent;      /* busy replies sent in a row (busy_replies) */
    int busy_was;       /* Corsair: fault=busy was on at the last request */
    uint64_t selects;   /* Corsair: our rail selects (page_race) */
    double last_req_s;  /* NZXT: CLOCK_MONOTONIC of the last request */
    uint64_t too_soon;  /* NZXT: requests inside min_gap_ms */
    uint8_t buf[64];    /* reply buffer; newer Corsairs never clear it */
    uint32_t rng;
    uint64_t requests;  /* requests answered or not */
    uint64_t forbidden; /* configuration writes a reader must not send */
    uint64_t bad;       /* malformed requests (wrong length, framing) */
    uint64_t cmd_count[256]; /* requests per command code */
};

/* Model names, e.g. "hx1500i", "e850".  On success *out owns a new
 * emulator (pact__psu_emu_free).  -ENOENT for an unknown model. */
int pact__psu_emu_new(const char *model, const char *state_path,
                      struct pact__psu_emu **out);
void pact__psu_emu_free(struct pact__psu_emu *e);

/* Re-read the state file now (the answer functions do it themselves).
 * 0 or -errno. */
int pact__psu_emu_reload(struct pact__psu_emu *e);

/*
 * Answer one request of n bytes (a well-formed one is exactly 64) into
 * rep[64].  Re-reads the state file first.  Returns enum pact__emu_action.
 */
int pact__psu_emu_answer(struct pact__psu_emu *e, const uint8_t *req, int n,
                         uint8_t *rep);

/*
 * Replies another program's requests would have produced, to be sent
 * (to every client) before the reply to req: stray_replies of the state
 * last loaded, at most max, into rep[i][64].  Returns the count.
 */
int pact__psu_emu_strays(struct pact__psu_emu *e, const uint8_t *req,
                         uint8_t (*rep)[64], int max);

/* Whether a new connection is refused now (fault=disconnect).  Re-reads
 * the state file. */
int pact__psu_emu_unplugged(struct pact__psu_emu *e);

/* Per-family answerers (psu_emu_corsair.c, psu_emu_nzxt.c). */
int pact__psu_emu_corsair(struct pact__psu_emu *e, const uint8_t *req,
                          uint8_t *rep);
int pact__psu_emu_nzxt(struct pact__psu_emu *e, const uint8_t *req,
                       uint8_t *rep);

/* One reply to a command other than req's (wrong_echo, strays). */
int pact__psu_emu_corsair_other(struct pact__psu_emu *e, const uint8_t *req,
                                uint8_t *rep);
int pact__psu_emu_nzxt_other(struct pact__psu_emu *e, const uint8_t *req,
                             uint8_t *rep);

/* Fill rep with garbage that cannot pass for a reply to req. */
void pact__psu_emu_garbage(struct pact__psu_emu *e, const uint8_t *req,
                           uint8_t *rep);

/* Does the state's fault apply to command cmd? */
int pact__psu_emu_fault_on(const struct pact__psu_emu *e, int cmd);

#endif
