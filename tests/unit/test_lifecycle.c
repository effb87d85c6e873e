/* SPDX-License-Identifier: MIT */
/*
 * test_lifecycle.c - the tracker's lifecycle through the public API:
 * period bounds, the struct size/version checks (a deliberately short
 * struct is refused, nothing is written past it), concurrent stop, region,
 * live and summary from several threads (also built under ThreadSanitizer
 * by `make tsan`), region splits done by the sampling thread rather than
 * the caller's, the realtime watchdog demoting a sampler that spins, and a
 * fork() child that writes nothing.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pact/pact.h"
#include "sysfs_fixture.h"
#include "t.h"

#define HW "sys/class/hwmon/"

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static void quiet_log(int level, const char *msg, void *user)
{
    (void)level;
    (void)msg;
    (void)user;
}

/* A configuration that needs no hardware: an empty sysroot, no PSU. */
static void base_config(struct pact_config *c, const char *root,
                        const char *out)
{
    pact_config_init(c);
    c->events = "page-faults";
    c->output_path = out;
    c->sysroot = root;
    c->psu = "none";
    c->workload_pid = 0;
    c->scope = PACT_SCOPE_WORKLOAD;
    c->carbon_intensity = 56.0; /* no table lookup */
}

static int try_periods(double mp, double pp, char *err, size_t len)
{
    struct pact_config c;
    base_config(&c, "/nonexistent-sysroot", "");
    c.measure_period_s = mp;
    c.perf_period_s = pp;
    struct pact_tracker *t = NULL;
    int rc = pact_tracker_new(&c, &t, err, len);
    pact_tracker_free(t);
    return rc;
}

/* The documented ranges (pact.h, docs/lifecycle.md): measure period 1 ms
 * to 1 day (86400 s), perf period 100 us to the measure period.  Values
 * just inside are accepted, just outside refused with a message naming
 * the range; 1e10 s (which overflowed the period arithmetic) is refused
 * before anything starts. */
TEST(period_bounds)
{
    char err[512];
    struct {
        double mp, pp;
        int ok;
    } cases[] = {
        {1e10, 0.01, 0},     {86400.0, 0.01, 1}, {86400.5, 0.01, 0},
        {0.001, 0.0001, 1},  {0.0009, 0.0001, 0}, {NAN, 0.01, 0},
        {INFINITY, 0.01, 0}, {-1.0, 0.01, 0},     {1.0, 0.00009, 0},
        {1.0, 1.0, 1},       {1.0, 1.5, 0},       {1.0, NAN, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = '\0';
        int rc = try_periods(cases[i].mp, cases[i].pp, err, sizeof err);
        if (cases[i].ok) {
            if (rc != 0)
                T_FAIL_("periods %g/%g refused: %s", cases[i].mp,
                        cases[i].pp, err);
        } else {
            if (rc != PACT_EBADCONFIG)
                T_FAIL_("periods %g/%g: rc %d, want PACT_EBADCONFIG",
                        cases[i].mp, cases[i].pp, rc);
            T_ASSERT(strstr(err, "period") != NULL);
        }
    }
    T_EQ(try_periods(1e10, 0.01, err, sizeof err), PACT_EBADCONFIG);
    T_ASSERT(strstr(err, "1 ms to 1 day") != NULL);
}

/* A caller whose struct pact_config is shorter than the library's: init
 * refuses and writes nothing (every byte past the short size, and the
 * short part itself, keep the caller's pattern). */
TEST(short_config_refused)
{
    size_t full = sizeof(struct pact_config);
    size_t shortsz = full - 8; /* one pointer field missing */
    unsigned char buf[sizeof(struct pact_config) + 64];
    memset(buf, 0xA5, sizeof buf);
    T_EQ(pact_config_init_sized((struct pact_config *)(void *)buf, shortsz),
         PACT_EABI);
    for (size_t i = 0; i < sizeof buf; i++)
        if (buf[i] != 0xA5)
            T_FAIL_("byte %zu written by a refused init", i);

    /* A struct that claims a smaller size (built against another pact.h)
     * is refused by new, with a message saying what to do. */
    struct pact_config c;
    base_config(&c, "/nonexistent-sysroot", "");
    c.size = (uint32_t)shortsz;
    struct pact_tracker *t = NULL;
    char err[512] = "";
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), PACT_EABI);
    T_ASSERT(t == NULL);
    T_ASSERT(strstr(err, "rebuild") != NULL);

    /* Another major version: refused. */
    base_config(&c, "/nonexistent-sysroot", "");
    c.version = PACT_API_VERSION - 0x100;
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), PACT_EABI);

    /* A newer, larger struct: fine while its extra fields are zero,
     * refused when they ask for something this library cannot do. */
    struct {
        struct pact_config c;
        uint64_t newer_field;
    } big;
    memset(&big, 0, sizeof big);
    base_config(&big.c, "/nonexistent-sysroot", "");
    big.c.size = sizeof big;
    T_EQ(pact_tracker_new(&big.c, &t, err, sizeof err), 0);
    pact_tracker_free(t);
    big.newer_field = 1;
    T_EQ(pact_tracker_new(&big.c, &t, err, sizeof err), PACT_EABI);
    T_ASSERT(strstr(err, "newer libpact") != NULL);
}

/* Output structs: the query calls refuse a short one (size passed by the
 * caller) and write nothing; the right size gets size and version set. */
TEST(short_outputs_refused)
{
    char *root = fx_root();
    struct pact_config c;
    base_config(&c, root, "");
    struct pact_tracker *t;
    char err[512];
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), 0);
    T_EQ(pact_tracker_start(t), 0);

    unsigned char buf[sizeof(struct pact_summary) + 64];
    memset(buf, 0x5A, sizeof buf);
    T_EQ(pact_tracker_summary_sized(t, (struct pact_summary *)(void *)buf,
                                    sizeof(struct pact_summary) - 8),
         PACT_EABI);
    T_EQ(pact_tracker_live_sized(t, (struct pact_live *)(void *)buf,
                                 sizeof(struct pact_live) - 4),
         PACT_EABI);
    T_EQ(pact_tracker_source_get_sized(
             t, 0, (struct pact_source_summary *)(void *)buf, 8),
         PACT_EABI);
    for (size_t i = 0; i < sizeof buf; i++)
        if (buf[i] != 0x5A)
            T_FAIL_("byte %zu written by a refused call", i);
    T_ASSERT(strstr(pact_tracker_errmsg(t), "pact_source_summary") != NULL);

    struct pact_summary s;
    struct pact_live l;
    memset(&s, 0, sizeof s);
    memset(&l, 0, sizeof l);
    T_EQ(pact_tracker_summary(t, &s), 0);
    T_EQ(pact_tracker_live(t, &l), 0);
    T_EQ(s.size, sizeof s);
    T_EQ(s.version, PACT_API_VERSION);
    T_EQ(l.size, sizeof l);
    T_EQ(l.version, PACT_API_VERSION);
    T_EQ(pact_api_version(), PACT_API_VERSION);
    pact_tracker_free(t);
    fx_free(root);
}

/* ---- Many threads on one tracker ---- */

struct stress {
    struct pact_tracker *t;
    atomic_int done;
    pthread_barrier_t go;
    int stop_rc[3];
    long calls;
};

static const char *const REGIONS[] = {"alpha", "beta", "gamma", ""};

static void *worker(void *arg)
{
    struct stress *s = arg;
    unsigned k = 0;
    long n = 0;
    pthread_barrier_wait(&s->go);
    while (!atomic_load(&s->done)) {
        struct pact_summary sm;
        struct pact_live lv;
        pact_tracker_set_region(s->t, REGIONS[k++ % 4]);
        pact_tracker_live(s->t, &lv);
        pact_tracker_summary(s->t, &sm);
        (void)pact_tracker_region_energy(s->t, "alpha");
        int ns = pact_tracker_source_count(s->t);
        if (ns > 0) {
            struct pact_source_summary ss;
            pact_tracker_source_get(s->t, 0, &ss);
        }
        n += 5;
        if (k % 64 == 0)
            sleep_s(0.0005);
    }
    return (void *)n;
}

struct stopper {
    struct stress *s;
    int i;
};

static void *stopper(void *arg)
{
    struct stopper *st = arg;
    pthread_barrier_wait(&st->s->go);
    sleep_s(0.05);
    st->s->stop_rc[st->i] = pact_tracker_stop(st->s->t);
    return NULL;
}

/* Rows of a tracker CSV: indices must run 0, 1, 2, ... with no gap or
 * repeat, every row must have the header's column count, and every region
 * cell must be one of names.  Returns the row count or -1. */
static long check_csv(const char *path, const char *const *names, int nnames)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[8192];
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    int cols = 1, regcol = -1;
    for (char *p = line; *p; p++)
        cols += *p == ',';
    /* The region column by name: fleet columns (host, ...) follow it. */
    int k = 0;
    char *save = NULL;
    for (char *tok = strtok_r(line, ",\r\n", &save); tok;
         tok = strtok_r(NULL, ",\r\n", &save), k++)
        if (strcmp(tok, "region") == 0)
            regcol = k;
    long n = 0;
    while (fgets(line, sizeof line, f)) {
        int c = 1;
        for (char *p = line; *p; p++)
            c += *p == ',';
        char *end;
        long idx = strtol(line, &end, 10);
        char *reg = line;
        for (int j = 0; j < regcol && reg; j++) {
            reg = strchr(reg, ',');
            reg = reg ? reg + 1 : NULL;
        }
        if (!reg)
            reg = line;
        char *stop = reg + strcspn(reg, ",\r\n");
        *stop = '\0';
        int known = 0;
        for (int i = 0; i < nnames; i++)
            known |= strcmp(reg, names[i]) == 0;
        if (c != cols || *end != ',' || idx != n || !known) {
            fprintf(stderr, "  row %ld: index %ld, %d of %d cells, region "
                    "'%s'\n", n, idx, c, cols, reg);
            fclose(f);
            return -1;
        }
        n++;
    }
    fclose(f);
    return n;
}

/* Four threads mark regions and read live figures and the summary while
 * three threads stop the tracker at once; repeated.  Every stop returns
 * the same status, the CSV is whole (no duplicated or torn row) and
 * holds exactly the rows the summary counts. */
TEST(concurrent_stop_stress)
{
    pact_set_log(quiet_log, NULL);
    char *root = fx_root();
    char out[4096];
    snprintf(out, sizeof out, "%s/stress.csv", root);
    for (int round = 0; round < 8; round++) {
        struct pact_config c;
        base_config(&c, root, out);
        c.measure_period_s = 0.005;
        c.perf_period_s = 0.001;
        struct pact_tracker *t;
        char err[512];
        T_EQ(pact_tracker_new(&c, &t, err, sizeof err), 0);
        T_EQ(pact_tracker_start(t), 0);
        struct stress s = {.t = t};
        pthread_barrier_init(&s.go, NULL, 7);
        pthread_t w[4], st[3];
        struct stopper sa[3];
        for (int i = 0; i < 4; i++)
            pthread_create(&w[i], NULL, worker, &s);
        for (int i = 0; i < 3; i++) {
            sa[i] = (struct stopper){&s, i};
            s.stop_rc[i] = -1;
            pthread_create(&st[i], NULL, stopper, &sa[i]);
        }
        for (int i = 0; i < 3; i++)
            pthread_join(st[i], NULL);
        /* The workers go on calling after stop: still defined. */
        sleep_s(0.01);
        atomic_store(&s.done, 1);
        for (int i = 0; i < 4; i++)
            pthread_join(w[i], NULL);
        pthread_barrier_destroy(&s.go);
        for (int i = 0; i < 3; i++)
            T_EQ(s.stop_rc[i], 0);
        struct pact_summary sm;
        T_EQ(pact_tracker_summary(t, &sm), 0);
        T_EQ(pact_tracker_stop(t), 0); /* again, after the others */
        pact_tracker_free(t);
        long rows = check_csv(out, REGIONS, 4);
        T_ASSERT(rows > 0);
        T_EQ(rows, (long)sm.rows);
    }
    pact_set_log(NULL, NULL);
    fx_free(root);
}

/* ---- Who reads the devices ---- */

static pthread_t main_thread;
static atomic_int read_fail_logs, read_fail_in_caller;

static void thread_log(int level, const char *msg, void *user)
{
    (void)user;
    if (level <= PACT_LOG_WARN && strstr(msg, "hwmon") &&
        strstr(msg, "cells stay empty")) {
        atomic_fetch_add(&read_fail_logs, 1);
        if (pthread_equal(pthread_self(), main_thread))
            atomic_fetch_add(&read_fail_in_caller, 1);
    }
}

/* set_region while a power sensor fails: the failing read (and its
 * warning) must come from the sampling thread, never the caller's.  The
 * periods are a day long, so the only reads after start are the ones the
 * region change causes: the window split. */
TEST(region_split_reads_in_sampler)
{
    char *root = fx_root();
    fx_write(root, HW "hwmon0/name", "meter_a\n");
    fx_write(root, HW "hwmon0/power1_input", "42000000\n");
    char out[4096];
    snprintf(out, sizeof out, "%s/split.csv", root);
    struct pact_config c;
    base_config(&c, root, out);
    c.measure_period_s = 86400;
    c.perf_period_s = 86400;
    main_thread = pthread_self();
    atomic_store(&read_fail_logs, 0);
    atomic_store(&read_fail_in_caller, 0);
    pact_set_log(thread_log, NULL);
    struct pact_tracker *t;
    char err[512];
    int rc = pact_tracker_new(&c, &t, err, sizeof err);
    if (rc < 0) {
        pact_set_log(NULL, NULL);
        fx_free(root);
        T_FAIL_("new: %s", err);
    }
    T_EQ(pact_tracker_start(t), 0);
    sleep_s(0.01); /* a window over 1 ms old, so the change splits it */
    fx_rm(root, HW "hwmon0/power1_input");
    T_EQ(pact_tracker_set_region(t, "phase1"), 0);
    /* The split happens on the sampling thread: wait for its warning. */
    for (int i = 0; i < 500 && atomic_load(&read_fail_logs) == 0; i++)
        sleep_s(0.01);
    pact_tracker_stop(t);
    struct pact_summary sm;
    pact_tracker_summary(t, &sm);
    pact_tracker_free(t);
    pact_set_log(NULL, NULL);
    const char *names[] = {"", "phase1"};
    long rows = check_csv(out, names, 2);
    fx_free(root);
    T_ASSERT(atomic_load(&read_fail_logs) >= 1);
    T_EQ(atomic_load(&read_fail_in_caller), 0);
    /* Split at the change, then the last partial window: two rows. */
    T_EQ(rows, 2);
    T_EQ(sm.rows, 2);
}

/* ---- The realtime watchdog ---- */

static atomic_int wd_demoted, wd_refused, wd_spun;
static atomic_int wd_policy_before = -1, wd_policy_after = -1;

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int my_policy(void)
{
    int pol;
    struct sched_param sp;
    return pthread_getschedparam(pthread_self(), &pol, &sp) == 0 ? pol : -1;
}

/* Logs arrive on the thread that logs: the sensor warning on the sampling
 * thread.  There it burns CPU, as a sampler caught in a loop would, until
 * the watchdog says it demoted the thread (or 5 s pass). */
static void spin_log(int level, const char *msg, void *user)
{
    (void)user;
    if (strstr(msg, "it now runs at normal priority")) {
        atomic_store(&wd_demoted, 1);
        return;
    }
    if (strstr(msg, "realtime: cannot")) {
        atomic_store(&wd_refused, 1);
        return;
    }
    if (level <= PACT_LOG_WARN && strstr(msg, "hwmon") &&
        strstr(msg, "cells stay empty") && !atomic_exchange(&wd_spun, 1)) {
        atomic_store(&wd_policy_before, my_policy());
        double t0 = mono_s();
        while (!atomic_load(&wd_demoted) && mono_s() - t0 < 5.0)
            ;
        atomic_store(&wd_policy_after, my_policy());
    }
}

/* With realtime on, a sampling thread that keeps a CPU busy at SCHED_FIFO
 * is dropped to SCHED_OTHER by the watchdog, with a warning. */
TEST(realtime_watchdog_demotes_a_spinning_sampler)
{
    char *root = fx_root();
    fx_write(root, HW "hwmon0/name", "meter_a\n");
    fx_write(root, HW "hwmon0/power1_input", "42000000\n");
    struct pact_config c;
    base_config(&c, root, "");
    c.measure_period_s = 86400;
    c.perf_period_s = 86400;
    c.realtime = 1;
    atomic_store(&wd_demoted, 0);
    atomic_store(&wd_refused, 0);
    atomic_store(&wd_spun, 0);
    pact_set_log(spin_log, NULL);
    struct pact_tracker *t;
    char err[512];
    int rc = pact_tracker_new(&c, &t, err, sizeof err);
    if (rc == 0)
        rc = pact_tracker_start(t);
    if (rc < 0 || atomic_load(&wd_refused)) {
        if (rc == 0)
            pact_tracker_free(t);
        pact_set_log(NULL, NULL);
        fx_free(root);
        if (rc < 0)
            T_FAIL_("tracker: %s", err);
        T_SKIP("no permission for SCHED_FIFO (needs CAP_SYS_NICE)");
    }
    sleep_s(0.01);
    fx_rm(root, HW "hwmon0/power1_input");
    pact_tracker_set_region(t, "spin");
    for (int i = 0; i < 800 && atomic_load(&wd_policy_after) < 0; i++)
        sleep_s(0.01);
    pact_tracker_free(t);
    pact_set_log(NULL, NULL);
    fx_free(root);
    T_EQ(atomic_load(&wd_policy_before), SCHED_FIFO);
    T_EQ(atomic_load(&wd_demoted), 1);
    T_EQ(atomic_load(&wd_policy_after), SCHED_OTHER);
}

/* ---- fork() ---- */

/* A child forked while the tracker runs: every call refuses (the tracker
 * is the parent's) or does nothing, free returns at once, and nothing the
 * child does reaches the parent's CSV: it stays whole, with consecutive
 * indices and exactly the parent's row count. */
TEST(fork_child_is_inert)
{
    pact_set_log(quiet_log, NULL);
    char *root = fx_root();
    char out[4096];
    snprintf(out, sizeof out, "%s/fork.csv", root);
    struct pact_config c;
    base_config(&c, root, out);
    c.measure_period_s = 0.01;
    c.perf_period_s = 0.01;
    struct pact_tracker *t;
    char err[512];
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), 0);
    T_EQ(pact_tracker_start(t), 0);
    sleep_s(0.055);
    pid_t pid = fork();
    if (pid == 0) {
        struct pact_summary sm;
        struct pact_live lv;
        int bad = 0;
        bad |= pact_tracker_summary(t, &sm) != PACT_ESTATE;
        bad |= pact_tracker_live(t, &lv) != PACT_ESTATE;
        bad |= pact_tracker_set_region(t, "child") != PACT_ESTATE;
        bad |= pact_tracker_stop(t) != 0;
        pact_tracker_free(t);
        _exit(bad ? 3 : 0);
    }
    T_ASSERT(pid > 0);
    /* A child that hangs (joining a thread it does not have) is a
     * failure, not a hung test: give it 10 s, then kill it. */
    int st = 0;
    pid_t r = 0;
    for (int i = 0; i < 1000 && r == 0; i++) {
        r = waitpid(pid, &st, WNOHANG);
        if (r == 0)
            sleep_s(0.01);
    }
    if (r == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
    }
    sleep_s(0.03);
    T_EQ(pact_tracker_stop(t), 0);
    struct pact_summary sm;
    T_EQ(pact_tracker_summary(t, &sm), 0);
    pact_tracker_free(t);
    pact_set_log(NULL, NULL);
    const char *names[] = {""};
    long rows = check_csv(out, names, 1);
    fx_free(root);
    T_ASSERT(r == pid);
    T_ASSERT(WIFEXITED(st));
    T_EQ(WEXITSTATUS(st), 0);
    T_EQ(rows, (long)sm.rows);
}

T_MAIN(T_RUN(period_bounds); T_RUN(short_config_refused);
       T_RUN(short_outputs_refused); T_RUN(concurrent_stop_stress);
       T_RUN(region_split_reads_in_sampler);
       T_RUN(realtime_watchdog_demotes_a_spinning_sampler);
       T_RUN(fork_child_is_inert))
