/* SPDX-License-Identifier: MIT */
/*
 * spawn.h - run the workload: fork a child parked before exec (so its
 * counters can be attached and start at exec, perf stat's method), then
 * release it and wait, forwarding SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGUSR2
 * sent to pact.  Signals from the terminal already reach the child's
 * process group and are not sent twice.
 *
 * Signals (docs/signals.md): SIGINT, SIGTERM and SIGHUP stop pact: the
 * workload gets the signal and CLI_GRACE_S to exit, then SIGKILL; pact
 * then stops the tracker and prints the summary.  A second one of them
 * exits at once (128 + signal).  SIGUSR1 prints the summary so far.  The
 * workload gets PR_SET_PDEATHSIG(SIGKILL): it never outlives pact.
 */
#ifndef PACT_CLI_SPAWN_H
#define PACT_CLI_SPAWN_H

#include <signal.h>
#include <sys/types.h>

/* Seconds a workload has to exit after a forwarded stop signal. */
#define CLI_GRACE_S 0.3

struct cli_child {
    pid_t pid;
    int release_fd;
    sigset_t old_mask;
    int stop_sig; /* set by cli_wait: the signal that stopped pact, or 0 */
};

/* What SIGUSR1 does while pact waits (NULL: nothing). */
void cli_on_usr1(void (*fn)(void *), void *user);

/* After the first stop signal: a second SIGINT, SIGTERM or SIGHUP exits
 * at once with status 128 + signal. */
void cli_arm_second_signal(void);

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
 * the shell-style status: the exit code, or 128 + signal.  On SIGINT,
 * SIGTERM or SIGHUP it forwards the signal, waits up to CLI_GRACE_S for
 * the child, kills it if it is still there, sets c->stop_sig and returns
 * (the child's status, or 128 + the signal). */
int cli_wait(struct cli_child *c, double every_s, void (*tick)(void *),
             void *user);

/* Wait for a signal or duration_s (0 = forever).  Returns the signal
 * number or 0 on timeout. */
int cli_wait_signal(double duration_s, double every_s, void (*tick)(void *),
                    void *user);

#endif
