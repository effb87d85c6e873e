/* SPDX-License-Identifier: MIT */
/*
 * fleet.c - the local-rank election and the exporter's start for the
 * tracking subcommands (see fleet.h).  The library elects the same way
 * (a tracker on local rank > 0 writes no CSV), so the Python decorator
 * and `pact run` agree.
 */
#include "cli/fleet.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli/http_server.h"
#include "core/labels.h"
#include "core/snapshot.h"
#include "core/tracker.h"

int fleet_elected(const struct cli_opts *o, const char *what)
{
    struct pact__labels lb;
    char why[512];
    if (pact__labels_init(&lb, o->cfg.labels, why, sizeof why) < 0) {
        fprintf(stderr, "pact: %s\n", why);
        exit(2);
    }
    if (pact__elected(&lb))
        return 1;
    if (!o->quiet)
        fprintf(stderr, "pact: local rank %d: local rank 0 tracks this "
                "node's shared sources; %s\n", lb.local_rank, what);
    return 0;
}

int fleet_listen(const struct cli_opts *o, struct pact_tracker *t,
                 struct http_server **out)
{
    *out = NULL;
    if (!o->listen)
        return 0;
    char why[512];
    *out = http_server_start(o->listen, pact__tracker_snapshot(t), why,
                             sizeof why);
    if (!*out) {
        fprintf(stderr, "pact: %s\n", why);
        return -1;
    }
    return 0;
}
