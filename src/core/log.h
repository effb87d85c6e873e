/* SPDX-License-Identifier: MIT */
/*
 * log.h - the library's only way to speak: formatted messages handed to
 * the callback set with pact_set_log().  Nothing is printed by default.
 */
#ifndef PACT_CORE_LOG_H
#define PACT_CORE_LOG_H

#include "pact/pact.h"

void pact__log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
