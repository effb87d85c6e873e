/* SPDX-License-Identifier: MIT */
/*
 * node_state.c - reads the last complete row of a pact CSV (see
 * node_state.h).  Only the tail of the file is read, so the cost does not
 * grow with the daemon's uptime; numbers are parsed in the C locale
 * whatever the host process set.
 */
#include "node_state.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEAD_MAX 16384 /* the header line */
#define TAIL_MAX 16384 /* enough for the last row */

const char *pact_node_state_path(void)
{
    const char *p = getenv("PACT_NODE_STATE");
    return p && *p ? p : PACT_NODE_STATE_DEFAULT;
}

/* Index of column name in the comma-separated header, or -1. */
static int column(const char *header, const char *name)
{
    size_t n = strlen(name);
    int i = 0;
    for (const char *p = header;; i++) {
        const char *e = strpbrk(p, ",\r\n");
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && strncmp(p, name, n) == 0)
            return i;
        if (!e || *e != ',')
            return -1;
        p = e + 1;
    }
}

/* The value of cell idx of a row (unquoted numeric cells only). */
static double cell(const char *row, int idx, locale_t c)
{
    const char *p = row;
    for (int i = 0; i < idx; i++) {
        p = strchr(p, ',');
        if (!p)
            return NAN;
        p++;
    }
    if (*p == ',' || *p == '\n' || *p == '\r' || !*p)
        return NAN;
    char *end;
    double v = strtod_l(p, &end, c);
    return end == p ? NAN : v;
}

int pact_node_state_read(const char *path, struct pact_node_state *out,
                         char *why, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(why, len, "cannot read %s: %s; start the node daemon "
                 "(pact monitor -o %s)", path, strerror(errno), path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, len, "%s is not a regular file", path);
        close(fd);
        return -1;
    }
    static char head[HEAD_MAX + 1], tail[TAIL_MAX + 1];
    ssize_t h = pread(fd, head, HEAD_MAX, 0);
    off_t from = st.st_size > TAIL_MAX ? st.st_size - TAIL_MAX : 0;
    ssize_t t = pread(fd, tail, TAIL_MAX, from);
    close(fd);
    if (h <= 0 || t <= 0) {
        snprintf(why, len, "%s is empty: the daemon has written no row yet",
                 path);
        return -1;
    }
    head[h] = '\0';
    tail[t] = '\0';
    const char *hdr = head;
    if ((unsigned char)hdr[0] == 0xEF && (unsigned char)hdr[1] == 0xBB &&
        (unsigned char)hdr[2] == 0xBF)
        hdr += 3;
    int ce = column(hdr, "energy_j"), cp = column(hdr, "total_power_w");
    int cu = column(hdr, "unix_time"), cd = column(hdr, "duration(s)");
    if (ce < 0 || cp < 0 || cu < 0) {
        snprintf(why, len, "%s is not a pact CSV (no energy_j, "
                 "total_power_w or unix_time column)", path);
        return -1;
    }
    /* The last complete row: the text between the last two newlines. */
    char *end = strrchr(tail, '\n');
    if (!end) {
        snprintf(why, len, "%s has no complete row yet", path);
        return -1;
    }
    *end = '\0';
    char *row = strrchr(tail, '\n');
    if (row)
        row++;
    if (!row || strncmp(row, "index,", 6) == 0) {
        snprintf(why, len, "%s has no row yet", path);
        return -1;
    }
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!c) {
        snprintf(why, len, "out of memory");
        return -1;
    }
    out->energy_j = cell(row, ce, c);
    out->power_w = cell(row, cp, c);
    out->unix_time = cell(row, cu, c);
    out->duration_s = cd >= 0 ? cell(row, cd, c) : NAN;
    freelocale(c);
    if (isnan(out->energy_j) || isnan(out->unix_time)) {
        snprintf(why, len, "%s: the last row has no total energy yet (no "
                 "power source?)", path);
        return -1;
    }
    return 0;
}
