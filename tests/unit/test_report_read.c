/* SPDX-License-Identifier: MIT */
/*
 * test_report_read.c - pact report's readers: the fast number parser
 * against glibc's strtod on 200 000 random decimals (bit for bit), quoted
 * CSV fields, cut and short lines, the JSON reader on escapes and bad
 * documents, and the scanner's bins: a single-row spike keeps its height
 * and energies equal the row-by-row sum however many bins merge.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/json.h"
#include "report/rcsv.h"
#include "report/scan.h"
#include "t.h"

static char dir[] = "/tmp/pact-report-read-XXXXXX";

static const char *put(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

TEST(numbers_equal_strtod)
{
    srand(7);
    char s[64];
    for (int i = 0; i < 200000; i++) {
        int nint = 1 + rand() % 9, dec = rand() % 7; /* <= 15 digits */
        char *w = s;
        if (rand() % 5 == 0)
            *w++ = '-';
        for (int k = 0; k < nint; k++)
            *w++ = (char)('0' + rand() % 10);
        if (dec)
            *w++ = '.';
        for (int k = 0; k < dec; k++)
            *w++ = (char)('0' + rand() % 10);
        *w = '\0';
        double a = pact__rcsv_num(s), b = strtod(s, NULL);
        if (memcmp(&a, &b, sizeof a) != 0)
            T_FAIL_("'%s': %.17g != strtod %.17g", s, a, b);
    }
    T_ASSERT(isnan(pact__rcsv_num("")));
    T_ASSERT(isnan(pact__rcsv_num("12x")));
    T_ASSERT(pact__rcsv_num("1e3") == 1000);
    T_ASSERT(pact__rcsv_num("12345678901234567890") == 12345678901234567890.0);
}

TEST(quoted_fields_and_cut_lines)
{
    char why[512];
    struct pact__rcsv *c;
    const char *p = put("q.csv", "a,b,region\r\n1,2,\"x, \"\"y\"\"\nz\"\n"
                                 "3,4,plain\n");
    T_EQ(pact__rcsv_open(p, &c, why, sizeof why), 0);
    T_EQ(pact__rcsv_ncols(c), 3);
    T_EQ(pact__rcsv_col(c, "region"), 2);
    char **f;
    T_EQ(pact__rcsv_next(c, &f, why, sizeof why), 1);
    T_STREQ(f[2], "x, \"y\"\nz");
    T_EQ(pact__rcsv_next(c, &f, why, sizeof why), 1);
    T_STREQ(f[2], "plain");
    T_EQ(pact__rcsv_next(c, &f, why, sizeof why), 0);
    pact__rcsv_close(c);

    p = put("cut.csv", "a,b\n1,2\n3,");
    T_EQ(pact__rcsv_open(p, &c, why, sizeof why), 0);
    T_EQ(pact__rcsv_next(c, &f, why, sizeof why), 1);
    T_ASSERT(pact__rcsv_next(c, &f, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "last line (3) has no end of line") != NULL);
    pact__rcsv_close(c);

    p = put("short.csv", "a,b,c\n1,2,3\n4,5\n");
    T_EQ(pact__rcsv_open(p, &c, why, sizeof why), 0);
    T_EQ(pact__rcsv_next(c, &f, why, sizeof why), 1);
    T_ASSERT(pact__rcsv_next(c, &f, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "line 3 has 2 of the header's 3 fields") != NULL);
    pact__rcsv_close(c);
}

TEST(json_values_and_errors)
{
    char why[512];
    const char *p = put("s.json", "{\"a\": {\"total\": 90.056358}, \"s\": "
                                  "\"g\\u00e9 \\\"q\\\" \\ud83d\\ude00\", "
                                  "\"n\": null, \"t\": true, \"l\": [1, "
                                  "{\"name\": \"x\"}], \"e\": -1.5e-3}");
    struct pact__json *j = pact__json_load(p, why, sizeof why);
    T_ASSERT(j != NULL);
    const struct pact__json *a = pact__json_get(j, "a");
    T_ASSERT(pact__json_num(a, "total") == 90.056358);
    T_STREQ(pact__json_get(a, "total")->text, "90.056358");
    T_STREQ(pact__json_str(j, "s"), "g\xc3\xa9 \"q\" \xf0\x9f\x98\x80");
    T_ASSERT(isnan(pact__json_num(j, "n")));
    T_EQ(pact__json_get(j, "t")->type, PACT__J_BOOL);
    T_STREQ(pact__json_str(pact__json_get(j, "l")->child->next, "name"), "x");
    T_ASSERT(pact__json_num(j, "e") == -1.5e-3);
    pact__json_free(j);
    static const char *bad[] = {"{\"a\": }",    "{\"a\" 1}", "[1, 2",
                                "{\"a\": 1} x", "\"\\q\"",   ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        p = put("bad.json", bad[i]);
        T_ASSERT(pact__json_load(p, why, sizeof why) == NULL);
        T_ASSERT(strstr(why, "not valid JSON") != NULL);
    }
}

TEST(bins_keep_spike_and_energy)
{
    /* 30 001 rows of 0.01 s, one 500 W row: with 100 bins (cap 200) the
     * bins merge 8 times; the spike must stay the max of its bin and the
     * energy equal the row sum computed here in the same order. */
    char path[256];
    snprintf(path, sizeof path, "%s/big.csv", dir);
    FILE *f = fopen(path, "w");
    T_ASSERT(f != NULL);
    fprintf(f, "unix_time,duration(s),total_power_w,rapl_package0_w\n");
    double e = 0;
    for (int i = 0; i <= 30000; i++) {
        double p = i == 17777 ? 500 : 40 + (i % 10);
        fprintf(f, "%.6f,0.010000,%.3f,%.3f\n", 1e9 + i * 0.01, p, p - 5);
        e += p * 0.01;
    }
    fclose(f);
    struct pact__scan sc;
    char why[512];
    T_EQ(pact__scan_file(&sc, path, 100, NULL, why, sizeof why), 0);
    T_ASSERT(sc.nb >= 100 && sc.nb <= 200);
    T_EQ(sc.rows, 30001);
    T_NEAR(sc.s[sc.total].sum_vd, e, 1e-9 * e);
    T_ASSERT(sc.s[sc.total].max == 500);
    double top = 0, rows = 0;
    for (int b = 0; b < sc.nb; b++) {
        top = fmax(top, sc.mx[(size_t)b * sc.ns + sc.total]);
        rows += (double)sc.brows[b];
    }
    T_ASSERT(top == 500);
    T_EQ(rows, 30001);
    int pk = pact__scan_find(&sc, "rapl_package0_w");
    T_ASSERT(pk >= 0);
    T_NEAR(sc.s[pk].sum_vd, e - 5 * 0.01 * 30001, 1e-9 * e);
    pact__scan_release(&sc);
}

int main(void)
{
    printf("PLAN: %d\n", 4);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    T_RUN(numbers_equal_strtod);
    T_RUN(quoted_fields_and_cut_lines);
    T_RUN(json_values_and_errors);
    T_RUN(bins_keep_spike_and_energy);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return t__nfail ? 1 : 0;
}
