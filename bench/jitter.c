/* SPDX-License-Identifier: MIT */
/*
 * jitter.c - how late the sampling thread wakes (issue 2 benchmark).
 * Runs a tracker in the original's counter mode (a wake-up every perf
 * period) at 10 ms and at 1 ms, at normal priority (the default) and with
 * cfg.realtime (SCHED_FIFO, opt-in), and prints p50/p99/max of |actual -
 * scheduled| wake-up, then checks for cumulative drift: the window starts
 * in a CSV written at a 0.1 s measure period against index * period.
 * usage: jitter [-d SECONDS] [-D DRIFT_SECONDS] [-l BUSY_THREADS]
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/tracker.h"
#include "pact/pact.h"

#define EVENTS "page-faults;task-clock"

static atomic_int stop_busy;

static void *busy(void *arg)
{
    (void)arg;
    volatile unsigned long x = 0;
    while (!atomic_load_explicit(&stop_busy, memory_order_relaxed))
        x++;
    return NULL;
}

static void nap(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

static int rt_refused;

static void print_log(int level, const char *msg, void *user)
{
    (void)user;
    if (strstr(msg, "realtime: cannot"))
        rt_refused = 1;
    if (level <= PACT_LOG_WARN || strstr(msg, "realtime"))
        fprintf(stderr, "pact: %s\n", msg);
}

/* Run one tracker for secs; csv may be "" (no output). */
static int run(double measure_s, double perf_s, double secs, const char *csv,
               int realtime, struct pact_tracker **out)
{
    struct pact_config cfg;
    pact_config_init(&cfg);
    cfg.measure_period_s = measure_s;
    cfg.perf_period_s = perf_s;
    cfg.counter_mode = PACT_COUNTER_PACT;
    cfg.events = EVENTS;
    cfg.output_path = csv;
    cfg.workload_pid = -1;
    cfg.quiet = 0;
    cfg.realtime = realtime;
    char err[512];
    struct pact_tracker *t;
    if (pact_tracker_new(&cfg, &t, err, sizeof err) < 0) {
        fprintf(stderr, "jitter: %s\n", err);
        return -1;
    }
    if (pact_tracker_start(t) < 0) {
        fprintf(stderr, "jitter: %s\n", pact_tracker_errmsg(t));
        pact_tracker_free(t);
        return -1;
    }
    nap(secs);
    pact_tracker_stop(t);
    *out = t;
    return 0;
}

static int jitter_at(double perf_s, double secs, int realtime)
{
    struct pact_tracker *t;
    rt_refused = 0;
    if (run(1.0, perf_s, secs, "", realtime, &t) < 0)
        return -1;
    double p50, p99, max;
    size_t n;
    int rc = pact__tracker_jitter(t, &p50, &p99, &max, &n);
    pact_tracker_free(t);
    if (rc < 0) {
        fprintf(stderr, "jitter: no wake-ups recorded\n");
        return -1;
    }
    printf("%-9g %-9s %8zu %8.1f %8.1f %9.1f  %s\n", perf_s * 1e3,
           !realtime ? "normal" : rt_refused ? "refused" : "realtime", n, p50,
           p99, max,
           perf_s >= 0.01 ? (p99 <= 100 ? "met" : "NOT met") : "-");
    return 0;
}

/* Column number (0-based) of name in a CSV header line, or -1. */
static int column(char *header, const char *name)
{
    int i = 0;
    for (char *s = strtok(header, ",\n"); s; s = strtok(NULL, ",\n"), i++)
        if (strcmp(s, name) == 0)
            return i;
    return -1;
}

static double field(const char *line, int col)
{
    const char *p = line;
    for (int i = 0; i < col && p; i++) {
        p = strchr(p, ',');
        if (p)
            p++;
    }
    return p ? strtod(p, NULL) : NAN;
}

static int drift(double secs)
{
    const double period_s = 0.1;
    char path[] = "/tmp/pact-jitter-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(stderr, "jitter: mkstemp: %s\n", strerror(errno));
        return -1;
    }
    close(fd);
    struct pact_tracker *t;
    if (run(period_s, 0.01, secs, path, 0, &t) < 0) {
        unlink(path);
        return -1;
    }
    pact_tracker_free(t);
    FILE *f = fopen(path, "r");
    unlink(path);
    char line[4096];
    if (!f || !fgets(line, sizeof line, f)) {
        fprintf(stderr, "jitter: empty CSV\n");
        if (f)
            fclose(f);
        return -1;
    }
    int c_unix = column(line, "unix_time");
    if (c_unix < 0) {
        fprintf(stderr, "jitter: CSV has no unix_time column\n");
        fclose(f);
        return -1;
    }
    /* Each row's start against the grid: u_i - u_0 - i * P.  The last
     * (partial) row still starts on the grid. */
    double u0 = NAN, last = 0, worst = 0;
    long i = 0, rows = 0;
    while (fgets(line, sizeof line, f)) {
        i = strtol(line, NULL, 10);
        double u = field(line, c_unix);
        if (isnan(u0))
            u0 = u;
        last = (u - u0) - (double)i * period_s;
        if (fabs(last) > fabs(worst))
            worst = last;
        rows++;
    }
    fclose(f);
    printf("\ndrift over %.1f s (%ld rows at %g s): last row start %+.1f us "
           "off the grid, worst %+.1f us  %s\n",
           (double)i * period_s, rows, period_s, last * 1e6, worst * 1e6,
           fabs(last) < 1e-3 ? "(no cumulative drift)" : "(DRIFT)");
    return 0;
}

int main(int argc, char **argv)
{
    double secs = 20, drift_secs = 30;
    int nbusy = 0, opt;
    while ((opt = getopt(argc, argv, "d:D:l:h")) != -1) {
        switch (opt) {
        case 'd':
            secs = strtod(optarg, NULL);
            break;
        case 'D':
            drift_secs = strtod(optarg, NULL);
            break;
        case 'l':
            nbusy = (int)strtol(optarg, NULL, 10);
            break;
        default:
            fprintf(stderr, "usage: jitter [-d SECONDS] [-D DRIFT_SECONDS] "
                    "[-l BUSY_THREADS]\n");
            return opt == 'h' ? 0 : 2;
        }
    }
    if (!(secs > 0) || !(drift_secs > 0) || nbusy < 0 || nbusy > 64) {
        fprintf(stderr, "jitter: durations must be > 0 and -l 0..64\n");
        return 2;
    }
    pact_set_log(print_log, NULL);
    /* The tracker records wake-up lateness only when this is set. */
    setenv("PACT_JITTER", "1", 1);

    pthread_t th[64];
    for (int i = 0; i < nbusy; i++)
        pthread_create(&th[i], NULL, busy, NULL);
    printf("== jitter: %g s per period, counter mode pact, %d busy "
           "thread(s), %ld CPUs\n", secs, nbusy, sysconf(_SC_NPROCESSORS_ONLN));
    printf("%-9s %-9s %8s %8s %8s %9s  %s\n", "period_ms", "priority",
           "wakeups", "p50_us", "p99_us", "max_us", "p99<=100us");
    int rc = 0;
    if (jitter_at(0.01, secs, 0) < 0 || jitter_at(0.01, secs, 1) < 0 ||
        jitter_at(0.001, secs, 0) < 0 || jitter_at(0.001, secs, 1) < 0 ||
        drift(drift_secs) < 0)
        rc = 1;
    atomic_store(&stop_busy, 1);
    for (int i = 0; i < nbusy; i++)
        pthread_join(th[i], NULL);
    return rc;
}
