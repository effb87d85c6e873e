/* SPDX-License-Identifier: MIT */
/*
 * transport.c - the backend-neutral half of the HID transport: choosing
 * a backend from the device string, padding requests to 64 bytes, the
 * poll()-based read timeout, draining, and the round-trip counters.
 */
#include "hid/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/path.h"

static _Atomic uint64_t round_trips_total;

uint64_t pact__hid_round_trips_total(void)
{
    return atomic_load(&round_trips_total);
}

struct pact__hid *pact__hid_from_fd(int fd, const struct pact__hid_ops *ops,
                                    const char *name)
{
    struct pact__hid *h = calloc(1, sizeof *h);
    if (!h) {
        close(fd);
        return NULL;
    }
    /* Reads poll with a timeout, so the fd itself must never block. */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    h->fd = fd;
    h->ops = ops;
    snprintf(h->name, sizeof h->name, "%s", name ? name : "");
    return h;
}

int pact__hid_open(const char *spec, const char *sysroot,
                   struct pact__hid **out)
{
    *out = NULL;
    const struct pact__hid_ops *ops;
    char path[4096];
    if (strncmp(spec, "unix:", 5) == 0) {
        ops = &pact__hid_socket_ops;
        if (snprintf(path, sizeof path, "%s", spec + 5) >= (int)sizeof path)
            return -ENAMETOOLONG;
    } else {
        ops = &pact__hid_hidraw_ops;
        /* /dev paths live under the sysroot like every other one. */
        const char *root = strncmp(spec, "/dev/", 5) == 0 ? sysroot : "";
        if (pact__path(path, sizeof path, root, "%s", spec) < 0)
            return -ENAMETOOLONG;
    }
    int fd = ops->open(path);
    if (fd < 0)
        return fd;
    *out = pact__hid_from_fd(fd, ops, spec);
    return *out ? 0 : -ENOMEM;
}

int pact__hid_write(struct pact__hid *h, const uint8_t *req, size_t len)
{
    uint8_t rep[PACT_HID_REPORT] = {0};
    if (len > sizeof rep)
        return -EMSGSIZE;
    memcpy(rep, req, len);
    return h->ops->send(h->fd, rep);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int pact__hid_read(struct pact__hid *h, uint8_t *buf, size_t cap,
                   int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    for (;;) {
        int r = h->ops->recv(h->fd, buf, cap);
        if (r != -EAGAIN)
            return r;
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return -ETIMEDOUT;
        struct pollfd p = {.fd = h->fd, .events = POLLIN};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno != EINTR)
            return -errno;
        /* POLLHUP/POLLERR: the next recv reports -ENODEV. */
    }
}

int pact__hid_transact(struct pact__hid *h, const uint8_t *req, size_t len,
                       uint8_t *rep, size_t cap, int timeout_ms)
{
    int r = pact__hid_write(h, req, len);
    if (r < 0)
        return r;
    h->round_trips++;
    atomic_fetch_add(&round_trips_total, 1);
    return pact__hid_read(h, rep, cap, timeout_ms);
}

int pact__hid_drain(struct pact__hid *h)
{
    /* Bounded in bytes and in time: a device that always has data (a
     * wrong --psu-device such as /dev/zero, or one that floods) ends the
     * drain with -EOVERFLOW instead of spinning. */
    uint8_t buf[PACT_HID_REPORT];
    int n = 0;
    size_t bytes = 0;
    int64_t deadline = now_ms() + PACT__HID_DRAIN_MAX_MS;
    for (;;) {
        int r = h->ops->recv(h->fd, buf, sizeof buf);
        if (r == -EAGAIN)
            return n;
        if (r < 0)
            return r;
        n++;
        bytes += (size_t)r;
        if (bytes > PACT__HID_DRAIN_MAX_BYTES || now_ms() > deadline)
            return -EOVERFLOW;
    }
}

void pact__hid_close(struct pact__hid *h)
{
    if (!h)
        return;
    if (h->fd >= 0)
        close(h->fd);
    free(h);
}
