/* SPDX-License-Identifier: MIT */
/*
 * psu_emu_state.h - the PSU emulator's readings and fault switches, read
 * from a key=value text file ('#' comments, blank lines ignored) that the
 * emulator re-reads before every request, so a test can change values
 * mid-run.  Missing keys keep the model family's default.
 */
#ifndef PACT_HID_PSU_EMU_STATE_H
#define PACT_HID_PSU_EMU_STATE_H

#include <stddef.h>

#include "hid/psu_link.h" /* enum pact__emu_family */

enum pact__emu_fault {
    PACT_FAULT_NONE = 0,
    PACT_FAULT_NO_REPLY,   /* request swallowed: reader times out */
    PACT_FAULT_WRONG_ECHO, /* reply to another command (another program) */
    PACT_FAULT_BUSY,       /* Corsair "xx FE 00 00", NZXT "AA R FF FF .." */
    PACT_FAULT_GARBAGE,    /* 64 pseudo-random bytes */
    PACT_FAULT_DISCONNECT, /* connections closed and refused: unplugged */
};

/* Numeric keys.  Order = the table in psu_emu_state.c. */
enum pact__emu_key {
    EK_OUTPUT_POWER_W,
    EK_INPUT_VOLTAGE_V,
    EK_R12_V, EK_R12_A, EK_R12_W,
    EK_R5_V, EK_R5_A, EK_R5_W,
    EK_R3_V, EK_R3_A, EK_R3_W,
    EK_R12P_V, EK_R12P_A, EK_R12P_W,
    EK_R12E_V, EK_R12E_A, EK_R12E_W,
    EK_R12C_V, EK_R12C_A, EK_R12C_W,
    EK_TEMP1_C, EK_TEMP2_C, EK_FAN_RPM, EK_FAN_DUTY_PCT,
    EK_UPTIME_S, EK_TOTAL_UPTIME_S,
    EK_BUSY_REPLIES, EK_STRAY_REPLIES, EK_POWER_CYCLE, EK_DELAY_MS,
    EK_PAGE_RACE, EK_MIN_GAP_MS,
    EK_COUNT
};

struct pact__emu_key_info {
    const char *name;
    int families;       /* bit mask of enum pact__emu_family */
    double corsair_def;
    double nzxt_def;
    const char *help;
};

/* EK_COUNT entries, in enum order. */
extern const struct pact__emu_key_info pact__emu_keys[EK_COUNT];

struct pact__emu_state {
    double v[EK_COUNT];
    int fault;             /* enum pact__emu_fault */
    int fault_cmd;         /* command the fault is limited to; -1 = all */
    char firmware[8];      /* NZXT 0xFC, e.g. "A017" */
    int bad_lines;         /* lines not understood */
    char first_bad[64];    /* the first of them, for a warning */
};

/* Fault name ("no_reply") <-> value; -1 for an unknown name. */
int pact__emu_fault_parse(const char *s);
const char *pact__emu_fault_name(int fault);

/* Defaults of family into st. */
void pact__emu_state_defaults(struct pact__emu_state *st, int family);

/*
 * Defaults, then the file at path (NULL or a missing file: defaults only).
 * Returns 0, or -errno for an unreadable (not missing) file.
 */
int pact__emu_state_load(struct pact__emu_state *st, int family,
                         const char *path);

#endif
