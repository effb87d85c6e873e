/* SPDX-License-Identifier: MIT */
/*
 * test_tracker.c - the tracker end to end through the public API:
 * configuration errors, windows that tile the run on the t0 + k*P grid
 * (no gaps, no drift), region changes that split a window, and stop
 * writing the last partial row.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/path.h"
#include "pact/pact.h"
#include "t.h"

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (long)s) * 1e9)};
    nanosleep(&ts, NULL);
}

static int bad_config(double mp, double pp, const char *events,
                      const char *out, char *err, size_t len)
{
    struct pact_config c;
    pact_config_init(&c);
    c.measure_period_s = mp;
    c.perf_period_s = pp;
    c.events = events;
    c.output_path = out;
    struct pact_tracker *t = NULL;
    int rc = pact_tracker_new(&c, &t, err, len);
    pact_tracker_free(t);
    return rc;
}

TEST(config_errors)
{
    char err[512];
    T_EQ(bad_config(0, 0.01, "faults", "", err, sizeof err),
         PACT_EBADCONFIG);
    T_ASSERT(strstr(err, "measure period") != NULL);
    T_EQ(bad_config(1, -1, "faults", "", err, sizeof err), PACT_EBADCONFIG);
    T_ASSERT(strstr(err, "perf period") != NULL);
    T_EQ(bad_config(1, 2, "faults", "", err, sizeof err), PACT_EBADCONFIG);
    T_ASSERT(strstr(err, "must not exceed") != NULL);
    T_EQ(bad_config(1, 0.01, "faults;nope", "", err, sizeof err),
         PACT_EBADEVENT);
    T_ASSERT(strstr(err, "nope") != NULL);
    T_ASSERT(bad_config(1, 0.01, "faults", "/no/such/dir/a.csv", err,
                        sizeof err) < 0);
    T_ASSERT(strstr(err, "/no/such/dir/a.csv") != NULL);
}

/* Parse column col (0-based) of every data row of a CSV into v. */
static int column(const char *path, int col, double *v, int max,
                  char regions[][32])
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4096];
    int n = 0;
    if (!fgets(line, sizeof line, f)) {
        fclose(f);
        return -1;
    }
    /* The region column by name: fleet columns (host, ...) follow it. */
    int rcol = 0;
    for (char *p = line; (p = strchr(p, ',')) != NULL; p++) {
        rcol++;
        if (!strncmp(p + 1, "region", 6) && strchr(",\n", p[7]))
            break;
    }
    n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        char *cell = line;
        for (int i = 0; i < col && cell; i++) {
            cell = strchr(cell, ',');
            if (cell)
                cell++;
        }
        v[n] = cell && *cell != ',' ? strtod(cell, NULL) : NAN;
        if (regions) {
            char *r = line;
            for (int i = 0; i < rcol && r; i++) {
                r = strchr(r, ',');
                if (r)
                    r++;
            }
            snprintf(regions[n], 32, "%.31s", r ? r : "");
            regions[n][strcspn(regions[n], ",\n")] = '\0';
        }
        n++;
    }
    fclose(f);
    return n;
}

TEST(windows_tile_the_grid)
{
    char path[] = "/tmp/pact-tracker-XXXXXX";
    close(mkstemp(path));
    struct pact_config c;
    pact_config_init(&c);
    c.measure_period_s = 0.05;
    c.perf_period_s = 0.01;
    c.events = "faults";
    c.output_path = path;
    c.workload_pid = 0;
    struct pact_tracker *t;
    char err[256];
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), 0);
    T_EQ(pact_tracker_start(t), 0);
    sleep_s(0.52);
    T_EQ(pact_tracker_stop(t), 0);
    struct pact_summary s;
    T_EQ(pact_tracker_summary(t, &s), 0);
    pact_tracker_free(t);
    double start[64], dur[64];
    /* Columns: 2 = duration(s), 9 = unix_time (8 originals + faults). */
    int n = column(path, 9, start, 64, NULL);
    T_EQ(column(path, 2, dur, 64, NULL), n);
    unlink(path);
    T_ASSERT(n >= 10 && n <= 12);
    T_EQ(s.rows, n);
    for (int i = 1; i < n; i++) {
        /* Each window starts where the previous ended... */
        T_NEAR(start[i], start[i - 1] + dur[i - 1], 2e-6);
        /* ...and on its slot of the grid t0 + k*P (no drift). */
        T_NEAR(start[i] - start[0], i * 0.05, 0.025);
    }
}

TEST(region_splits_window)
{
    char path[] = "/tmp/pact-region-XXXXXX";
    close(mkstemp(path));
    struct pact_config c;
    pact_config_init(&c);
    c.measure_period_s = 10; /* one long window, split by regions */
    c.events = "faults";
    c.output_path = path;
    struct pact_tracker *t;
    char err[256];
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), 0);
    T_EQ(pact_tracker_start(t), 0);
    sleep_s(0.05);
    T_EQ(pact_tracker_set_region(t, "epoch"), 0);
    sleep_s(0.05);
    T_EQ(pact_tracker_set_region(t, NULL), 0);
    sleep_s(0.05);
    T_EQ(pact_tracker_stop(t), 0);
    T_EQ(pact_tracker_stop(t), 0); /* idempotent */
    pact_tracker_free(t);
    double dur[8];
    char reg[8][32];
    int n = column(path, 2, dur, 8, reg);
    unlink(path);
    T_EQ(n, 3);
    T_STREQ(reg[0], "");
    T_STREQ(reg[1], "epoch");
    T_STREQ(reg[2], "");
    for (int i = 0; i < 3; i++)
        T_ASSERT(dur[i] > 0.03 && dur[i] < 1.0);
}

TEST(start_twice_is_a_state_error)
{
    struct pact_config c;
    pact_config_init(&c);
    c.output_path = "";
    c.events = "";
    struct pact_tracker *t;
    char err[256];
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), 0);
    T_EQ(pact_tracker_start(t), 0);
    T_EQ(pact_tracker_start(t), PACT_ESTATE);
    pact_tracker_free(t); /* stops it */
    pact_tracker_free(NULL);
    T_STREQ(pact_err_name(PACT_EBADEVENT), "PACT_EBADEVENT");
    T_STREQ(pact_strerror(-ENOENT), strerror(ENOENT));
}

T_MAIN(T_RUN(config_errors); T_RUN(windows_tile_the_grid);
       T_RUN(region_splits_window); T_RUN(start_twice_is_a_state_error))
