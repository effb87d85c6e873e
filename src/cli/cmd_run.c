/* SPDX-License-Identifier: MIT */
/*
 * cmd_run.c - `pact run [options] -- CMD ARGS...`: track while CMD runs,
 * exit with CMD's status (127 when it is not found), forward signals,
 * print the summary.  The tracker (and so the CSV) is set up before the
 * command starts, so an unwritable output fails before any work is done.
 * SIGINT/SIGTERM/SIGHUP stop pact within a second whatever the workload
 * does (spawn.h); SIGUSR1 prints the summary so far.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/console.h"
#include "cli/control.h"
#include "core/tracker.h"
#include "cli/fleet.h"
#include "cli/http_server.h"
#include "cli/options.h"
#include "cli/spawn.h"
#include "cli/summary_print.h"

/* SIGUSR1: the figures so far, on stderr; the run goes on. */
static void summary_so_far(void *t)
{
    fprintf(stderr, "pact: summary so far (SIGUSR1):\n");
    summary_print(t, 1, NULL);
}

static void help(void)
{
    puts("usage: pact run [options] [--] CMD [ARGS...]\n"
         "Track power and counters while CMD runs; write one CSV row per "
         "measure period\nand print a summary.  Exits with CMD's status.\n");
    cli_print_tracker_options();
}

/* `pact top` pressed s: stop tracking; the workload runs on, and the
 * summary of what was tracked is printed when it ends. */
static void stop_by_control(void *tracker)
{
    pact_tracker_stop(tracker);
    console_status_clear();
    fprintf(stderr, "pact: tracking stopped by pact top; the command runs "
            "on, the summary follows when it ends\n");
}

int cmd_run(int argc, char **argv)
{
    /* No live line unless --live: the workload owns the terminal. */
    struct cli_opts o = {.status = 0};
    pact_config_init(&o.cfg);
    cli_parse(argc, argv, &o, help);
    if (o.duration_s > 0) {
        fprintf(stderr, "pact run: --duration is for pact monitor; pact run "
                "stops when CMD exits (to bound it: pact run -- timeout "
                "%g CMD ...)\n", o.duration_s);
        return 2;
    }
    if (optind >= argc) {
        fprintf(stderr, "pact run: no command given; usage: pact run "
                "[options] -- CMD [ARGS...]\n");
        return 2;
    }
    if (!fleet_elected(&o, "running the command untracked")) {
        execvp(argv[optind], &argv[optind]);
        fprintf(stderr, "pact run: cannot run '%s'\n", argv[optind]);
        return 127;
    }
    console_init(o.quiet, o.status);
    summary_print_command(NULL, argc - optind, argv + optind);

    struct cli_child child = {.release_fd = -1};
    cli_block_signals(&child.old_mask);
    if (cli_spawn_parked(&argv[optind], &child) < 0) {
        perror("pact run: fork");
        return 2;
    }
    o.cfg.workload_pid = child.pid;
    char err[512];
    struct pact_tracker *t;
    if (pact_tracker_new(&o.cfg, &t, err, sizeof err) < 0) {
        fprintf(stderr, "pact: error: %s\n", err);
        cli_abort(&child);
        return 2;
    }
    if (summary_json_check(o.summary_json)) {
        cli_abort(&child);
        pact_tracker_free(t);
        return 2;
    }
    struct http_server *http;
    if (fleet_listen(&o, t, &http) < 0) {
        cli_abort(&child);
        pact_tracker_free(t);
        return 2;
    }
    if (pact_tracker_start(t) < 0) {
        fprintf(stderr, "pact: %s\n", pact_tracker_errmsg(t));
        http_server_stop(http);
        cli_abort(&child);
        pact_tracker_free(t);
        return 2;
    }
    struct control *ctl = control_start_or_say(pact__tracker_snapshot(t),
                                               stop_by_control, t, o.quiet);
    cli_on_usr1(summary_so_far, t);
    cli_release(&child);
    int status = cli_wait(&child, console_status_enabled() ? 1.0 : 0,
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
    if (rc < 0 || jrc) {
        /* Lost output is a failure, whatever the command did. */
        fprintf(stderr, "pact: output incomplete (the command exited with "
                "status %d); exit status %d\n", status, CLI_EXIT_OUTPUT);
        return CLI_EXIT_OUTPUT;
    }
    return status;
}
