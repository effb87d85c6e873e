/* SPDX-License-Identifier: MIT */
/*
 * plan.c - parse a `pact stress` plan (see plan.h).  The whole file is
 * checked before anything runs, and every bad line is reported, so one
 * edit fixes them all.  Runs nothing itself.
 */
#include "core/numfmt.h"
#include "cli/plan.h"

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
    for (int i = 0; i < p->n; i++)
        if (p->run[i].trial == trial && !strcmp(p->run[i].name, f[0])) {
            fprintf(errs, "pact stress: %s:%d: run '%s' trial %ld repeats "
                    "line %d; give it another name or trial\n", path,
                    lineno, f[0], trial, p->run[i].line);
            return -1;
        }
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
    char *line = NULL;
    size_t cap = 0;
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
        if (r < 0)
            bad++;
        else
            p->n++;
    }
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
