/* SPDX-License-Identifier: MIT */
/*
 * test_events.c - event names and the --events spec: perf spellings,
 * aliases, the original's upper-case names, groups, and the messages for
 * unknown or repeated names.
 */
#include <linux/perf_event.h>

#include "counters/events.h"
#include "pact/pact.h"
#include "t.h"

TEST(perf_names_and_aliases)
{
    struct pact__event a, b;
    char why[256];
    T_EQ(pact__event_lookup("cpu-migrations", &a, why, sizeof why), 0);
    T_EQ(pact__event_lookup("migrations", &b, why, sizeof why), 0);
    T_EQ(a.type, PERF_TYPE_SOFTWARE);
    T_EQ(a.config, PERF_COUNT_SW_CPU_MIGRATIONS);
    T_EQ(b.config, a.config);
    T_STREQ(b.canonical, "cpu-migrations");
    T_ASSERT(a.kernel_side);
    T_EQ(pact__event_lookup("page-faults", &a, why, sizeof why), 0);
    T_EQ(a.config, PERF_COUNT_SW_PAGE_FAULTS);
    T_ASSERT(!a.kernel_side);
    T_EQ(pact__event_lookup("cycles", &a, why, sizeof why), 0);
    T_EQ(a.type, PERF_TYPE_HARDWARE);
    T_EQ(a.config, PERF_COUNT_HW_CPU_CYCLES);
    T_EQ(pact__event_lookup("LLC-load-misses", &a, why, sizeof why), 0);
    T_EQ(a.type, PERF_TYPE_HW_CACHE);
    T_EQ(a.config, 0x10002);
}

TEST(original_upper_case_names)
{
    struct pact__event e[8];
    char why[256];
    int n = pact__events_parse("MIGRATIONS;FAULTS;CACHE-MISSES;CYCLES", e, 8,
                               why, sizeof why);
    T_EQ(n, 4);
    T_STREQ(e[0].column, "migrations");
    T_STREQ(e[1].column, "faults");
    T_STREQ(e[2].column, "cache-misses");
    T_STREQ(e[3].column, "cycles");
    T_EQ(e[2].config, PERF_COUNT_HW_CACHE_MISSES);
    for (int i = 0; i < 4; i++)
        T_EQ(e[i].group, i);
}

TEST(groups_and_blanks)
{
    struct pact__event e[8];
    char why[256];
    int n = pact__events_parse(" faults , cs ; task-clock", e, 8, why,
                               sizeof why);
    T_EQ(n, 3);
    T_EQ(e[0].group, 0);
    T_EQ(e[1].group, 0);
    T_EQ(e[2].group, 1);
    T_STREQ(e[1].canonical, "context-switches");
    T_EQ(pact__events_parse("", e, 8, why, sizeof why), 0);
}

TEST(unknown_name_suggests_close_ones)
{
    struct pact__event e[4];
    char why[256] = "";
    int rc = pact__events_parse("faults;migratons", e, 4, why, sizeof why);
    T_EQ(rc, PACT_EBADEVENT);
    T_ASSERT(strstr(why, "'migratons'") != NULL);
    T_ASSERT(strstr(why, "did you mean") != NULL);
    T_ASSERT(strstr(why, "migrations") != NULL);
}

TEST(repeated_name_is_an_error)
{
    struct pact__event e[4];
    char why[256] = "";
    T_EQ(pact__events_parse("faults,faults", e, 4, why, sizeof why),
         PACT_EBADEVENT);
    T_ASSERT(strstr(why, "twice") != NULL);
}

TEST(libpfm_generic_name)
{
    /* libpfm4's perf pseudo-PMU knows the generic names too; a PMU
     * specific name needs a real PMU, which these VMs lack. */
    struct pact__event e;
    char why[256];
    int rc = pact__event_lookup("PERF_COUNT_SW_CPU_MIGRATIONS", &e, why,
                                sizeof why);
    if (rc < 0)
        T_SKIP("libpfm4 has no perf pseudo-PMU here");
    T_EQ(e.type, PERF_TYPE_SOFTWARE);
    T_EQ(e.config, PERF_COUNT_SW_CPU_MIGRATIONS);
}

T_MAIN(T_RUN(perf_names_and_aliases); T_RUN(original_upper_case_names);
       T_RUN(groups_and_blanks); T_RUN(unknown_name_suggests_close_ones);
       T_RUN(repeated_name_is_an_error); T_RUN(libpfm_generic_name))
