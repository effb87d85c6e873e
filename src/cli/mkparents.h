/* SPDX-License-Identifier: MIT */
/*
 * mkparents.h - create the missing parent folders of an output file, as
 * `mkdir -p "$(dirname FILE)"` would (the original tool did the same
 * before writing its CSV).
 */
#ifndef PACT_CLI_MKPARENTS_H
#define PACT_CLI_MKPARENTS_H

#include <stddef.h>

/* Create every missing folder above the file path (mode 0777 less the
 * umask).  Returns 0 (also when nothing was missing or path has no
 * folder part), or -errno with a one-line reason in why. */
int cli_mkparents(const char *path, char *why, size_t len);

#endif
