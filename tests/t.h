/* SPDX-License-Identifier: MIT */
/*
 * t.h - the unit-test harness: TEST(name) bodies, T_* assertions that end
 * the case on failure, T_SKIP("why"), and T_MAIN(...) running the cases.
 * Each case prints "PASS: file:name", "FAIL: ..." or "SKIP: ... (why)";
 * tests/run.sh counts them.  Exit status 0 pass, 77 all skipped, 1 fail.
 * T_MAIN first prints "PLAN: N", N being the number of T_RUN(...) in its
 * argument list, so that run.sh notices a program that stops early.
 * T_SKIP is only for what this machine cannot have (a hardware PMU, a
 * GPU, root); a missing test dependency is a T_FAIL.
 */
#ifndef PACT_TESTS_T_H
#define PACT_TESTS_T_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int t__state; /* 0 pass, 1 fail, 2 skip */
static int t__npass, t__nfail, t__nskip;
static char t__why[256]; /* the reason of the last T_SKIP */

#define TEST(name) static void name(void)
#define T_FAIL_(...)                                                     \
    do {                                                                 \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                \
        fprintf(stderr, __VA_ARGS__);                                    \
        fputc('\n', stderr);                                             \
        t__state = 1;                                                    \
        return;                                                          \
    } while (0)
#define T_ASSERT(c) \
    do { if (!(c)) T_FAIL_("assertion failed: %s", #c); } while (0)
#define T_EQ(a, b)                                                       \
    do {                                                                 \
        long long t_a = (long long)(a), t_b = (long long)(b);            \
        if (t_a != t_b)                                                  \
            T_FAIL_("%s == %s: %lld != %lld", #a, #b, t_a, t_b);        \
    } while (0)
#define T_NEAR(a, b, tol)                                                \
    do {                                                                 \
        double t_a = (a), t_b = (b);                                     \
        if (!(fabs(t_a - t_b) <= (tol)))                                 \
            T_FAIL_("%s ~ %s: %.9g vs %.9g (tol %g)", #a, #b, t_a, t_b, \
                    (double)(tol));                                      \
    } while (0)
#define T_STREQ(a, b)                                                    \
    do {                                                                 \
        const char *t_a = (a), *t_b = (b);                               \
        if (!t_a || !t_b || strcmp(t_a, t_b) != 0)                       \
            T_FAIL_("%s == %s: \"%s\" != \"%s\"", #a, #b,                \
                    t_a ? t_a : "(null)", t_b ? t_b : "(null)");         \
    } while (0)
#define T_SKIP(why)                                                      \
    do {                                                                 \
        const char *t_w = (why);                                         \
        size_t t_n = strlen(t_w);                                        \
        if (t_n >= sizeof t__why)                                        \
            t_n = sizeof t__why - 1;                                     \
        memcpy(t__why, t_w, t_n);                                        \
        t__why[t_n] = '\0';                                              \
        t__state = 2;                                                    \
        return;                                                          \
    } while (0)

static inline void t__run(const char *file, const char *name, void (*fn)(void))
{
    t__state = 0;
    fflush(NULL);
    fn();
    const char *tag = t__state == 0 ? "PASS" : t__state == 1 ? "FAIL" : "SKIP";
    if (t__state == 2)
        printf("%s: %s:%s (%s)\n", tag, file, name, t__why);
    else
        printf("%s: %s:%s\n", tag, file, name);
    fflush(stdout);
    if (t__state == 0)
        t__npass++;
    else if (t__state == 1)
        t__nfail++;
    else
        t__nskip++;
}

/* The number of "T_RUN(" in the (unexpanded) text of T_MAIN's list. */
static inline int t__plan(const char *list)
{
    int n = 0;
    for (const char *p = list; (p = strstr(p, "T_RUN(")) != NULL; p += 6)
        n++;
    return n;
}

#define T_RUN(name) t__run(__FILE__, #name, name)
#define T_MAIN(...)                                                      \
    int main(void)                                                       \
    {                                                                    \
        printf("PLAN: %d\n", t__plan(#__VA_ARGS__));                     \
        fflush(stdout);                                                  \
        __VA_ARGS__;                                                     \
        if (t__nfail)                                                    \
            return 1;                                                    \
        return t__npass == 0 && t__nskip ? 77 : 0;                       \
    }

#endif
