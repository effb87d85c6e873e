/* SPDX-License-Identifier: MIT */
/*
 * csv_basis.c - see csv_basis.h.  Reads the header and the counter_mode
 * cells as text (csv_table.c keeps numbers only).
 */
#include "model/csv_basis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/csv_table.h"
#include "model/model.h"
#include "pact/pact.h"

#define MAXF 512

/* 1 if a header names only what the original tool wrote: its eight
 * fixed columns and counter names (no pact column such as total_power_w,
 * energy_j or region). */
static int original_header(char **f, int n)
{
    for (int i = 0; i < n; i++) {
        size_t l = strlen(f[i]);
        if (!strcmp(f[i], "region") || !strcmp(f[i], "unix_time") ||
            (l > 2 && f[i][l - 2] == '_' &&
             strchr("wjg", f[i][l - 1])))
            return 0;
    }
    return 1;
}

int pact__csv_counter_mode(const char *path, char *why, size_t len)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int e = errno;
        snprintf(why, len, "%s: cannot open: %s", path, strerror(e));
        return -e;
    }
    char *line = NULL, *field[MAXF];
    size_t cap = 0;
    int col = -1, mode = PACT__CTR_UNKNOWN, first = 1;
    long lineno = 0;
    int rc = 0;
    while (getline(&line, &cap, fp) >= 0) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line || *line == '#')
            continue;
        int n = pact__csv_split(line, field, MAXF);
        if (n < 0)
            continue;
        if (n > MAXF)
            n = MAXF;
        if (first) {
            first = 0;
            for (int i = 0; i < n; i++)
                if (!strcmp(field[i], "counter_mode"))
                    col = i;
            if (col < 0) {
                rc = original_header(field, n) ? PACT__CTR_SUMS
                                               : PACT__CTR_UNKNOWN;
                goto out;
            }
            continue;
        }
        if (col >= n || !*field[col])
            continue;
        int m = !strcmp(field[col], "window") ? PACT__CTR_WINDOW
              : !strcmp(field[col], "pact")   ? PACT__CTR_SUMS
                                              : PACT__CTR_UNKNOWN;
        if (m == PACT__CTR_UNKNOWN || (mode != PACT__CTR_UNKNOWN &&
                                       m != mode)) {
            snprintf(why, len, "%s:%ld: counter_mode '%s' %s", path,
                     lineno, field[col], m == PACT__CTR_UNKNOWN
                     ? "is not window or pact"
                     : "differs from the rows above; split the file");
            rc = PACT_EFORMAT;
            goto out;
        }
        mode = m;
    }
    rc = mode;
out:
    free(line);
    fclose(fp);
    return rc;
}

void pact__basis_list(int mask, char *buf, size_t len)
{
    snprintf(buf, len, "%s%s%s", mask & 1 ? PACT__COL_GPU : "",
             (mask & 3) == 3 ? "," : "", mask & 2 ? PACT__COL_CPU : "");
}
