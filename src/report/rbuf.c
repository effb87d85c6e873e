/* SPDX-License-Identifier: MIT */
/*
 * rbuf.c - the growable text buffer of report.h.  Out of memory is sticky
 * (b->oom) and checked once, when the page is written.
 */
#include "report/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static int grow(struct pact__rbuf *b, size_t need)
{
    if (b->oom)
        return -1;
    if (b->n + need + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + need + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

void pact__rbuf_put(struct pact__rbuf *b, const char *s, size_t n)
{
    if (grow(b, n) < 0)
        return;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void pact__rbuf_printf(struct pact__rbuf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        pact__rbuf_put(b, small, (size_t)n);
        return;
    }
    if (grow(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

void pact__rbuf_esc(struct pact__rbuf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        size_t run = strcspn(p, "&<>\"'");
        if (run) {
            pact__rbuf_put(b, p, run);
            p += run;
            if (!*p)
                break;
        }
        switch (*p) {
        case '&':
            pact__rbuf_put(b, "&amp;", 5);
            break;
        case '<':
            pact__rbuf_put(b, "&lt;", 4);
            break;
        case '>':
            pact__rbuf_put(b, "&gt;", 4);
            break;
        case '"':
            pact__rbuf_put(b, "&quot;", 6);
            break;
        default:
            pact__rbuf_put(b, "&#39;", 5);
            break;
        }
    }
}

void pact__rbuf_release(struct pact__rbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}
