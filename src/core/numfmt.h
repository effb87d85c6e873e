/* SPDX-License-Identifier: MIT */
/*
 * numfmt.h - numbers in and out independently of the host's locale.  A
 * program that links libpact may call setlocale(LC_ALL, "de_DE.UTF-8");
 * pact's files (CSV, JSON, model and plan files, sysfs values) still use
 * '.' as the decimal point.  Parsing goes through pact__strtod (strtod_l
 * with the C locale); formatting code brackets its printf calls with
 * pact__c_locale_push/pop (uselocale, per thread).
 */
#ifndef PACT_CORE_NUMFMT_H
#define PACT_CORE_NUMFMT_H

#include <locale.h>
#include <stdio.h>

/* The "C" locale object (created once; never freed).  (locale_t)0 only
 * when out of memory, in which case callers fall back to the global
 * locale. */
locale_t pact__c_locale(void);

/* strtod in the C locale. */
double pact__strtod(const char *s, char **end);

/* Switch the calling thread to the C locale; returns the previous one
 * for pact__c_locale_pop. */
locale_t pact__c_locale_push(void);
void pact__c_locale_pop(locale_t old);

/* Parse a whole field as a finite double (leading/trailing blanks and a
 * trailing '\r' allowed).  Returns 0, -EINVAL (not a number, or empty),
 * or -ERANGE (overflows a double, or is inf/nan text). */
int pact__parse_finite(const char *s, double *out);

/* Skip a UTF-8 byte order mark at the start of fp (a file just opened;
 * every text reader calls this first). */
void pact__skip_bom(FILE *fp);

#endif
