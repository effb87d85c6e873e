/* SPDX-License-Identifier: MIT */
/*
 * rcsv.c - the streaming CSV reader (see rcsv.h).  Lines end at a newline
 * outside quotes; a final line without one is an error, since pact ends
 * every row it writes (the file was cut).  Numbers of up to 18 digits without
 * an exponent are parsed as one exact integer divided by an exact power of ten,
 * which IEEE rounds exactly as strtod would; anything else goes to strtod.
 */
#include "report/rcsv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1u << 20)

struct pact__rcsv {
    int fd, eof;
    char *buf;
    size_t pos, end, cap;
    char **f; /* fields of the current line */
    int ncols, fcap;
    char **names; /* header names (owned copies) */
    unsigned long long line;
    char path[512];
};

static int fill(struct pact__rcsv *c)
{
    if (c->pos > 0) {
        memmove(c->buf, c->buf + c->pos, c->end - c->pos);
        c->end -= c->pos;
        c->pos = 0;
    }
    if (c->end + CHUNK > c->cap) {
        size_t cap = c->cap * 2;
        char *b = realloc(c->buf, cap + 1);
        if (!b)
            return -ENOMEM;
        c->buf = b;
        c->cap = cap;
    }
    for (;;) {
        ssize_t r = read(c->fd, c->buf + c->end, c->cap - c->end);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            c->eof = 1;
        c->end += (size_t)r;
        return 0;
    }
}

/* Splits buf[s..e) (one line, no newline) into fields; returns count. */
static int split(struct pact__rcsv *c, char *s, char *e)
{
    int n = 0;
    *e = '\0';
    for (;;) {
        if (n == c->fcap) {
            int cap = c->fcap ? c->fcap * 2 : 64;
            char **f = realloc(c->f, (size_t)cap * sizeof *f);
            if (!f)
                return -ENOMEM;
            c->f = f;
            c->fcap = cap;
        }
        if (*s == '"') { /* quoted: unescape "" in place */
            char *w = ++s, *r = s;
            c->f[n++] = w;
            while (r < e) {
                if (*r == '"' && r[1] == '"') {
                    *w++ = '"';
                    r += 2;
                } else if (*r == '"') {
                    r++;
                    break;
                } else
                    *w++ = *r++;
            }
            *w = '\0';
            while (r < e && *r != ',')
                r++;
            if (r >= e)
                return n;
            s = r + 1;
        } else {
            c->f[n++] = s;
            char *k = memchr(s, ',', (size_t)(e - s));
            if (!k)
                return n;
            *k = '\0';
            s = k + 1;
        }
    }
}

/* Finds the next line: [*s, *e) without its newline.  1, 0 at the end. */
static int line(struct pact__rcsv *c, char **s, char **e)
{
    size_t scan = c->pos;
    int q = 0;
    for (;;) {
        char *p = c->buf + scan, *end = c->buf + c->end;
        while (p < end) {
            if (!q) {
                char *nl = memchr(p, '\n', (size_t)(end - p));
                char *qt = memchr(p, '"', (size_t)((nl ? nl : end) - p));
                if (!qt) {
                    if (!nl) {
                        p = end;
                        break;
                    }
                    *s = c->buf + c->pos;
                    *e = nl > *s && nl[-1] == '\r' ? nl - 1 : nl;
                    c->pos = (size_t)(nl - c->buf) + 1;
                    return 1;
                }
                q = 1;
                p = qt + 1;
            } else {
                char *qt = memchr(p, '"', (size_t)(end - p));
                if (!qt) {
                    p = end;
                    break;
                }
                q = 0;
                p = qt + 1;
            }
        }
        if (c->eof) {
            if (c->pos == c->end)
                return 0;
            *s = c->buf + c->pos;
            *e = c->buf + c->end;
            c->pos = c->end;
            return 2; /* a last line without its end of line */
        }
        size_t done = (size_t)(p - c->buf) - c->pos;
        int err = fill(c);
        if (err < 0)
            return err;
        scan = c->pos + done;
    }
}

int pact__rcsv_open(const char *path, struct pact__rcsv **out, char *why,
                    size_t len)
{
    *out = NULL;
    struct pact__rcsv *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    snprintf(c->path, sizeof c->path, "%s", path);
    c->cap = 2 * CHUNK;
    c->buf = malloc(c->cap + 1);
    c->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (c->fd < 0 || !c->buf) {
        int e = c->fd < 0 ? -errno : -ENOMEM;
        snprintf(why, len, "%s: cannot read: %s", path, strerror(-e));
        if (c->fd >= 0)
            close(c->fd);
        free(c->buf);
        free(c);
        return e;
    }
    char *s, *e;
    int r = line(c, &s, &e);
    if (r <= 0) {
        snprintf(why, len, "%s: %s", path,
                 r == 0 ? "empty file, no CSV header; give a CSV written "
                          "by pact"
                        : strerror(-r));
        pact__rcsv_close(c);
        return r == 0 ? -EINVAL : r;
    }
    c->line = 1;
    int n = split(c, s, e);
    c->names = n > 0 ? calloc((size_t)n, sizeof *c->names) : NULL;
    if (n <= 0 || !c->names) {
        pact__rcsv_close(c);
        return -ENOMEM;
    }
    c->ncols = n;
    for (int i = 0; i < n; i++)
        if (!(c->names[i] = strdup(c->f[i]))) {
            pact__rcsv_close(c);
            return -ENOMEM;
        }
    *out = c;
    return 0;
}

int pact__rcsv_ncols(const struct pact__rcsv *c)
{
    return c->ncols;
}
const char *pact__rcsv_name(const struct pact__rcsv *c, int i)
{
    return c->names[i];
}
unsigned long long pact__rcsv_line(const struct pact__rcsv *c)
{
    return c->line;
}

int pact__rcsv_col(const struct pact__rcsv *c, const char *name)
{
    for (int i = 0; i < c->ncols; i++)
        if (!strcmp(c->names[i], name))
            return i;
    return -1;
}

int pact__rcsv_next(struct pact__rcsv *c, char ***f, char *why, size_t len)
{
    char *s, *e;
    for (;;) {
        int r = line(c, &s, &e);
        if (r <= 0) {
            if (r < 0)
                snprintf(why, len, "%s: %s", c->path, strerror(-r));
            return r;
        }
        c->line++;
        if (r == 2) { /* pact ends every row: this one was cut */
            snprintf(why, len,
                     "%s: the last line (%llu) has no end of line: the file "
                     "was cut (a run still writing, or a crash); delete "
                     "that line (sed -i '$d' FILE) or end it if it is whole",
                     c->path, c->line);
            return -EINVAL;
        }
        if (s == e)
            continue; /* blank line */
        int n = split(c, s, e);
        if (n < 0)
            return n;
        if (n != c->ncols) {
            snprintf(why, len,
                     "%s: line %llu has %d of the header's %d fields "
                     "(truncated or damaged file?); cut the file before "
                     "that line or fix it",
                     c->path, c->line, n, c->ncols);
            return -EINVAL;
        }
        *f = c->f;
        return 1;
    }
}

void pact__rcsv_close(struct pact__rcsv *c)
{
    if (!c)
        return;
    if (c->names)
        for (int i = 0; i < c->ncols; i++)
            free(c->names[i]);
    free(c->names);
    free(c->f);
    free(c->buf);
    if (c->fd >= 0)
        close(c->fd);
    free(c);
}

static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                             1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
                             1e14, 1e15, 1e16, 1e17, 1e18};

double pact__rcsv_num(const char *s)
{
    const char *p = s;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    unsigned long long m = 0;
    int nd = 0, frac = 0, dot = 0;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            m = m * 10 + (unsigned)(*p - '0');
            nd++;
            frac += dot;
        } else if (*p == '.' && !dot)
            dot = 1;
        else
            break;
    }
    if (*p == '\0' && nd > 0 && nd <= 15) {
        double v = (double)m / p10[frac];
        return neg ? -v : v;
    }
    if (*s == '\0')
        return NAN;
    char *end;
    double v = strtod(s, &end);
    return *end == '\0' && end != s ? v : NAN;
}
