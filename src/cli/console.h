/* SPDX-License-Identifier: MIT */
/*
 * console.h - what the CLI shows on stderr: library messages as
 * "pact: ..." lines, and the one-line live status on a terminal.
 */
#ifndef PACT_CLI_CONSOLE_H
#define PACT_CLI_CONSOLE_H

#include "pact/pact.h"

/* Route library messages to stderr; quiet keeps errors and warnings. */
void console_init(int quiet, int status_mode);

/* on = 1: print each distinct library message once (stress runs repeat
 * the same warnings for every run). */
void console_once(int on);

/* 1 when the status line is on (status_mode -1 = on a terminal). */
int console_status_enabled(void);

/* Redraw the status line from the tracker's latest window. */
void console_status(void *tracker);

/* Erase the status line (before the summary). */
void console_status_clear(void);

#endif
