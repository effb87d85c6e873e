/* SPDX-License-Identifier: MIT */
/*
 * numfmt.c - locale-independent number parsing and formatting (see
 * numfmt.h).
 */
#include "core/numfmt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static locale_t c_loc;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;

static void make_c(void)
{
    c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

locale_t pact__c_locale(void)
{
    pthread_once(&c_once, make_c);
    return c_loc;
}

double pact__strtod(const char *s, char **end)
{
    locale_t c = pact__c_locale();
    if (!c)
        return strtod(s, end);
    return strtod_l(s, end, c);
}

locale_t pact__c_locale_push(void)
{
    locale_t c = pact__c_locale();
    if (!c)
        return (locale_t)0;
    return uselocale(c);
}

void pact__c_locale_pop(locale_t old)
{
    if (old)
        uselocale(old);
}

int pact__parse_finite(const char *s, double *out)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return -EINVAL;
    char *end;
    errno = 0;
    double v = pact__strtod(s, &end);
    if (end == s)
        return -EINVAL;
    int range = errno == ERANGE && (v == HUGE_VAL || v == -HUGE_VAL);
    while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
        end++;
    if (*end)
        return -EINVAL;
    if (range || !isfinite(v))
        return -ERANGE;
    *out = v;
    return 0;
}

void pact__skip_bom(FILE *fp)
{
    unsigned char b[3];
    size_t n = fread(b, 1, 3, fp);
    if (n == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return;
    if (fseek(fp, 0, SEEK_SET) != 0) /* not seekable: push back what we can */
        for (size_t i = n; i-- > 0;)
            ungetc(b[i], fp);
}
