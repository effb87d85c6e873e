/* SPDX-License-Identifier: MIT */
/*
 * series.c - loads a carbon-intensity time series and integrates it over
 * a window.  Time parsing is done by hand (days from the civil date) so
 * the local time zone never enters; out-of-order timestamps are errors,
 * not silently sorted, since they usually mean a wrong column or a wrong
 * file.  The same instant twice is accepted only with the same value.
 * A UTF-8 BOM and CRLF line ends are accepted; nan is not a value.
 */
#include "carbon/series.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/numfmt.h"
#include "pact/pact.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * well-known days_from_civil algorithm, written from its description). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Read exactly n digits at *p. */
static int digits(const char **p, int n, long *out)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -EINVAL;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int parse_iso(const char *p, double *unix_s)
{
    long y, mo, d, h, mi, s = 0, oh = 0, om = 0;
    double frac = 0;
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
                                 30, 31 };

    if (digits(&p, 4, &y) || *p++ != '-' || digits(&p, 2, &mo) ||
        *p++ != '-' || digits(&p, 2, &d))
        return -EINVAL;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return -EINVAL;
    p++;
    if (digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &mi))
        return -EINVAL;
    if (*p == ':') {
        p++;
        if (digits(&p, 2, &s))
            return -EINVAL;
        if (*p == '.') {
            char *end;
            frac = pact__strtod(p, &end);
            if (end == p + 1)
                return -EINVAL;
            p = end;
        }
    }
    int sign = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p++ == '-' ? -1 : 1;
        if (digits(&p, 2, &oh))
            return -EINVAL;
        if (*p == ':')
            p++;
        if (*p && digits(&p, 2, &om))
            return -EINVAL;
    }
    if (*p)
        return -EINVAL;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 24 ||
        mi > 59 || s > 60 || oh > 14 || om > 59)
        return -EINVAL;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        return -EINVAL;
    double t = (double)days_from_civil(y, mo, d) * 86400.0 +
               (double)(h * 3600 + mi * 60 + s) + frac;
    *unix_s = t - sign * (double)(oh * 3600 + om * 60);
    return 0;
}

int pact__parse_time(const char *text, double *unix_s)
{
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text);
    while (n && isspace((unsigned char)text[n - 1]))
        n--;
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return -EINVAL;
    memcpy(buf, text, n);
    buf[n] = '\0';
    if (n >= 10 && buf[4] == '-')
        return parse_iso(buf, unix_s);
    char *end;
    double v = pact__strtod(buf, &end);
    if (end == buf || *end || !isfinite(v))
        return -EINVAL;
    *unix_s = v;
    return 0;
}

/* Timestamps pact can represent: years 1970..9999. */
#define T_MAX 253402300800.0

static int push(struct pact__series *s, int *cap, double t, double g)
{
    if (s->n == *cap) {
        int nc = *cap ? *cap * 2 : 64;
        double *nt = realloc(s->t_s, (size_t)nc * sizeof *nt);
        if (!nt)
            return -ENOMEM;
        s->t_s = nt;
        double *ng = realloc(s->g, (size_t)nc * sizeof *ng);
        if (!ng)
            return -ENOMEM;
        s->g = ng;
        *cap = nc;
    }
    s->t_s[s->n] = t;
    s->g[s->n] = g;
    s->n++;
    return 0;
}

/* Parse one data line.  Returns 0, 1 (looks like a header) or < 0. */
static int parse_line(char *line, double *t, double *g, const char **what)
{
    char *comma = strchr(line, ',');
    if (!comma) {
        *what = "expected 'timestamp,gco2_per_kwh'";
        return -EINVAL;
    }
    *comma = '\0';
    char *val = comma + 1;
    if (strchr(val, ',')) {
        *what = "more than two fields; expected 'timestamp,gco2_per_kwh'";
        return -EINVAL;
    }
    if (pact__parse_time(line, t) < 0) {
        *what = "bad timestamp (use ISO 8601 such as 2026-11-24T13:00:00Z "
                "or unix seconds)";
        return isalpha((unsigned char)line[0]) ? 1 : -EINVAL;
    }
    char *end;
    while (isspace((unsigned char)*val))
        val++;
    *g = pact__strtod(val, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (end == val || *end || !isfinite(*g) || *g < 0) {
        *what = "bad intensity (expected a number of g/kWh >= 0)";
        return -EINVAL;
    }
    return 0;
}

int pact__series_load(const char *path, struct pact__series *s, char *why,
                      size_t len)
{
    char line[512];
    int lineno = 0, cap = 0, rc = 0, first = 1;

    memset(s, 0, sizeof *s);
    FILE *fp = fopen(path, "re");
    if (!fp) {
        rc = -errno;
        snprintf(why, len, "cannot read intensity file %s: %s", path,
                 strerror(errno));
        return rc;
    }
    pact__skip_bom(fp);
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(fp)) {
            snprintf(why, len, "%s:%d: line too long", path, lineno);
            rc = PACT_EFORMAT;
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            continue;
        double t, g;
        const char *what = "";
        int r = parse_line(p, &t, &g, &what);
        if (r == 1 && first) {
            first = 0;
            continue; /* header */
        }
        first = 0;
        if (r != 0) {
            snprintf(why, len, "%s:%d: %s", path, lineno, what);
            rc = PACT_EFORMAT;
            break;
        }
        if (t < 0 || t >= T_MAX) {
            snprintf(why, len, "%s:%d: timestamp outside 1970..9999; fix "
                     "the line", path, lineno);
            rc = PACT_EFORMAT;
            break;
        }
        /* The same instant twice (e.g. 14:00+01:00 after 13:00Z) is
         * accepted when it repeats the value, else it is ambiguous. */
        if (s->n && t == s->t_s[s->n - 1] && g == s->g[s->n - 1])
            continue;
        if (s->n && t == s->t_s[s->n - 1]) {
            snprintf(why, len, "%s:%d: same instant as the previous line "
                     "with another value (%g, was %g); keep one of them",
                     path, lineno, g, s->g[s->n - 1]);
            rc = PACT_EFORMAT;
            break;
        }
        if (s->n && t <= s->t_s[s->n - 1]) {
            snprintf(why, len, "%s:%d: timestamp not after the previous "
                     "line's; sort the file by time", path, lineno);
            rc = PACT_EFORMAT;
            break;
        }
        if ((rc = push(s, &cap, t, g)) < 0) {
            snprintf(why, len, "out of memory reading %s", path);
            break;
        }
    }
    fclose(fp);
    if (rc == 0 && s->n == 0) {
        snprintf(why, len, "%s: no data lines; expected "
                 "'timestamp,gco2_per_kwh' lines", path);
        rc = PACT_EFORMAT;
    }
    if (rc < 0)
        pact__series_release(s);
    return rc;
}

void pact__series_release(struct pact__series *s)
{
    if (!s)
        return;
    free(s->t_s);
    free(s->g);
    memset(s, 0, sizeof *s);
}

/* Index of the step holding t: last i with t_s[i] <= t, or 0. */
static int step_of(const struct pact__series *s, double t)
{
    int lo = 0, hi = s->n - 1;
    if (t < s->t_s[0])
        return 0;
    while (lo < hi) {
        int mid = lo + (hi - lo + 1) / 2;
        if (s->t_s[mid] <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

double pact__series_at(const struct pact__series *s, double t)
{
    if (!s->n)
        return NAN;
    return s->g[step_of(s, t)];
}

double pact__series_integral(const struct pact__series *s, double t0,
                             double dur_s)
{
    if (!s->n)
        return NAN;
    if (!(dur_s > 0))
        return 0.0;
    double sum = 0;
    int i = step_of(s, t0);
    double a = 0; /* offsets from t0 */
    while (a < dur_s) {
        double end = i + 1 < s->n ? s->t_s[i + 1] - t0 : INFINITY;
        double b = end < dur_s ? end : dur_s;
        if (b > a)
            sum += s->g[i] * (b - a);
        a = b;
        if (i + 1 >= s->n)
            break;
        i++;
    }
    return sum;
}
