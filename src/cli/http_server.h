/* SPDX-License-Identifier: MIT */
/*
 * http_server.h - the exporter's HTTP endpoint (libmicrohttpd): /metrics
 * in Prometheus text or OpenMetrics, a landing page at /, 404 and 405
 * otherwise.  Answers from the tracker's published snapshot only.
 */
#ifndef PACT_CLI_HTTP_SERVER_H
#define PACT_CLI_HTTP_SERVER_H

#include <stddef.h>

struct pact__snapshot;
struct http_server;

/* Parse "[ADDR:]PORT" (ADDR: IPv4, [IPv6], localhost; none = every
 * interface).  Returns 0, or -1 with a one-line message in why. */
int http_listen_parse(const char *spec, char *host, size_t hlen, int *port,
                      char *why, size_t len);

/* Bind spec and serve snap from a thread of libmicrohttpd's.  Returns
 * NULL with a one-line message naming the port in why. */
struct http_server *http_server_start(const char *spec,
                                      struct pact__snapshot *snap,
                                      char *why, size_t len);

void http_server_stop(struct http_server *h);

#endif
