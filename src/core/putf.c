/* SPDX-License-Identifier: MIT */
/*
 * putf.c - clipped appends to a message buffer (putf.h).
 */
#include "core/putf.h"

#include <stdarg.h>
#include <stdio.h>

void pact__putf(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
    if (*off >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *off, len - *off, fmt, ap);
    va_end(ap);
    if (n > 0)
        *off += (size_t)n;
}
