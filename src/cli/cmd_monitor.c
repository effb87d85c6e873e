/* SPDX-License-Identifier: MIT */
/*
 * cmd_monitor.c - `pact monitor [options]`: track the whole machine until
 * SIGINT/SIGTERM/SIGHUP or --duration, then print the summary.  A second
 * stop signal exits at once; SIGUSR1 prints the summary so far.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "cli/console.h"
#include "core/tracker.h"
#include "cli/control.h"
#include "cli/fleet.h"
#include "cli/http_server.h"
#include "cli/options.h"
#include "cli/spawn.h"
#include "cli/summary_print.h"

/* SIGUSR1: the figures so far, on stderr; monitoring goes on. */
static void summary_so_far(void *t)
{
    fprintf(stderr, "pact: summary so far (SIGUSR1):\n");
    summary_print(t, 1, NULL);
}

static void help(void)
{
    puts("usage: pact monitor [options] [--duration S]\n"
         "Track the machine until Ctrl-C, SIGTERM or --duration seconds.\n"
         "\n      --duration S         stop after S seconds\n");
    cli_print_tracker_options();
}

/* `pact top` pressed s: stop as SIGTERM does (last row, summary). */
static void stop_by_control(void *user)
{
    (void)user;
    kill(getpid(), SIGTERM);
}

/* serve: a node daemon; no CSV unless -o, --listen default :9660. */
int cmd_monitor_main(int argc, char **argv, int serve)
{
    struct cli_opts o = {.status = -1};
    pact_config_init(&o.cfg);
    if (serve)
        o.cfg.output_path = "";
    cli_parse(argc, argv, &o, serve ? cmd_serve_help : help);
    if (serve && !o.listen)
        o.listen = ":9660";
    if (optind < argc) {
        fprintf(stderr, "pact %s: unexpected argument '%s'; to track "
                "a command use 'pact run -- CMD'\n", argv[0], argv[optind]);
        return 2;
    }
    if (!fleet_elected(&o, "nothing to do here"))
        return 0;
    console_init(o.quiet, o.status);
    summary_print_command("pact", argc, argv);
    /* Nothing to follow but the machine: counters are system-wide or,
     * without the permission, unavailable (a notice says why). */
    o.cfg.workload_pid = -1;
    sigset_t old;
    cli_block_signals(&old);
    char err[512];
    struct pact_tracker *t;
    if (pact_tracker_new(&o.cfg, &t, err, sizeof err) < 0) {
        fprintf(stderr, "pact: error: %s\n", err);
        return 2;
    }
    if (summary_json_check(o.summary_json)) {
        pact_tracker_free(t);
        return 2;
    }
    struct http_server *http;
    if (fleet_listen(&o, t, &http) < 0) {
        pact_tracker_free(t);
        return 2;
    }
    if (pact_tracker_start(t) < 0) {
        fprintf(stderr, "pact: %s\n", pact_tracker_errmsg(t));
        http_server_stop(http);
        pact_tracker_free(t);
        return 2;
    }
    struct control *ctl = control_start_or_say(pact__tracker_snapshot(t),
                                               stop_by_control, NULL, o.quiet);
    cli_on_usr1(summary_so_far, t);
    cli_wait_signal(o.duration_s, console_status_enabled() ? 1.0 : 0,
                    console_status, t);
    cli_on_usr1(NULL, NULL);
    control_stop(ctl);
    int rc = pact_tracker_stop(t);
    http_server_stop(http);
    console_status_clear();
    if (rc < 0)
        fprintf(stderr, "pact: %s\n", pact_tracker_errmsg(t));
    int jrc = 0;
    if (!o.quiet || o.summary_json)
        jrc = summary_print(t, !o.quiet, o.summary_json);
    pact_tracker_free(t);
    return rc < 0 || jrc ? CLI_EXIT_OUTPUT : 0;
}

int cmd_monitor(int argc, char **argv)
{
    return cmd_monitor_main(argc, argv, 0);
}
