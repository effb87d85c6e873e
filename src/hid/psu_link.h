/* SPDX-License-Identifier: MIT */
/*
 * psu_link.h - what the two PSU drivers share: the --psu choice and its
 * aliases, telling which protocol a forced device speaks, wording open
 * errors (the udev rule for EACCES), and logging a device's health once
 * per change of state rather than once per sample.
 */
#ifndef PACT_HID_PSU_LINK_H
#define PACT_HID_PSU_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "hid/psu_emu_state.h" /* enum pact__emu_family */

enum pact__psu_choice {
    PACT_PSU_AUTO = 0,
    PACT_PSU_CORSAIR = 1,
    PACT_PSU_NZXT = 2,
    PACT_PSU_NONE = 3,
};

/* "auto" (or NULL/""), "corsair", "nzxt", "none", and the original's
 * "Corsair_1500i" and "NZXT_850"; case-insensitive.  Returns the choice,
 * or PACT_EBADCONFIG with a one-line message in why. */
int pact__psu_choice(const char *s, char *why, size_t len);

/* What sits at a device string. */
struct pact__psu_id {
    int family;   /* PACT_EMU_CORSAIR, PACT_EMU_NZXT, or 0 = unknown */
    uint16_t vid; /* 0 when unknown (sockets) */
    uint16_t pid;
    char model[64]; /* Corsair: the model string it gave; else "" */
};

#define PACT_PSU_IDENT_TIMEOUT_MS 100

/*
 * Identify the PSU at spec: a hidraw node by its sysfs ids; a socket (or
 * a node without sysfs ids) by asking, Corsair first (03 9A), then NZXT
 * (firmware read), each with a short timeout.  Returns 0 (id->family may
 * be 0: nothing answered) or the open error (-errno).
 */
int pact__psu_identify(const char *spec, const char *sysroot,
                       struct pact__psu_id *id);

/* The udev rule line granting access to vid:pid (no newline). */
int pact__psu_udev_rule(uint16_t vid, uint16_t pid, char *buf, size_t len);

/* One line saying why spec could not be opened (err = -errno) and what
 * to do.  vid/pid (0 if unknown) pick the udev rule for EACCES. */
void pact__psu_open_why(int err, const char *spec, uint16_t vid, uint16_t pid,
                        char *why, size_t len);

/* Words a transaction error for the log (timeout, busy, mismatch...). */
const char *pact__psu_err_text(int err);

/*
 * Health of one device, logged once per change of state.  A read that
 * fails as a whole (read() < 0) is logged by the tracker from its why
 * text, so only partial failures (some cells empty, e.g. one command
 * timing out) and their recovery are logged here.
 */
struct pact__psu_health {
    int err;        /* last state: 0 answering, < 0 failing */
    int mine;       /* the last failing state was logged here */
    int conflicts;  /* stray replies already reported */
};

/* Record state err for device who: whole = 1 when every cell is empty
 * (the tracker logs it), 0 for a partial failure.  msg may be NULL. */
void pact__psu_health_set(struct pact__psu_health *h, const char *who,
                          int err, int whole, const char *msg);

/* Report once that another program's replies were seen (cured by a
 * retry); count = stray replies so far. */
void pact__psu_health_conflicts(struct pact__psu_health *h, const char *who,
                                unsigned count);

/* The end of a PSU driver's read: record the state (any = some cell has
 * a reading), report stray replies once when strays moved past *seen
 * (track = 0: not tracked), and make "no error but nothing usable"
 * PACT_EPROTO with a reason.  Returns what read() returns. */
int pact__psu_read_done(struct pact__psu_health *h, const char *who, int r,
                        int any, int track, unsigned strays, unsigned *seen,
                        char *why, size_t len);

#endif
