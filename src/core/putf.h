/* SPDX-License-Identifier: MIT */
/*
 * putf.h - append a formatted clause to a message buffer, clipping at its
 * end: how drivers build their one-line "why" texts.
 */
#ifndef PACT_CORE_PUTF_H
#define PACT_CORE_PUTF_H

#include <stddef.h>

/* Append at buf + *off (advancing *off), never past len. */
void pact__putf(char *buf, size_t len, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
