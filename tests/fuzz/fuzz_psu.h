/* SPDX-License-Identifier: MIT */
/*
 * fuzz_psu.h - feed fuzz bytes to a PSU reader as device replies: the
 * input is cut into 64-byte reports queued on a SOCK_SEQPACKET pair (the
 * emulator's transport), and the reader's requests go to the other end,
 * unread.  Reads time out at once when the replies run out.
 */
#ifndef PACT_FUZZ_PSU_H
#define PACT_FUZZ_PSU_H

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>

#include "hid/transport.h"

#define FUZZ_PSU_MAX_REPORTS 48 /* stays under the socket's buffer */

/* A transport whose replies are data; *peer gets the other end. */
static inline struct pact__hid *fuzz_psu_open(const uint8_t *data,
                                              size_t size, int *peer)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return NULL;
    int big = 1 << 20;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    for (size_t off = 0, k = 0; off < size && k < FUZZ_PSU_MAX_REPORTS;
         off += PACT_HID_REPORT, k++) {
        uint8_t rep[PACT_HID_REPORT] = {0};
        size_t n = size - off < sizeof rep ? size - off : sizeof rep;
        memcpy(rep, data + off, n);
        if (send(sv[0], rep, sizeof rep, MSG_DONTWAIT) < 0)
            break;
    }
    *peer = sv[0];
    return pact__hid_from_fd(sv[1], &pact__hid_socket_ops, "fuzz");
}

#endif
