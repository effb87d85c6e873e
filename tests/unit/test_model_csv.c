/* SPDX-License-Identifier: MIT */
/*
 * test_model_csv.c - the model's CSV reader: columns by name, empty cells
 * as NaN, quoted fields, text cells remembered by line, and one-line
 * errors that name the file and line.
 */
#include "model/csv_table.h"
#include "model_synth.h"
#include "pact/pact.h"
#include "t.h"

static char dir[64], path[128];

static int write_csv(const char *text)
{
    if (!dir[0] && !syn_tmpdir(dir, sizeof dir))
        return -1;
    snprintf(path, sizeof path, "%s/t.csv", dir);
    return syn_write(path, text);
}

TEST(reads_columns_by_name_with_empty_cells)
{
    T_EQ(write_csv("index,start_time,Total_PSU_Power(W),faults\n"
                   "0,2024-01-01 00:00:00,100.5,7\n"
                   "\n"
                   "# a comment\n"
                   "1,2024-01-01 00:00:01,,8\r\n"), 0);
    struct pact__table *t;
    char why[256];
    T_EQ(pact__table_read(path, &t, why, sizeof why), 2);
    T_EQ(t->ncols, 4);
    int psu = pact__table_col(t, "Total_PSU_Power(W)");
    T_EQ(psu, 2);
    T_EQ(pact__table_col(t, "nope"), -1);
    T_NEAR(pact__table_get(t, 0, psu), 100.5, 0);
    T_ASSERT(isnan(pact__table_get(t, 1, psu)));
    T_NEAR(pact__table_get(t, 1, 3), 8, 0);
    T_EQ(t->line[1], 5);
    /* start_time is text: NaN, first seen on line 2. */
    T_ASSERT(isnan(pact__table_get(t, 0, 1)));
    T_EQ(t->text_line[1], 2);
    T_EQ(t->text_line[2], 0);
    pact__table_free(t);
}

TEST(quoted_fields)
{
    char line[] = "1,\"a,b\",\"say \"\"hi\"\"\",,x";
    char *f[8];
    T_EQ(pact__csv_split(line, f, 8), 5);
    T_STREQ(f[1], "a,b");
    T_STREQ(f[2], "say \"hi\"");
    T_STREQ(f[3], "");
    T_STREQ(f[4], "x");
    char bad[] = "1,\"open";
    T_EQ(pact__csv_split(bad, f, 8), -1);
}

TEST(wrong_field_count_names_file_and_line)
{
    T_EQ(write_csv("a,b,c\n1,2,3\n4,5\n"), 0);
    struct pact__table *t = NULL;
    char why[256] = "";
    T_EQ(pact__table_read(path, &t, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(t == NULL);
    T_ASSERT(strstr(why, "t.csv:3:") != NULL);
    T_ASSERT(strstr(why, "2 fields where the header has 3") != NULL);
}

TEST(cut_short_last_line_is_dropped)
{
    T_EQ(write_csv("a,b,c\n1,2,3\n4,5"), 0);
    struct pact__table *t;
    char why[256];
    T_EQ(pact__table_read(path, &t, why, sizeof why), 1);
    pact__table_free(t);
}

TEST(missing_and_empty_files)
{
    struct pact__table *t;
    char why[256] = "";
    T_ASSERT(pact__table_read("/no/such/file.csv", &t, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "/no/such/file.csv: cannot open") != NULL);
    T_EQ(write_csv(""), 0);
    T_EQ(pact__table_read(path, &t, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "empty file") != NULL);
}

TEST(numbers)
{
    double v;
    T_EQ(pact__csv_number(" 1.5e3 ", &v), 1);
    T_NEAR(v, 1500, 0);
    T_EQ(pact__csv_number("", &v), 0);
    T_ASSERT(isnan(v));
    T_EQ(pact__csv_number("12abc", &v), -1);
    T_EQ(pact__csv_number("inf", &v), -1);
}

T_MAIN(T_RUN(reads_columns_by_name_with_empty_cells); T_RUN(quoted_fields);
       T_RUN(wrong_field_count_names_file_and_line);
       T_RUN(cut_short_last_line_is_dropped); T_RUN(missing_and_empty_files);
       T_RUN(numbers); if (dir[0]) syn_rmdir(dir))
