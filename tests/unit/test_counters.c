/* SPDX-License-Identifier: MIT */
/*
 * test_counters.c - real perf counters on a real workload: page faults of
 * a child that touches a known number of pages, the original's
 * running-total mode, and hardware events that this machine cannot count
 * (reported unavailable, never 0).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "counters/counters.h"
#include "pact/pact.h"
#include "t.h"

#define PAGES 4000

/* A child parked on a pipe that, once released, touches PAGES pages and
 * writes one byte back, then waits to be killed. */
struct kid {
    pid_t pid;
    int go, done;
};

static void touch_pages(void)
{
    long page = sysconf(_SC_PAGESIZE);
    volatile char *p = mmap(NULL, (size_t)(PAGES * page),
                            PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (long i = 0; i < PAGES; i++)
        p[i * page] = 1;
}

static int spawn(struct kid *k)
{
    int a[2], b[2];
    if (pipe(a) || pipe(b))
        return -1;
    k->pid = fork();
    if (k->pid == 0) {
        char c;
        if (read(a[0], &c, 1) != 1)
            _exit(1);
        touch_pages();
        if (write(b[1], &c, 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    close(a[0]);
    close(b[1]);
    k->go = a[1];
    k->done = b[0];
    return 0;
}

static void run_kid(struct kid *k)
{
    char c = 1;
    if (write(k->go, &c, 1) != 1 || read(k->done, &c, 1) != 1)
        return;
}

static void end_kid(struct kid *k)
{
    kill(k->pid, SIGKILL);
    waitpid(k->pid, NULL, 0);
    close(k->go);
    close(k->done);
}

TEST(workload_page_faults)
{
    struct kid k;
    T_EQ(spawn(&k), 0);
    /* pid 0 = this process and the children it makes later: the child
     * already exists, so count it through its pid without exec. */
    struct pact__counters_opts o = {.scope = PACT_SCOPE_SYSTEM,
                                    .mode = PACT_COUNTER_WINDOW, .pid = -1};
    struct pact__counters *c;
    char notice[256], why[256];
    int rc = pact__counters_open("page-faults", &o, &c, notice,
                                 sizeof notice, why, sizeof why);
    T_EQ(rc, 0);
    if (!pact__counters_available(c, 0, NULL)) {
        pact__counters_close(c);
        end_kid(&k);
        T_SKIP("system-wide counters not permitted here");
    }
    pact__counters_begin(c);
    run_kid(&k);
    double v[1], run_pct;
    pact__counters_window(c, v, &run_pct);
    end_kid(&k);
    pact__counters_close(c);
    /* System-wide: the child's PAGES faults plus whatever else ran. */
    T_ASSERT(v[0] >= PAGES);
    T_ASSERT(v[0] < PAGES * 3);
    T_NEAR(run_pct, 100.0, 1e-9);
}

TEST(pact_mode_sums_running_totals)
{
    struct kid k;
    T_EQ(spawn(&k), 0);
    struct pact__counters_opts o = {.scope = PACT_SCOPE_SYSTEM,
                                    .mode = PACT_COUNTER_PACT, .pid = -1};
    struct pact__counters *c;
    char notice[256], why[256];
    T_EQ(pact__counters_open("faults", &o, &c, notice, sizeof notice, why,
                             sizeof why), 0);
    if (!pact__counters_available(c, 0, NULL)) {
        pact__counters_close(c);
        end_kid(&k);
        T_SKIP("system-wide counters not permitted here");
    }
    pact__counters_begin(c);
    run_kid(&k);
    /* Five perf-period reads after the faults, then the window edge: the
     * original adds the running total at each read, so about 6 x PAGES. */
    for (int i = 0; i < 5; i++)
        pact__counters_tick(c);
    double v[1], run_pct;
    pact__counters_window(c, v, &run_pct);
    /* The next window starts from zero again (the original's reset). */
    double w[1];
    pact__counters_window(c, w, &run_pct);
    end_kid(&k);
    pact__counters_close(c);
    T_ASSERT(v[0] >= 6.0 * PAGES);
    T_ASSERT(v[0] < 6.0 * PAGES * 2);
    T_ASSERT(w[0] < PAGES);
}

TEST(unsupported_hardware_event_is_empty_not_zero)
{
    struct pact__counters_opts o = {.scope = PACT_SCOPE_AUTO,
                                    .mode = PACT_COUNTER_WINDOW, .pid = 0};
    struct pact__counters *c;
    char notice[256], why[256];
    T_EQ(pact__counters_open("faults;cycles", &o, &c, notice, sizeof notice,
                             why, sizeof why), 0);
    const char *w = NULL;
    if (pact__counters_available(c, 1, &w)) {
        pact__counters_close(c);
        T_SKIP("this machine has a hardware PMU");
    }
    T_ASSERT(strstr(w, "cycles") != NULL);
    T_ASSERT(strstr(w, "not supported") != NULL);
    T_ASSERT(pact__counters_available(c, 0, NULL));
    pact__counters_begin(c);
    double v[2], run_pct;
    pact__counters_window(c, v, &run_pct);
    pact__counters_close(c);
    T_ASSERT(isnan(v[1]));
    T_ASSERT(!isnan(v[0]));
}

TEST(clock_inside_a_group_is_counted)
{
    struct pact__counters_opts o = {.scope = PACT_SCOPE_WORKLOAD,
                                    .mode = PACT_COUNTER_WINDOW, .pid = 0};
    struct pact__counters *c;
    char notice[256], why[256];
    T_EQ(pact__counters_open("page-faults,task-clock", &o, &c, notice,
                             sizeof notice, why, sizeof why), 0);
    pact__counters_begin(c);
    volatile double x = 0;
    for (int i = 0; i < 2000000; i++)
        x += i * 0.5;
    double v[2], run_pct;
    pact__counters_window(c, v, &run_pct);
    pact__counters_close(c);
    T_ASSERT(!isnan(v[1]));
    T_ASSERT(v[1] > 0); /* ns of this thread's CPU time */
}

TEST(bad_spec_fails_with_message)
{
    struct pact__counters_opts o = {.scope = PACT_SCOPE_AUTO, .pid = 0};
    struct pact__counters *c = NULL;
    char notice[256], why[256] = "";
    T_EQ(pact__counters_open("faults;bogus-event", &o, &c, notice,
                             sizeof notice, why, sizeof why),
         PACT_EBADEVENT);
    T_ASSERT(c == NULL);
    T_ASSERT(strstr(why, "bogus-event") != NULL);
}

TEST(open_advice_names_the_fix)
{
    T_ASSERT(strstr(pact__perf_open_advice(EACCES, 1),
                    "perf_event_paranoid") != NULL);
    T_ASSERT(strstr(pact__perf_open_advice(ENOENT, 0), "not supported"));
}

T_MAIN(T_RUN(workload_page_faults); T_RUN(pact_mode_sums_running_totals);
       T_RUN(unsupported_hardware_event_is_empty_not_zero);
       T_RUN(clock_inside_a_group_is_counted);
       T_RUN(bad_spec_fails_with_message); T_RUN(open_advice_names_the_fix))
