/* SPDX-License-Identifier: MIT */
/*
 * plan.h - the experiment plan `pact stress` runs, in the original's
 * format: a header line, then one `name,trial#,cmd` line per run.  The
 * command is the rest of the line (it may hold commas); a bare number
 * means "stay idle for that many seconds".  Blank lines and lines whose
 * first non-blank character is '#' are ignored.
 */
#ifndef PACT_CLI_PLAN_H
#define PACT_CLI_PLAN_H

#include <stdio.h>

struct plan_run {
    char *name;    /* [A-Za-z0-9._-]+, used in file names */
    long trial;    /* >= 0 */
    char *cmd;     /* for /bin/sh -c; NULL when idle */
    double idle_s; /* > 0 for an idle run, else 0 */
    int line;      /* 1-based line in the plan file */
};

struct plan {
    struct plan_run *run;
    int n;
};

/* Read the plan at path into *p (release with plan_release).  Every bad
 * line is reported on errs as "PATH:LINE: what is wrong; the fix".
 * Returns the number of bad lines (0 = usable plan), or -1 when the file
 * cannot be read or memory runs out (reported too). */
int plan_load(const char *path, struct plan *p, FILE *errs);

void plan_release(struct plan *p);

#endif
