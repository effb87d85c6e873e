/* SPDX-License-Identifier: MIT */
/*
 * plan.c - parse a `pact stress` plan (see plan.h).  The whole file is
 * checked before anything runs, and every bad line is reported, so one
 * edit fixes them all.  Runs nothing itself.
 */
#include "cli/plan.h"
#include "core/numfmt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Trim blanks at both ends, in place. */
static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int name_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
            return 0;
    return 1;
}

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

/* 1 when the whole of s is a number (then *out holds it). */
static int is_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = pact__strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

/* Split "a,b,rest" into three trimmed fields; -1 if a comma is missing. */
static int split3(char *line, char **f)
{
    char *c1 = strchr(line, ',');
    char *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c2)
        return -1;
    *c1 = *c2 = '\0';
    f[0] = trim(line);
    f[1] = trim(c1 + 1);
    f[2] = trim(c2 + 1);
    return 0;
}

/* Check one data line; returns 0 and fills r, or -1 after reporting. */
static int parse_run(char *text, int lineno, const char *path,
                     const struct plan *p, struct plan_run *r, FILE *errs)
{
    char *f[3];
    long trial = 0;
    double idle = 0;
    const char *why = NULL;
    if (split3(text, f) < 0)
        why = "expected 'name,trial#,cmd' (two commas)";
    else if (!name_ok(f[0]))
        why = "the name must be letters, digits, '.', '_' or '-' (it "
              "names the result files)";
    else if (parse_long(f[1], &trial) < 0 || trial < 0)
        why = "the trial must be a whole number >= 0";
    else if (!f[2][0])
        why = "the command is empty; give a command or a number of "
              "seconds to stay idle";
    else if (is_number(f[2], &idle) && !(idle > 0))
        why = "an idle time must be > 0 seconds";
    if (why) {
        fprintf(errs, "pact stress: %s:%d: %s\n", path, lineno, why);
        return -1;
    }
    (void)p;
    memset(r, 0, sizeof *r);
    r->line = lineno;
    r->trial = trial;
    r->name = strdup(f[0]);
    if (is_number(f[2], &idle))
        r->idle_s = idle;
    else
        r->cmd = strdup(f[2]);
    if (!r->name || (!r->cmd && r->idle_s == 0)) {
        free(r->name);
        free(r->cmd);
        return -2;
    }
    return 0;
}

/* (name, trial) -> run index, open addressing, so that finding a
 * repeated run stays linear in the plan's size. */
struct seen {
    int *slot; /* run index + 1; 0 = empty */
    size_t cap, n;
};

static size_t hash_run(const char *name, long trial)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * 1099511628211u;
    return (h ^ (size_t)trial) * 1099511628211u;
}

/* Index of an earlier run with r's name and trial, -1 if none (then r,
 * at index i, is added).  -2 when out of memory. */
static int seen_add(struct seen *t, const struct plan *p, int i)
{
    if (2 * (t->n + 1) > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        int *ns = calloc(nc, sizeof *ns);
        if (!ns)
            return -2;
        for (size_t k = 0; k < t->cap; k++) {
            if (!t->slot[k])
                continue;
            const struct plan_run *o = &p->run[t->slot[k] - 1];
            size_t h = hash_run(o->name, o->trial) & (nc - 1);
            while (ns[h])
                h = (h + 1) & (nc - 1);
            ns[h] = t->slot[k];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = nc;
    }
    const struct plan_run *r = &p->run[i];
    size_t h = hash_run(r->name, r->trial) & (t->cap - 1);
    while (t->slot[h]) {
        const struct plan_run *o = &p->run[t->slot[h] - 1];
        if (o->trial == r->trial && !strcmp(o->name, r->name))
            return t->slot[h] - 1;
        h = (h + 1) & (t->cap - 1);
    }
    t->slot[h] = i + 1;
    t->n++;
    return -1;
}

/* Check the header line; 0 when it looks like one. */
static int header_ok(char *text)
{
    char *f[3];
    long trial;
    return split3(text, f) == 0 && parse_long(f[1], &trial) < 0 ? 0 : -1;
}

int plan_load(const char *path, struct plan *p, FILE *errs)
{
    memset(p, 0, sizeof *p);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(errs, "pact stress: cannot read the plan '%s': %s\n", path,
                strerror(errno));
        return -1;
    }
    pact__skip_bom(f);
    char *line = NULL;
    size_t cap = 0;
    struct seen seen = {0};
    int lineno = 0, bad = 0, seen_header = 0, cap_runs = 0, rc = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        char *text = trim(line);
        if (!*text || *text == '#')
            continue;
        if (!seen_header) {
            seen_header = 1;
            if (header_ok(text) < 0) {
                fprintf(errs, "pact stress: %s:%d: the first line must be "
                        "the header 'name,trial#,cmd'\n", path, lineno);
                bad++;
            }
            continue;
        }
        if (p->n == cap_runs) {
            int ncap = cap_runs ? cap_runs * 2 : 16;
            struct plan_run *nr = realloc(p->run, (size_t)ncap * sizeof *nr);
            if (!nr) {
                rc = -1;
                break;
            }
            p->run = nr;
            cap_runs = ncap;
        }
        int r = parse_run(text, lineno, path, p, &p->run[p->n], errs);
        if (r == -2) {
            rc = -1;
            break;
        }
        if (r < 0) {
            bad++;
            continue;
        }
        int dup = seen_add(&seen, p, p->n);
        if (dup == -2) {
            free(p->run[p->n].name);
            free(p->run[p->n].cmd);
            rc = -1;
            break;
        }
        if (dup >= 0) {
            struct plan_run *nr = &p->run[p->n];
            fprintf(errs, "pact stress: %s:%d: run '%s' trial %ld repeats "
                    "line %d; give it another name or trial\n", path,
                    lineno, nr->name, nr->trial, p->run[dup].line);
            free(nr->name);
            free(nr->cmd);
            bad++;
            continue;
        }
        p->n++;
    }
    free(seen.slot);
    free(line);
    fclose(f);
    if (rc < 0) {
        fprintf(errs, "pact stress: out of memory reading '%s'\n", path);
        plan_release(p);
        return -1;
    }
    if (!bad && p->n == 0) {
        fprintf(errs, "pact stress: %s: no runs in the plan; add lines "
                "'name,trial#,cmd' after the header\n", path);
        bad++;
    }
    return bad;
}

void plan_release(struct plan *p)
{
    for (int i = 0; i < p->n; i++) {
        free(p->run[i].name);
        free(p->run[i].cmd);
    }
    free(p->run);
    p->run = NULL;
    p->n = 0;
}
