/* SPDX-License-Identifier: MIT */
/*
 * helper_exec.h - run a pact-NAME program that lives beside pact.
 */
#ifndef PACT_CLI_HELPER_EXEC_H
#define PACT_CLI_HELPER_EXEC_H

/* execv pact-NAME (from pact's own directory) with argv; returns 2 with a
 * one-line message only when it could not be run. */
int cli_exec_helper(const char *name, int argc, char **argv);

#endif
