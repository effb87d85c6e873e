/* SPDX-License-Identifier: MIT */
/*
 * json.c - recursive-descent JSON reader (see json.h).  Handles the whole
 * grammar the summary uses: objects, arrays, strings with escapes (\uXXXX
 * as UTF-8, surrogate pairs too), numbers, true, false and null.  Depth is
 * bounded so a hostile file cannot exhaust the stack.
 */
#include "report/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const char *p, *start;
    char *why;
    size_t len;
    int failed;
};

static void fail(struct parser *ps, const char *what)
{
    if (!ps->failed)
        snprintf(ps->why, ps->len, "%s at byte %ld", what,
                 (long)(ps->p - ps->start));
    ps->failed = 1;
}

static void ws(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\t' || *ps->p == '\r')
        ps->p++;
}

static void utf8(char **w, unsigned cp)
{
    char *o = *w;
    if (cp < 0x80)
        *o++ = (char)cp;
    else if (cp < 0x800) {
        *o++ = (char)(0xc0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | cp >> 12);
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | cp >> 18);
        *o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
        *o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    *w = o;
}

static int hex4(const char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        *v = *v * 16 + (unsigned)d;
    }
    return 0;
}

static char *string(struct parser *ps)
{
    const char *s = ++ps->p; /* past the quote */
    size_t n = 0;
    while (s[n] && s[n] != '"')
        n += s[n] == '\\' && s[n + 1] ? 2 : 1;
    if (!s[n]) {
        fail(ps, "unterminated string");
        return NULL;
    }
    char *out = malloc(n * 2 + 1), *w = out; /* \u escapes fit */
    if (!out) {
        fail(ps, "out of memory");
        return NULL;
    }
    const char *p = s;
    while (*p != '"') {
        if ((unsigned char)*p < 0x20) {
            fail(ps, "control character in a string");
            free(out);
            return NULL;
        }
        if (*p != '\\') {
            *w++ = *p++;
            continue;
        }
        p++;
        unsigned cp, lo;
        switch (*p) {
        case 'n':
            *w++ = '\n';
            break;
        case 't':
            *w++ = '\t';
            break;
        case 'r':
            *w++ = '\r';
            break;
        case 'b':
            *w++ = '\b';
            break;
        case 'f':
            *w++ = '\f';
            break;
        case '"':
        case '\\':
        case '/':
            *w++ = *p;
            break;
        case 'u':
            if (hex4(p + 1, &cp) < 0) {
                fail(ps, "bad \\u escape");
                free(out);
                return NULL;
            }
            p += 4;
            if (cp >= 0xd800 && cp < 0xdc00 && p[1] == '\\' && p[2] == 'u' &&
                hex4(p + 3, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
            }
            utf8(&w, cp);
            break;
        default:
            fail(ps, "bad escape");
            free(out);
            return NULL;
        }
        p++;
    }
    *w = '\0';
    ps->p = p + 1;
    return out;
}

static struct pact__json *value(struct parser *ps, int depth);

static struct pact__json *node(void)
{
    return calloc(1, sizeof(struct pact__json));
}

static struct pact__json *container(struct parser *ps, int depth, int obj)
{
    struct pact__json *j = node(), **tail;
    if (!j) {
        fail(ps, "out of memory");
        return NULL;
    }
    j->type = obj ? PACT__J_OBJ : PACT__J_ARR;
    tail = &j->child;
    ps->p++;
    ws(ps);
    if (*ps->p == (obj ? '}' : ']')) {
        ps->p++;
        return j;
    }
    for (;;) {
        char *key = NULL;
        ws(ps);
        if (obj) {
            if (*ps->p != '"') {
                fail(ps, "expected a member name");
                break;
            }
            if (!(key = string(ps)))
                break;
            ws(ps);
            if (*ps->p != ':') {
                free(key);
                fail(ps, "expected ':'");
                break;
            }
            ps->p++;
        }
        struct pact__json *v = value(ps, depth + 1);
        if (!v) {
            free(key);
            break;
        }
        v->key = key;
        *tail = v;
        tail = &v->next;
        ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            continue;
        }
        if (*ps->p == (obj ? '}' : ']')) {
            ps->p++;
            return j;
        }
        fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        break;
    }
    pact__json_free(j);
    return NULL;
}

static struct pact__json *value(struct parser *ps, int depth)
{
    ws(ps);
    if (depth > 64) {
        fail(ps, "nested too deeply");
        return NULL;
    }
    char c = *ps->p;
    if (c == '{' || c == '[')
        return container(ps, depth, c == '{');
    struct pact__json *j = node();
    if (!j) {
        fail(ps, "out of memory");
        return NULL;
    }
    if (c == '"') {
        j->type = PACT__J_STR;
        if (!(j->text = string(ps))) {
            free(j);
            return NULL;
        }
        return j;
    }
    static const struct {
        const char *w;
        int type;
        double v;
    } lit[] = {{"true", PACT__J_BOOL, 1},
               {"false", PACT__J_BOOL, 0},
               {"null", PACT__J_NULL, 0}};
    for (size_t i = 0; i < 3; i++)
        if (!strncmp(ps->p, lit[i].w, strlen(lit[i].w))) {
            j->type = lit[i].type;
            j->num = lit[i].v;
            ps->p += strlen(lit[i].w);
            return j;
        }
    char *end;
    double v = strtod(ps->p, &end);
    if (end == ps->p || !(c == '-' || (c >= '0' && c <= '9'))) {
        free(j);
        fail(ps, "expected a value");
        return NULL;
    }
    j->type = PACT__J_NUM;
    j->num = v;
    j->text = strndup(ps->p, (size_t)(end - ps->p));
    ps->p = end;
    if (!j->text) {
        free(j);
        fail(ps, "out of memory");
        return NULL;
    }
    return j;
}

struct pact__json *pact__json_load(const char *path, char *why, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(why, len, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            break;
        if (n + 1 >= cap) {
            char *b = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    if (!buf) {
        snprintf(why, len, "%s: too large or out of memory", path);
        return NULL;
    }
    buf[n] = '\0';
    char inner[200] = "";
    struct parser ps = {buf, buf, inner, sizeof inner, 0};
    struct pact__json *j = value(&ps, 0);
    if (j) {
        ws(&ps);
        if (*ps.p) {
            fail(&ps, "text after the value");
            pact__json_free(j);
            j = NULL;
        }
    }
    if (!j)
        snprintf(why, len,
                 "%s: not valid JSON (%s); give the file "
                 "written by --summary-json",
                 path, inner);
    free(buf);
    return j;
}

const struct pact__json *pact__json_get(const struct pact__json *o,
                                        const char *key)
{
    if (!o || o->type != PACT__J_OBJ)
        return NULL;
    for (const struct pact__json *c = o->child; c; c = c->next)
        if (c->key && !strcmp(c->key, key))
            return c;
    return NULL;
}

double pact__json_num(const struct pact__json *o, const char *key)
{
    const struct pact__json *v = pact__json_get(o, key);
    return v && v->type == PACT__J_NUM ? v->num : NAN;
}

const char *pact__json_str(const struct pact__json *o, const char *key)
{
    const struct pact__json *v = pact__json_get(o, key);
    return v && v->type == PACT__J_STR ? v->text : NULL;
}

void pact__json_free(struct pact__json *j)
{
    while (j) {
        struct pact__json *next = j->next;
        pact__json_free(j->child);
        free(j->key);
        free(j->text);
        free(j);
        j = next;
    }
}
