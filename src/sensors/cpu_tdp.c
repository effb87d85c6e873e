/* SPDX-License-Identifier: MIT */
/*
 * cpu_tdp.c - processor-name normalisation and the TDP table lookup (see
 * cpu_tdp.h).  The table is read line by line at open time only; names
 * may be double-quoted (some contain commas).  Exact match after
 * normalisation, first row wins: no fuzzy guess passes for a fact.
 */
#include "sensors/cpu_tdp.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numfmt.h"
#include "pact/pact.h"

/* Remove every occurrence of pat from s (in place). */
static void drop_all(char *s, const char *pat)
{
    size_t n = strlen(pat);
    char *p;
    while ((p = strstr(s, pat)))
        memmove(p, p + n, strlen(p + n) + 1);
}

static int drop_word(const char *w, size_t n)
{
    if ((n == 3 && strncmp(w, "cpu", 3) == 0) ||
        (n == 9 && strncmp(w, "processor", 9) == 0))
        return 1;
    /* "64-core", "dual-core", "8-core" */
    return n > 5 && strncmp(w + n - 5, "-core", 5) == 0;
}

void pact__cpu_name_normalise(const char *in, char *out, size_t len)
{
    char buf[256];
    size_t i;
    for (i = 0; in[i] && i + 1 < sizeof buf; i++)
        buf[i] = (char)tolower((unsigned char)in[i]);
    buf[i] = '\0';
    drop_all(buf, "(r)");
    drop_all(buf, "(tm)");
    drop_all(buf, "(c)");
    char *cut = strchr(buf, '@');
    if (cut)
        *cut = '\0';
    cut = strstr(buf, " with ");
    if (cut)
        *cut = '\0';

    size_t o = 0;
    if (len == 0)
        return;
    const char *p = buf;
    /* "13th Gen Intel Core i7-13700K": the generation is in the number. */
    int used = 0;
    unsigned gen;
    char suffix[3];
    if (sscanf(p, "%u%2[a-z] gen %n", &gen, suffix, &used) == 2 && used > 0)
        p += used;
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        const char *w = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        size_t n = (size_t)(p - w);
        if (n == 0 || drop_word(w, n))
            continue;
        /* Punctuation inside a word separates parts: i7-8700 -> i7 8700. */
        int need_space = o > 0;
        for (size_t k = 0; k < n; k++) {
            unsigned char c = (unsigned char)w[k];
            if (!isalnum(c) && c != '.') {
                need_space = o > 0;
                continue;
            }
            if (need_space && o + 1 < len)
                out[o++] = ' ';
            need_space = 0;
            if (o + 1 < len)
                out[o++] = (char)c;
        }
    }
    out[o < len ? o : len - 1] = '\0';
}

/* Split a CSV line into name and TDP field; handles a quoted name. */
static int split(char *line, char **name, char **tdp)
{
    char *p = line;
    if (*p == '"') {
        *name = ++p;
        while (*p && !(*p == '"' && p[1] != '"'))
            p += *p == '"' ? 2 : 1;
        if (*p != '"')
            return -1;
        *p++ = '\0';
        if (*p != ',')
            return -1;
        *tdp = p + 1;
        return 0;
    }
    char *comma = strrchr(p, ',');
    if (!comma)
        return -1;
    *comma = '\0';
    *name = p;
    *tdp = comma + 1;
    return 0;
}

int pact__cpu_tdp_lookup(const char *csv_path, const char *model, double *tdp_w,
                         char *matched, size_t mlen)
{
    char want[256], have[256], line[512];
    pact__cpu_name_normalise(model, want, sizeof want);
    if (!want[0])
        return -ENOENT;
    FILE *f = fopen(csv_path, "re");
    if (!f)
        return -errno;
    int rc = -ENOENT, lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno == 1) {
            if (strncmp(line, "Name,TDP", 8) != 0) {
                rc = PACT_EFORMAT;
                break;
            }
            continue;
        }
        char *name, *tdp;
        if (!line[0] || split(line, &name, &tdp) < 0)
            continue;
        pact__cpu_name_normalise(name, have, sizeof have);
        if (strcmp(have, want) != 0)
            continue;
        char *end;
        double v = pact__strtod(tdp, &end);
        if (end == tdp || !(v > 0))
            continue;
        *tdp_w = v;
        if (matched && mlen)
            snprintf(matched, mlen, "%s", name);
        rc = 0;
        break;
    }
    fclose(f);
    return rc;
}
