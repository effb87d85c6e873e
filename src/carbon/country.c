/* SPDX-License-Identifier: MIT */
/*
 * country.c - reads the carbon-intensity table (columns found by header
 * name: iso2, iso3, country, gco2_per_kwh, year) and picks one row.  A
 * row reading 0 g/kWh is a hole in the source (the Central African
 * Republic), not a measurement, so it comes back as NaN.
 */
#include "carbon/country.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/numfmt.h"
#include "core/path.h"
#include "pact/pact.h"

#define MAXCOL 16

/* Split line in place on commas; returns the number of fields. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    f[n++] = line;
    for (char *p = line; *p && n < max; p++) {
        if (*p == ',') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

static int column(char **f, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(f[i], name) == 0)
            return i;
    return -1;
}

static int fill(struct pact__country *out, char **f, int c2, int c3,
                int cn, int cg, int cy)
{
    char *end;
    double g = pact__strtod(f[cg], &end);
    if (end == f[cg] || *end || !isfinite(g) || g < 0)
        return PACT_EFORMAT;
    snprintf(out->iso2, sizeof out->iso2, "%s", f[c2]);
    snprintf(out->iso3, sizeof out->iso3, "%s", c3 >= 0 ? f[c3] : "");
    snprintf(out->name, sizeof out->name, "%s", cn >= 0 ? f[cn] : f[c2]);
    out->g_per_kwh = g > 0 ? g : NAN;
    out->year = cy >= 0 ? (int)strtol(f[cy], NULL, 10) : 0;
    return 0;
}

static int match(char **f, int c2, int c3, int cn, const char *code)
{
    if (strcasecmp(f[c2], code) == 0)
        return 1;
    if (c3 >= 0 && strcasecmp(f[c3], code) == 0)
        return 1;
    if (cn >= 0 && strlen(code) > 3 && strcasecmp(f[cn], code) == 0)
        return 1;
    return 0;
}

int pact__country_lookup(const char *path, const char *code,
                         struct pact__country *out, char *why, size_t len)
{
    char line[512], hint[160] = "";
    char *f[MAXCOL];
    int lineno = 0, rc = -ENOENT, c2 = -1, c3 = -1, cn = -1, cg = -1;
    int cy = -1;
    size_t hl = 0;

    /* "UK" is not ISO 3166 but everyone types it. */
    if (strcasecmp(code, "UK") == 0)
        code = "GB";
    FILE *fp = fopen(path, "re");
    if (!fp) {
        rc = -errno;
        snprintf(why, len, "cannot read %s: %s", path, strerror(errno));
        return rc;
    }
    while (fgets(line, sizeof line, fp)) {
        int n = split(line, f, MAXCOL);
        if (++lineno == 1) {
            c2 = column(f, n, "iso2");
            c3 = column(f, n, "iso3");
            cn = column(f, n, "country");
            cg = column(f, n, "gco2_per_kwh");
            cy = column(f, n, "year");
            if (c2 < 0 || cg < 0) {
                snprintf(why, len, "%s:1: header lacks iso2 or "
                         "gco2_per_kwh; reinstall pact's data files", path);
                rc = PACT_EFORMAT;
                break;
            }
            continue;
        }
        if (n <= c2 || n <= cg || n <= c3 || n <= cn || n <= cy)
            continue;
        if (match(f, c2, c3, cn, code)) {
            rc = fill(out, f, c2, c3, cn, cg, cy);
            if (rc < 0)
                snprintf(why, len, "%s:%d: bad gco2_per_kwh '%s'", path,
                         lineno, f[cg]);
            break;
        }
        /* Close names: the input inside a country name ("germ"). */
        if (cn >= 0 && strlen(code) >= 3 && strcasestr(f[cn], code) &&
            hl + strlen(f[cn]) + 8 < sizeof hint) {
            int k = snprintf(hint + hl, sizeof hint - hl, "%s%s (%s)",
                             hl ? ", " : "; did you mean ", f[c2], f[cn]);
            if (k > 0)
                hl += (size_t)k;
        }
    }
    fclose(fp);
    if (rc == -ENOENT)
        snprintf(why, len,
                 "unknown country '%s': use an ISO 3166 alpha-2 code such "
                 "as DE or US (list: data/carbon_intensity_by_country.csv, "
                 "or /usr/share/zoneinfo/iso3166.tab)%s",
                 code, hint);
    return rc;
}

/* ---- Time zone to country ---- */

/* Zone name from a path such as /usr/share/zoneinfo/Europe/Paris. */
static int zone_from_path(const char *p, char *zone, size_t zlen)
{
    const char *z = strstr(p, "zoneinfo/");
    if (!z)
        return -ENOENT;
    z += strlen("zoneinfo/");
    /* posix/ and right/ are variants of the same zones. */
    if (strncmp(z, "posix/", 6) == 0 || strncmp(z, "right/", 6) == 0)
        z += 6;
    if (!*z)
        return -ENOENT;
    snprintf(zone, zlen, "%s", z);
    return 0;
}

static int find_zone(const char *sysroot, char *zone, size_t zlen)
{
    char path[4096], target[4096];
    const char *tz = getenv("TZ");

    if (tz && *tz) {
        if (*tz == ':')
            tz++;
        if (*tz == '/')
            return zone_from_path(tz, zone, zlen);
        /* A zone name has a '/' or is a plain word; a POSIX rule such as
         * "CET-1CEST" has digits and names no place. */
        if (*tz && !strpbrk(tz, "0123456789,<>")) {
            snprintf(zone, zlen, "%s", tz);
            return 0;
        }
        return -ENOENT;
    }
    if (pact__path(path, sizeof path, sysroot, "/etc/localtime") < 0)
        return -ENAMETOOLONG;
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n > 0) {
        target[n] = '\0';
        if (zone_from_path(target, zone, zlen) == 0)
            return 0;
    }
    if (pact__path(path, sizeof path, sysroot, "/etc/timezone") < 0)
        return -ENAMETOOLONG;
    FILE *fp = fopen(path, "re");
    if (fp) {
        char *ok = fgets(target, sizeof target, fp);
        fclose(fp);
        if (ok) {
            target[strcspn(target, " \t\r\n")] = '\0';
            if (target[0]) {
                snprintf(zone, zlen, "%s", target);
                return 0;
            }
        }
    }
    return -ENOENT;
}

/* Look zone up in a zone*.tab file: code list in column 1, zone in 3. */
static int tab_lookup(const char *path, const char *zone, char cc[3])
{
    char line[512];
    int rc = -ENOENT;
    FILE *fp = fopen(path, "re");
    if (!fp)
        return -errno;
    while (fgets(line, sizeof line, fp)) {
        if (line[0] == '#')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        char *codes = line, *coord = strchr(line, '\t');
        if (!coord)
            continue;
        *coord++ = '\0';
        char *name = strchr(coord, '\t');
        if (!name)
            continue;
        name++;
        name[strcspn(name, "\t")] = '\0';
        if (strcmp(name, zone) != 0)
            continue;
        if (isalpha((unsigned char)codes[0]) &&
            isalpha((unsigned char)codes[1])) {
            cc[0] = (char)toupper((unsigned char)codes[0]);
            cc[1] = (char)toupper((unsigned char)codes[1]);
            cc[2] = '\0';
            rc = 0;
        }
        break;
    }
    fclose(fp);
    return rc;
}

int pact__tz_country(const char *sysroot, char *zone, size_t zlen,
                     char cc[3])
{
    char path[4096];
    static const char *const tabs[] = { "zone1970.tab", "zone.tab" };

    if (!sysroot)
        sysroot = "";
    if (zlen)
        zone[0] = '\0';
    cc[0] = '\0';
    if (find_zone(sysroot, zone, zlen) < 0)
        return -ENOENT;
    for (size_t i = 0; i < sizeof tabs / sizeof tabs[0]; i++) {
        if (pact__path(path, sizeof path, sysroot, "/usr/share/zoneinfo/%s",
                       tabs[i]) < 0)
            return -ENAMETOOLONG;
        if (tab_lookup(path, zone, cc) == 0)
            return 0;
    }
    return -ENOENT;
}
