/* SPDX-License-Identifier: MIT */
/*
 * log.c - process-wide log hook (libperf's libperf_init(print_fn)).
 * Messages are formatted into a stack buffer; the hook runs on whatever
 * thread logged, so a hook must be thread-safe.
 */
#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

static pact_log_fn log_fn;
static void *log_user;

void pact_set_log(pact_log_fn fn, void *user)
{
    log_fn = fn;
    log_user = user;
}

void pact__log(int level, const char *fmt, ...)
{
    pact_log_fn fn = log_fn;
    if (!fn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fn(level, msg, log_user);
}
