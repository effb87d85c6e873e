/* SPDX-License-Identifier: MIT */
/*
 * cmd_serve.c - `pact serve [options]`: `pact monitor` as a node daemon
 * for Prometheus: /metrics on --listen (default :9660, every interface),
 * no CSV unless -o is given.
 */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"

void cmd_serve_help(void)
{
    puts("usage: pact serve [--listen [ADDR:]PORT] [options]\n"
         "Track the machine and serve /metrics for Prometheus until Ctrl-C "
         "or SIGTERM.\nDefault --listen :9660; no CSV unless -o FILE.  See "
         "docs/prometheus.md.\n\n      --duration S         stop after S "
         "seconds\n");
    cli_print_tracker_options();
}

int cmd_serve(int argc, char **argv)
{
    return cmd_monitor_main(argc, argv, 1);
}
