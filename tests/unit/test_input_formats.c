/* SPDX-License-Identifier: MIT */
/*
 * test_input_formats.c - every reader accepts a UTF-8 BOM and CRLF and
 * treats nan as documented; a value the reader cannot represent is
 * rejected with its line number (issue 12): the intensity file, the
 * model's CSV reader and the model file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "carbon/series.h"
#include "model/csv_table.h"
#include "model/model.h"
#include "model/model_file.h"
#include "t.h"

static char dir[] = "/tmp/pact-formats-XXXXXX";

static const char *file(const char *name, const char *text)
{
    static char p[8][300];
    static int k;
    char *path = p[k++ % 8];
    snprintf(path, 300, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

TEST(intensity_bom_crlf_and_same_instant)
{
    char why[512];
    struct pact__series s;
    /* 14:00+01:00 is 13:00Z: the same instant, the same value. */
    const char *p = file("a.csv", "\xef\xbb\xbftimestamp,gco2_per_kwh\r\n"
                                  "2026-11-24T13:00:00Z,312\r\n"
                                  "2026-11-24T14:00:00+01:00,312\r\n"
                                  "1795960800,305\r\n");
    T_EQ(pact__series_load(p, &s, why, sizeof why), 0);
    T_EQ(s.n, 2);
    /* 2026-11-24T13:00Z in unix seconds: 20781 days after 1970-01-01
     * (Python: date(2026,11,24) - date(1970,1,1)), plus 13 h. */
    T_EQ(s.t_s[0], 20781.0 * 86400 + 13 * 3600);
    T_EQ(s.g[1], 305.0);
    pact__series_release(&s);
}

TEST(intensity_errors_name_the_line)
{
    char why[512];
    struct pact__series s;
    const char *p = file("b.csv", "2026-11-24T13:00:00Z,312\n"
                                  "2026-11-24T14:00:00+01:00,298\n");
    T_ASSERT(pact__series_load(p, &s, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "b.csv:2: same instant") != NULL);
    p = file("c.csv", "1795960800,1\n1795964400,1e400\n");
    T_ASSERT(pact__series_load(p, &s, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "c.csv:2: bad intensity") != NULL);
    p = file("d.csv", "1795960800,nan\n");
    T_ASSERT(pact__series_load(p, &s, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "d.csv:1: bad intensity") != NULL);
    p = file("e.csv", "1e300,5\n");
    T_ASSERT(pact__series_load(p, &s, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "e.csv:1: timestamp outside") != NULL);
}

TEST(model_csv_bom_crlf_nan)
{
    char why[512];
    struct pact__table *t;
    const char *p = file("m.csv", "\xef\xbb\xbf" "Total_PSU_Power(W),faults\r\n"
                                  "100,nan\r\n"
                                  "NaN,7\r\n");
    T_EQ(pact__table_read(p, &t, why, sizeof why), 2);
    int c = pact__table_col(t, "Total_PSU_Power(W)");
    T_EQ(c, 0); /* found despite the BOM */
    T_EQ(pact__table_get(t, 0, 0), 100.0);
    T_ASSERT(isnan(pact__table_get(t, 0, 1))); /* nan: no value */
    T_ASSERT(isnan(pact__table_get(t, 1, 0)));
    T_EQ(pact__table_get(t, 1, 1), 7.0);
    T_EQ(t->text_line[0], 0); /* nan is not "text" */
    T_EQ(t->text_line[1], 0);
    pact__table_free(t);
}

static const char *model_text(const char *rows)
{
    static char buf[1024];
    snprintf(buf, sizeof buf,
             "\xef\xbb\xbfpact-model 1\r\n"
             "type piecewise\r\n"
             "target Power_Other(W)\r\n"
             "features 1\r\n"
             "feature per_period=0 x\r\n"
             "preprocess skip_leading=0 normalise=0 perf_period_s=0.01 "
             "window=0 trim=0 train_fraction=1\r\n"
             "seed 0\r\n"
             "train_rows 3\r\n"
             "ols 1 2\r\n"
             "clusters 1 1\r\n"
             "scale 0 0 10\r\n"
             "cluster rows=%s fallback=0 centre 5 coef 3 4\r\n"
             "end\r\n", rows);
    return buf;
}

TEST(model_file_bom_crlf_and_huge_count)
{
    char why[512];
    struct pact__model *m;
    const char *p = file("ok.model", model_text("3"));
    T_EQ(pact__model_load(p, &m, why, sizeof why), 0);
    T_EQ(m->ols[1], 2.0);
    T_EQ(m->pw.coef[1], 4.0);
    T_EQ(m->pw.rows[0], (size_t)3);
    pact__model_free(m);
    /* rows=1e300 cannot be a count: line 12, not a float-to-int cast. */
    p = file("huge.model", model_text("1e300"));
    T_ASSERT(pact__model_load(p, &m, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "huge.model:12: rows=") != NULL);
    p = file("frac.model", model_text("2.5"));
    T_ASSERT(pact__model_load(p, &m, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "frac.model:12:") != NULL);
}

int main(void)
{
    printf("PLAN: %d\n", 4);
    if (!mkdtemp(dir))
        return 1;
    T_RUN(intensity_bom_crlf_and_same_instant);
    T_RUN(intensity_errors_name_the_line);
    T_RUN(model_csv_bom_crlf_nan);
    T_RUN(model_file_bom_crlf_and_huge_count);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return t__nfail ? 1 : 0;
}
