/* SPDX-License-Identifier: MIT */
/*
 * hid_socket.c - the Unix SOCK_SEQPACKET backend of the HID transport,
 * for the PSU emulator (tools/pact-psu-emu.c).  Message boundaries make
 * it behave like hidraw: one send() is one 64-byte report as the PSU
 * sees it on USB (no report-number byte), one recv() one reply.  The
 * peer closing (EOF, EPIPE, ECONNRESET) reads as an unplugged device.
 */
#include "hid/transport.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int sock_open(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path)
        return -ENAMETOOLONG;
    memcpy(a.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    return fd;
}

static int gone(int e)
{
    return e == EPIPE || e == ECONNRESET || e == ENOTCONN;
}

static int sock_send(int fd, const uint8_t *rep)
{
    for (;;) {
        ssize_t w = send(fd, rep, PACT_HID_REPORT, MSG_NOSIGNAL);
        if (w == PACT_HID_REPORT)
            return 0;
        if (w >= 0)
            return -EIO;
        if (errno == EINTR)
            continue;
        return gone(errno) ? -ENODEV : -errno;
    }
}

static int sock_recv(int fd, uint8_t *buf, size_t cap)
{
    for (;;) {
        ssize_t r = recv(fd, buf, cap, MSG_DONTWAIT);
        if (r > 0)
            return (int)r;
        if (r == 0)
            return -ENODEV; /* peer closed: unplugged */
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN)
            return -EAGAIN;
        return gone(errno) ? -ENODEV : -errno;
    }
}

const struct pact__hid_ops pact__hid_socket_ops = {
    .kind = "unix",
    .open = sock_open,
    .send = sock_send,
    .recv = sock_recv,
};
