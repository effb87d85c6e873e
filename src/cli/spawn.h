/* SPDX-License-Identifier: MIT */
/*
 * spawn.h - run the workload: fork a child parked before exec (so its
 * counters can be attached and start at exec, perf stat's method), then
 * release it and wait, forwarding SIGINT/SIGTERM/SIGHUP/SIGQUIT sent to
 * pact.  Signals from the terminal already reach the child's process
 * group and are not sent twice.
 */
#ifndef PACT_CLI_SPAWN_H
#define PACT_CLI_SPAWN_H

#include <signal.h>
#include <sys/types.h>

struct cli_child {
    pid_t pid;
    int release_fd;
    sigset_t old_mask;
};

/* Block the signals pact waits for (before any thread starts). */
void cli_block_signals(sigset_t *old);

/* Fork a child that waits on a pipe, then execvp(argv).  If exec fails
 * the child prints why and exits 127 (not found) or 126. */
int cli_spawn_parked(char **argv, struct cli_child *c);

/* The same, with the child's stdout and stderr on out_fd (which the
 * caller keeps and closes; < 0 = inherit pact's). */
int cli_spawn_parked_to(char **argv, struct cli_child *c, int out_fd);

/* Let the child exec. */
void cli_release(struct cli_child *c);

/* Kill and reap a child that was never released. */
void cli_abort(struct cli_child *c);

/* Wait for the child; every_s > 0 calls tick(user) that often.  Returns
 * the shell-style status: the exit code, or 128 + signal. */
int cli_wait(struct cli_child *c, double every_s, void (*tick)(void *),
             void *user);

/* Wait for a signal or duration_s (0 = forever).  Returns the signal
 * number or 0 on timeout. */
int cli_wait_signal(double duration_s, double every_s, void (*tick)(void *),
                    void *user);

#endif
