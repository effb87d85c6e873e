/* SPDX-License-Identifier: MIT */
/*
 * fleet.h - what run, monitor and serve share for fleets: the local-rank
 * election and the --listen exporter's lifetime.
 */
#ifndef PACT_CLI_FLEET_H
#define PACT_CLI_FLEET_H

#include "cli/options.h"

struct http_server;

/* 1 when this process should track (local rank 0, or no launcher); else
 * prints a one-line notice (unless -q) and returns 0.  Exits 2 on a bad
 * label. */
int fleet_elected(const struct cli_opts *o, const char *what);

/* Start the exporter when --listen was given.  Returns 0 (and *out, NULL
 * without --listen) or -1 after printing the one-line reason. */
int fleet_listen(const struct cli_opts *o, struct pact_tracker *t,
                 struct http_server **out);

#endif
