/* SPDX-License-Identifier: MIT */
/*
 * hidraw.c - the Linux hidraw backend of the HID transport.  The PSUs
 * declare no numbered reports, so every write() is 65 bytes: a leading
 * 0x00 report number that usbhid strips, then the 64 payload bytes; a
 * read() returns the 64 payload bytes with no prefix.  A vanished device
 * reads as EIO and writes as ENODEV (drivers/hid/hidraw.c); both map to
 * -ENODEV here.
 */
#include "hid/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static int gone(int e)
{
    return e == EIO || e == ENODEV || e == ENXIO || e == ESHUTDOWN;
}

static int hidraw_open(const char *path)
{
    int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

static int hidraw_send(int fd, const uint8_t *rep)
{
    uint8_t buf[1 + PACT_HID_REPORT];
    buf[0] = 0x00; /* report number: none */
    memcpy(buf + 1, rep, PACT_HID_REPORT);
    for (;;) {
        ssize_t w = write(fd, buf, sizeof buf);
        if (w == (ssize_t)sizeof buf)
            return 0;
        if (w >= 0)
            return -EIO;
        if (errno == EINTR)
            continue;
        return gone(errno) ? -ENODEV : -errno;
    }
}

static int hidraw_recv(int fd, uint8_t *buf, size_t cap)
{
    for (;;) {
        ssize_t r = read(fd, buf, cap);
        if (r > 0)
            return (int)r;
        if (r == 0)
            return -ENODEV;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN)
            return -EAGAIN;
        return gone(errno) ? -ENODEV : -errno;
    }
}

const struct pact__hid_ops pact__hid_hidraw_ops = {
    .kind = "hidraw",
    .open = hidraw_open,
    .send = hidraw_send,
    .recv = hidraw_recv,
};
