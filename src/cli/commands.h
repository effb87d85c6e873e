/* SPDX-License-Identifier: MIT */
/*
 * commands.h - one function per `pact` subcommand, each in its own
 * cmd_<name>.c.  argv[0] is the subcommand's name; the return value is
 * the process exit status.
 */
#ifndef PACT_CLI_COMMANDS_H
#define PACT_CLI_COMMANDS_H

/* Exit statuses shared by every subcommand (docs/pact.1, EXIT STATUS):
 * 0 success; 2 usage, input or set-up error (nothing was run or
 * written); 3 an output could not be written completely (disk full, a
 * failed --summary-json); pact run otherwise exits with the command's
 * status, 128+N when it was killed by signal N, 127 when not found. */
#define CLI_EXIT_USAGE 2
#define CLI_EXIT_OUTPUT 3

int cmd_run(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_stress(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_top(int argc, char **argv);
/* monitor's body; serve = 1 for `pact serve` (cmd_serve.c) */
int cmd_monitor_main(int argc, char **argv, int serve);
void cmd_serve_help(void);
int cmd_report(int argc, char **argv);

#endif
