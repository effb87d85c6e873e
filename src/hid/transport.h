/* SPDX-License-Identifier: MIT */
/*
 * transport.h - "write one report, read one report with a timeout", the
 * only thing the PSU protocols need from a device.  Two implementations
 * sit behind it: Linux hidraw (/dev/hidrawN, see hidraw.c) and a Unix
 * SOCK_SEQPACKET socket ("unix:PATH", see hid_socket.c) on which the PSU
 * emulator answers.  Reports here are always the 64 payload bytes; the
 * hidraw backend adds and drops the report-number byte itself.
 */
#ifndef PACT_HID_TRANSPORT_H
#define PACT_HID_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#define PACT_HID_REPORT 64 /* bytes per report, both directions */

/* One backend.  fd-based; all slots required. */
struct pact__hid_ops {
    const char *kind; /* "hidraw" or "unix" */
    /* Open path (already sysroot-prefixed for hidraw).  fd or -errno. */
    int (*open)(const char *path);
    /* Send one 64-byte report.  0 or -errno (-ENODEV when gone). */
    int (*send)(int fd, const uint8_t *rep);
    /* Receive one report into buf (cap >= 64) without blocking: bytes,
     * -EAGAIN when none is queued, -ENODEV when the device is gone. */
    int (*recv)(int fd, uint8_t *buf, size_t cap);
};

extern const struct pact__hid_ops pact__hid_hidraw_ops;
extern const struct pact__hid_ops pact__hid_socket_ops;

struct pact__hid {
    int fd;
    const struct pact__hid_ops *ops;
    uint64_t round_trips; /* write+read pairs on this handle */
    char name[256];       /* what the user gave, for messages */
};

/*
 * Open a device: "unix:PATH" (a SOCK_SEQPACKET socket, path literal) or a
 * hidraw node ("/dev/hidrawN", prefixed by sysroot).  On success *out
 * owns a new handle (pact__hid_close).  Returns 0 or -errno (-EACCES,
 * -ENOENT, -ECONNREFUSED ...); the caller words the message.
 */
int pact__hid_open(const char *spec, const char *sysroot,
                   struct pact__hid **out);

/* Wrap an already open fd (tests: one end of a socketpair).  The handle
 * owns fd from now on and makes it non-blocking.  NULL on allocation
 * failure (fd is then closed). */
struct pact__hid *pact__hid_from_fd(int fd, const struct pact__hid_ops *ops,
                                    const char *name);

/* Write one report: req (len <= 64 bytes) zero-padded to 64. */
int pact__hid_write(struct pact__hid *h, const uint8_t *req, size_t len);

/* Read one report (64 bytes into buf, cap >= 64), waiting at most
 * timeout_ms.  Returns bytes, -ETIMEDOUT or -ENODEV. */
int pact__hid_read(struct pact__hid *h, uint8_t *buf, size_t cap,
                   int timeout_ms);

/* write + read, counted as one round trip.  Returns bytes read or the
 * first error. */
int pact__hid_transact(struct pact__hid *h, const uint8_t *req, size_t len,
                       uint8_t *rep, size_t cap, int timeout_ms);

/* A drain stops after this many bytes or milliseconds. */
#define PACT__HID_DRAIN_MAX_BYTES (64u * 64u)
#define PACT__HID_DRAIN_MAX_MS 100

/* Discard every queued input report (before a burst of requests; hidraw
 * hands every report to every reader).  Returns how many were dropped,
 * -ENODEV, or -EOVERFLOW when the device still has data after
 * PACT__HID_DRAIN_MAX_BYTES or PACT__HID_DRAIN_MAX_MS (it floods: not a
 * PSU, or a wrong --psu-device). */
int pact__hid_drain(struct pact__hid *h);

/* Close; NULL-safe. */
void pact__hid_close(struct pact__hid *h);

/* Round trips made by every handle in this process (tests, benchmark). */
uint64_t pact__hid_round_trips_total(void);

#endif
