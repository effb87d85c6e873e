/* SPDX-License-Identifier: MIT */
/*
 * top_fetch.h - how `pact top` reaches a running pact: its control socket
 * (metrics and stop) or its --listen endpoint (an HTTP GET of /metrics).
 * Every call is bounded in time, so a hung pact cannot hang the view.
 */
#ifndef PACT_CLI_TOP_FETCH_H
#define PACT_CLI_TOP_FETCH_H

#include <stddef.h>

struct top_target {
    char socket[256]; /* a control socket, or "" */
    char host[128];   /* an HTTP endpoint when socket is "" */
    int port;
    char path[128];
};

/* From --url http://HOST:PORT[/PATH], --socket PATH, --pid PID, or the
 * newest socket in the control directory.  Returns 0, or -1 with a
 * one-line reason in why. */
int top_target_find(const char *url, const char *socket, long pid,
                    struct top_target *t, char *why, size_t len);

/* Send request ("metrics" or "stop"); a malloc'd answer, or NULL with a
 * reason in why.  timeout_ms bounds the whole exchange. */
char *top_fetch(const struct top_target *t, const char *request,
                int timeout_ms, char *why, size_t len);

#endif
