/* SPDX-License-Identifier: MIT */
/*
 * psu_link.c - PSU choice parsing, forced-device identification, open
 * error wording and once-per-change health logging (see psu_link.h).
 */
#include "hid/psu_link.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "hid/corsair.h"
#include "hid/corsair_models.h"
#include "hid/discover.h"
#include "hid/nzxt.h"
#include "hid/transport.h"
#include "pact/pact.h"

int pact__psu_choice(const char *s, char *why, size_t len)
{
    static const struct {
        const char *name;
        int choice;
    } names[] = {
        {"auto", PACT_PSU_AUTO},       {"corsair", PACT_PSU_CORSAIR},
        {"nzxt", PACT_PSU_NZXT},       {"none", PACT_PSU_NONE},
        {"Corsair_1500i", PACT_PSU_CORSAIR}, {"NZXT_850", PACT_PSU_NZXT},
    };
    if (!s || !*s)
        return PACT_PSU_AUTO;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0)
            return names[i].choice;
    if (why)
        snprintf(why, len,
                 "unknown --psu value '%s': use auto, corsair, nzxt or none "
                 "(Corsair_1500i and NZXT_850 also work)", s);
    return PACT_EBADCONFIG;
}

static int ask_corsair(struct pact__hid *h, struct pact__psu_id *id)
{
    struct pact__corsair c = {.hid = h, .timeout_ms = PACT_PSU_IDENT_TIMEOUT_MS};
    char s[64] = "";
    int r = pact__corsair_read_string(&c, PACT_CS_MFR_MODEL, s, sizeof s);
    if (r < 0 && r != -EOPNOTSUPP)
        return r;
    id->family = PACT_EMU_CORSAIR;
    snprintf(id->model, sizeof id->model, "%s", s);
    return 0;
}

static int ask_nzxt(struct pact__hid *h, struct pact__psu_id *id)
{
    struct pact__nzxt c = {.hid = h, .timeout_ms = PACT_PSU_IDENT_TIMEOUT_MS,
                           .pause_us = PACT_NZXT_PAUSE_US};
    uint8_t d[2];
    int r = pact__nzxt_read_simple(&c, PACT_NZ_FW, 2, d);
    if (r < 0)
        return r;
    id->family = PACT_EMU_NZXT;
    return 0;
}

int pact__psu_identify(const char *spec, const char *sysroot,
                       struct pact__psu_id *id)
{
    memset(id, 0, sizeof *id);
    if (strncmp(spec, "unix:", 5) != 0 &&
        pact__hid_node_ids(sysroot, spec, &id->vid, &id->pid) == 0) {
        if (id->vid == PACT_CORSAIR_VID &&
            pact__corsair_model_by_pid(id->pid)) {
            id->family = PACT_EMU_CORSAIR;
            return 0;
        }
        if (id->vid == PACT_NZXT_VID && pact__nzxt_model_by_pid(id->pid)) {
            id->family = PACT_EMU_NZXT;
            return 0;
        }
        return 0; /* some other HID device: do not talk to it */
    }
    struct pact__hid *h;
    int r = pact__hid_open(spec, sysroot, &h);
    if (r < 0)
        return r;
    /* Corsair first: an NZXT bridge ignores a request without its 0xAD
     * marker, while 0xAD is not a Corsair command. */
    if (ask_corsair(h, id) < 0 && pact__hid_drain(h) >= 0)
        ask_nzxt(h, id);
    pact__hid_close(h);
    return 0;
}

int pact__psu_udev_rule(uint16_t vid, uint16_t pid, char *buf, size_t len)
{
    return snprintf(buf, len,
                    "SUBSYSTEM==\"hidraw\", ATTRS{idVendor}==\"%04x\", "
                    "ATTRS{idProduct}==\"%04x\", TAG+=\"uaccess\", "
                    "MODE=\"0660\", GROUP=\"plugdev\"",
                    vid, pid);
}

void pact__psu_open_why(int err, const char *spec, uint16_t vid, uint16_t pid,
                        char *why, size_t len)
{
    int sock = strncmp(spec, "unix:", 5) == 0;
    if (err == -EACCES || err == -EPERM) {
        char rule[256];
        if (vid)
            pact__psu_udev_rule(vid, pid, rule, sizeof rule);
        else
            snprintf(rule, sizeof rule, "see contrib/60-pact-psu.rules");
        snprintf(why, len,
                 "permission denied on %s: install the udev rule "
                 "contrib/60-pact-psu.rules as "
                 "/etc/udev/rules.d/60-pact-psu.rules (%s), then run "
                 "'udevadm control --reload && udevadm trigger "
                 "--action=add --subsystem-match=hidraw' (or run as root)",
                 spec, rule);
    } else if (sock && (err == -ENOENT || err == -ECONNREFUSED)) {
        snprintf(why, len,
                 "cannot connect to %s (%s): start the emulator "
                 "(build/pact-psu-emu --listen PATH) or fix --psu-device",
                 spec, pact_strerror(err));
    } else if (err == -ENOENT || err == -ENODEV || err == -ENXIO) {
        snprintf(why, len,
                 "%s: no such device (%s): is the PSU's USB cable plugged "
                 "in? 'ls /dev/hidraw*' lists the nodes",
                 spec, pact_strerror(err));
    } else {
        snprintf(why, len, "cannot open %s: %s", spec, pact_strerror(err));
    }
}

const char *pact__psu_err_text(int err)
{
    switch (err) {
    case -ETIMEDOUT:
        return "no reply within the timeout";
    case -ENODEV:
        return "device unplugged or connection lost; will reconnect";
    case -EBUSY:
        return "PSU busy (busy or not-initialised replies, also after "
               "retrying)";
    case -EOPNOTSUPP:
        return "command not supported by this model";
    case -EOVERFLOW:
        return "the device sends data without being asked (it floods "
               "or is not a PSU): check --psu-device";
    case PACT_EPROTO:
        return "replies do not match the requests: another program "
               "(liquidctl, iCUE, NZXT CAM, the kernel corsair-psu driver) "
               "may be talking to the PSU; stop it (for Corsair, or let "
               "pact read the kernel's hwmon instead)";
    default:
        return pact_strerror(err);
    }
}

void pact__psu_health_set(struct pact__psu_health *h, const char *who,
                          int err, int whole, const char *msg)
{
    if (whole) {
        h->err = err;
        h->mine = 0;
        return;
    }
    if (err == h->err)
        return;
    h->err = err;
    if (err == 0) {
        if (h->mine)
            pact__log(PACT_LOG_NOTICE, "psu: %s answering again", who);
        h->mine = 0;
        return;
    }
    h->mine = 1;
    pact__log(PACT_LOG_WARN, "psu: %s: %s; the cells it feeds stay empty "
              "until it answers", who, msg ? msg : pact__psu_err_text(err));
}

void pact__psu_health_conflicts(struct pact__psu_health *h, const char *who,
                                unsigned count)
{
    if (count == 0 || h->conflicts)
        return;
    h->conflicts = 1;
    pact__log(PACT_LOG_WARN,
              "psu: %s: %u stray repl%s not matching our requests: another "
              "program (liquidctl, iCUE, NZXT CAM, the kernel corsair-psu "
              "driver) is talking to the PSU; readings may be wrong while "
              "it does",
              who, count, count == 1 ? "y" : "ies");
}

int pact__psu_read_done(struct pact__psu_health *h, const char *who, int r,
                        int any, int track, unsigned strays, unsigned *seen,
                        char *why, size_t len)
{
    pact__psu_health_set(h, who, r, !any, r < 0 ? why : NULL);
    /* Stray replies that a drain-and-retry cured: the read is fine, but
     * another program is talking to the PSU; say so once.  (When they
     * spoil a read, its why says it.) */
    if (track && strays != *seen) {
        if (any && r != PACT_EPROTO)
            pact__psu_health_conflicts(h, who, strays);
        *seen = strays;
    }
    if (!any && r == 0) {
        snprintf(why, len, "%s: no usable reading", who);
        r = PACT_EPROTO;
    }
    return any ? 0 : r;
}
