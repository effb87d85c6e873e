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
