/* SPDX-License-Identifier: MIT */
/*
 * test_csv.c - the streamed CSV: header order (the original's columns
 * first), empty cells for NaN, an estimate kept out of the measured RAPL
 * column, quoting of regions, and rows kept in memory when the disk is
 * full (a file-size limit) rather than lost.
 */
#include <math.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "output/csv.h"
#include "core/path.h"
#include "t.h"

static struct pact_channel chans[2] = {
    {.name = "rapl_package0_w", .quantity = PACT_Q_POWER_W,
     .role = PACT_ROLE_CPU_POWER},
    {.name = "gpu0_util_sm", .quantity = PACT_Q_PERCENT,
     .role = PACT_ROLE_GPU_UTIL_SM},
};
static const char *ctr_names[2] = {"migrations", "faults"};

static void fill(struct pact__row *r, double *chv, double *ctr)
{
    memset(r, 0, sizeof *r);
    r->index = 3;
    r->unix_start = 0; /* 1970: formatted in local time below */
    r->duration_s = 1.000250;
    r->psu_total_w = 250.5;
    r->gpu_power_w = NAN;
    r->cpu_power_w = 42.125;
    r->gpu_util_sm = NAN;
    r->gpu_util_mem = NAN;
    r->nch = 2;
    r->ch = chans;
    r->ch_value = chv;
    r->nctr = 2;
    r->ctr_name = ctr_names;
    r->ctr_value = ctr;
    r->ctr_running_pct = 100;
    r->region = "epoch, 1";
    r->total_power_w = 272.28;
    r->energy_cum_j = 1000;
    r->co2_cum_g = 0.5;
    r->total_power_u_w = 6.5;
    r->basis_gap = 1;
    r->counter_mode = PACT_COUNTER_WINDOW;
    r->predicted_total_w = NAN;
}

TEST(header_and_row)
{
    char path[] = "/tmp/pact-csv-XXXXXX";
    int fd = mkstemp(path);
    T_ASSERT(fd >= 0);
    close(fd);
    struct pact__csv *w;
    char why[256];
    T_EQ(pact__csv_open(path, &w, why, sizeof why), 0);
    double chv[2] = {42.125, NAN}, ctr[2] = {7, NAN};
    struct pact__row r;
    fill(&r, chv, ctr);
    T_EQ(pact__csv_header(w, &r, 0), 0);
    int first;
    T_EQ(pact__csv_row(w, &r, &first), 0);
    r.cpu_estimated = 1;
    T_EQ(pact__csv_row(w, &r, &first), 0);
    T_EQ(pact__csv_close(w), 0);
    char buf[2048];
    T_ASSERT(pact__read_text(path, buf, sizeof buf) > 0);
    unlink(path);
    char *l1 = buf, *l2 = strchr(l1, '\n');
    T_ASSERT(l2);
    *l2++ = '\0';
    char *l3 = strchr(l2, '\n');
    T_ASSERT(l3);
    *l3++ = '\0';
    T_STREQ(l1, "index,start_time,duration(s),Total_PSU_Power(W),"
                "Nvidia_SMI_Power(W),Intel_RAPL_Power(W),GPU_Util_SM(%),"
                "GPU_Util_Memory(%),migrations,faults,unix_time,"
                "total_power_w,energy_j,co2_g,total_power_u_w,basis_gap,"
                "counter_mode,rapl_package0_w,gpu0_util_sm,"
                "counter_running_pct,region");
    char t[32];
    time_t zero = 0;
    struct tm tm;
    strftime(t, sizeof t, "%Y-%m-%d %H:%M:%S", localtime_r(&zero, &tm));
    char want[512];
    snprintf(want, sizeof want,
             "3,%s,1.000250,250.500,,42.125,,,7,,0.000000,272.280,"
             "1000.000,0.500000,6.500,1,window,42.125,,100.0,\"epoch, 1\"",
             t);
    T_STREQ(l2, want);
    /* An estimated CPU figure never fills the measured RAPL column. */
    snprintf(want, sizeof want,
             "3,%s,1.000250,250.500,,,,,7,,0.000000,272.280,"
             "1000.000,0.500000,6.500,1,window,42.125,,100.0,\"epoch, 1\"",
             t);
    T_STREQ(strtok(l3, "\n"), want);
}

/* The writes under a file-size limit run in a child, so that the limit
 * never touches this process's own stdout (a file under tests/run.sh). */
struct full_res {
    int open_rc, hdr_rc, row_rc, close_rc;
    size_t after_header, after_row;
};

TEST(disk_full_keeps_rows)
{
    /* A full disk, simulated by a file-size limit of 0 bytes (outputs
     * must be regular files, so /dev/full is refused). */
    char path[] = "/tmp/pact-csv-XXXXXX";
    int fd = mkstemp(path);
    T_ASSERT(fd >= 0);
    close(fd);
    int p[2];
    T_ASSERT(pipe(p) == 0);
    pid_t pid = fork();
    T_ASSERT(pid >= 0);
    if (pid == 0) {
        struct full_res res = {0};
        struct pact__csv *w;
        char why[256];
        res.open_rc = pact__csv_open(path, &w, why, sizeof why);
        struct rlimit lim;
        getrlimit(RLIMIT_FSIZE, &lim);
        lim.rlim_cur = 0;
        signal(SIGXFSZ, SIG_IGN);
        setrlimit(RLIMIT_FSIZE, &lim);
        double chv[2] = {1, 2}, ctr[2] = {3, 4};
        struct pact__row r;
        fill(&r, chv, ctr);
        if (res.open_rc == 0) {
            res.hdr_rc = pact__csv_header(w, &r, 0);
            res.after_header = pact__csv_pending(w);
            int first = 0;
            res.row_rc = pact__csv_row(w, &r, &first);
            res.after_row = pact__csv_pending(w);
            res.close_rc = pact__csv_close(w);
        }
        ssize_t n = write(p[1], &res, sizeof res);
        _exit(n == (ssize_t)sizeof res ? 0 : 1);
    }
    close(p[1]);
    struct full_res res;
    ssize_t n = read(p[0], &res, sizeof res);
    close(p[0]);
    waitpid(pid, NULL, 0);
    unlink(path);
    T_EQ(n, (ssize_t)sizeof res);
    T_EQ(res.open_rc, 0);
    T_ASSERT(res.hdr_rc < 0);
    T_ASSERT(res.after_header > 0);
    T_ASSERT(res.row_rc < 0);
    T_ASSERT(res.after_row > res.after_header);
    T_ASSERT(res.close_rc < 0);
}

TEST(unwritable_path_says_what_to_do)
{
    struct pact__csv *w;
    char why[256] = "";
    int rc = pact__csv_open("/nonexistent-dir/x.csv", &w, why, sizeof why);
    T_ASSERT(rc < 0);
    T_ASSERT(strstr(why, "/nonexistent-dir/x.csv") != NULL);
    T_ASSERT(strstr(why, "-o FILE") != NULL);
}

T_MAIN(T_RUN(header_and_row); T_RUN(disk_full_keeps_rows);
       T_RUN(unwritable_path_says_what_to_do))
