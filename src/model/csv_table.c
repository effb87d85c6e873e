/* SPDX-License-Identifier: MIT */
/*
 * csv_table.c - CSV into a row-major table of doubles.  The whole file is
 * held in memory: model inputs are runs of hundreds to a few hundred
 * thousand rows.  Quoted fields are understood; nothing else is inferred
 * (no type sniffing, no dates): text cells become NaN and are reported by
 * the caller only when the column is used as a number.
 */
#include "model/csv_table.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/numfmt.h"
#include "pact/pact.h"

int pact__csv_split(char *line, char **field, int max)
{
    int n = 0;
    char *r = line, *w = line;

    for (;;) {
        char *start = w;
        if (*r == '"') {
            r++;
            for (;;) {
                if (*r == '\0')
                    return -1;
                if (*r == '"') {
                    if (r[1] == '"') {
                        *w++ = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                *w++ = *r++;
            }
            /* Text after the closing quote is kept, as most readers do. */
            while (*r && *r != ',')
                *w++ = *r++;
        } else {
            while (*r && *r != ',')
                *w++ = *r++;
        }
        int more = *r == ',';
        if (*r)
            r++;
        *w++ = '\0';
        if (n < max)
            field[n] = start;
        n++;
        if (!more)
            break;
    }
    return n;
}

int pact__csv_number(const char *cell, double *out)
{
    while (isspace((unsigned char)*cell))
        cell++;
    *out = NAN;
    if (*cell == '\0')
        return 0;
    if (strncasecmp(cell, "nan", 3) == 0) {
        const char *e = cell + 3;
        while (isspace((unsigned char)*e))
            e++;
        if (*e == '\0')
            return 0;
    }
    char *end;
    errno = 0;
    double v = pact__strtod(cell, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == cell || *end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 1;
}

long pact__csv_record(char **buf, size_t *cap, FILE *fp, long *lineno,
                      int *complete)
{
    size_t n = 0;
    int inq = 0, any = 0, ch;
    *complete = 0;
    errno = 0;
    while ((ch = getc(fp)) != EOF) {
        any = 1;
        if (n + 2 > *cap) {
            size_t nc = *cap ? *cap * 2 : 256;
            char *b = realloc(*buf, nc);
            if (!b)
                return -2;
            *buf = b;
            *cap = nc;
        }
        if (ch == '"')
            inq = !inq;
        if (ch == '\n') {
            (*lineno)++;
            if (!inq) {
                *complete = 1;
                break;
            }
        }
        (*buf)[n++] = (char)ch;
    }
    if (ferror(fp))
        return -2;
    if (!any)
        return -1;
    if (!*complete)
        (*lineno)++;
    (*buf)[n] = '\0';
    while (n > 0 && (*buf)[n - 1] == '\r')
        (*buf)[--n] = '\0';
    return (long)n;
}

void pact__table_free(struct pact__table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols && t->names; i++)
        free(t->names[i]);
    free(t->names);
    free(t->file);
    free(t->v);
    free(t->line);
    free(t->text_line);
    free(t);
}

int pact__table_col(const struct pact__table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return (int)i;
    return -1;
}

double pact__table_get(const struct pact__table *t, size_t row, int col)
{
    if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows)
        return NAN;
    return t->v[row * t->ncols + (size_t)col];
}

static int blank(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s == '\0' || *s == '#';
}

/* Read the header; fills t->names and t->ncols. */
static int read_header(struct pact__table *t, char *buf, long lineno,
                       char *why, size_t len)
{
    /* Commas + 1 bounds the field count (quoted commas only lower it). */
    size_t cap = 1;
    for (const char *p = buf; *p; p++)
        cap += *p == ',';
    char **f = calloc(cap, sizeof *f);
    if (!f)
        return -ENOMEM;
    int n = pact__csv_split(buf, f, (int)cap);
    if (n <= 0) {
        free(f);
        snprintf(why, len, "%s:%ld: unterminated quote in the header",
                 t->file, lineno);
        return PACT_EFORMAT;
    }
    t->names = calloc((size_t)n, sizeof *t->names);
    t->text_line = calloc((size_t)n, sizeof *t->text_line);
    if (!t->names || !t->text_line) {
        free(f);
        return -ENOMEM;
    }
    t->ncols = (size_t)n;
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        const char *s = f[i];
        while (isspace((unsigned char)*s))
            s++;
        size_t l = strlen(s);
        while (l > 0 && isspace((unsigned char)s[l - 1]))
            l--;
        t->names[i] = strndup(s, l);
        if (!t->names[i])
            rc = -ENOMEM;
    }
    free(f);
    return rc;
}

static int grow(struct pact__table *t, size_t *cap)
{
    if (t->nrows < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 256;
    double *v = realloc(t->v, nc * t->ncols * sizeof *v);
    if (!v)
        return -ENOMEM;
    t->v = v;
    long *l = realloc(t->line, nc * sizeof *l);
    if (!l)
        return -ENOMEM;
    t->line = l;
    *cap = nc;
    return 0;
}

int pact__table_read(const char *path, struct pact__table **out, char *why,
                     size_t len)
{
    *out = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int e = errno;
        snprintf(why, len, "%s: cannot open: %s", path, strerror(e));
        return -e;
    }
    struct pact__table *t = calloc(1, sizeof *t);
    char **field = NULL, *buf = NULL, *copy = NULL;
    size_t bufcap = 0, cap = 0;
    long lineno = 0;
    int rc = 0;

    if (!t || !(t->file = strdup(path))) {
        rc = -ENOMEM;
        goto out;
    }
    pact__skip_bom(fp);
    long phys = 0, first = 1;
    for (;;) {
        int complete;
        long got = pact__csv_record(&buf, &bufcap, fp, &phys, &complete);
        lineno = got == -1 ? lineno : first;
        first = phys + 1;
        if (got < 0) {
            if (got == -2) {
                rc = errno ? -errno : -EIO;
                snprintf(why, len, "%s:%ld: read error: %s", path,
                         lineno + 1, strerror(-rc));
                goto out;
            }
            break;
        }
        if (blank(buf))
            continue;
        if (!t->names) {
            free(copy);
            copy = strdup(buf);
            if (!copy) {
                rc = -ENOMEM;
                goto out;
            }
            rc = read_header(t, copy, lineno, why, len);
            if (rc < 0)
                goto out;
            field = calloc(t->ncols, sizeof *field);
            if (!field) {
                rc = -ENOMEM;
                goto out;
            }
            continue;
        }
        int nf = pact__csv_split(buf, field, (int)t->ncols);
        if (nf != (int)t->ncols) {
            if (!complete) {
                break; /* the last line of a run cut short */
            }
            if (nf < 0)
                snprintf(why, len, "%s:%ld: unterminated quote; fix or "
                         "delete the line", path, lineno);
            else
                snprintf(why, len, "%s:%ld: %d fields where the header "
                         "has %zu; fix or delete the line", path, lineno,
                         nf, t->ncols);
            rc = PACT_EFORMAT;
            goto out;
        }
        if ((rc = grow(t, &cap)) < 0)
            goto out;
        double *row = t->v + t->nrows * t->ncols;
        for (size_t c = 0; c < t->ncols; c++)
            if (pact__csv_number(field[c], &row[c]) < 0 &&
                !t->text_line[c])
                t->text_line[c] = lineno;
        t->line[t->nrows++] = lineno;
    }
    if (!t->names) {
        snprintf(why, len, "%s: empty file (no header line)", path);
        rc = PACT_EFORMAT;
    }
out:
    fclose(fp);
    free(buf);
    free(copy);
    free(field);
    if (rc < 0) {
        if (rc == -ENOMEM)
            snprintf(why, len, "%s: out of memory", path);
        pact__table_free(t);
        return rc;
    }
    *out = t;
    return (int)(t->nrows > (size_t)0x7fffffff ? 0x7fffffff : t->nrows);
}
