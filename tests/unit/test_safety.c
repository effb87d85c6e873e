/* SPDX-License-Identifier: MIT */
/*
 * test_safety.c - data safety of the outputs (issue 12): an existing
 * output is untouched until the run starts, a file pact created for a
 * run that never started is removed, links, FIFOs and inputs are refused
 * as outputs, a cell never holds inf, regions are quoted as RFC 4180 says
 * and read back by the model's CSV reader, a region name over the limit
 * is refused, the row backlog has a cap, and a disk that never recovers
 * leaves no torn last row.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/csv_table.h"
#include "output/csv.h"
#include "output/outfile.h"
#include "pact/pact.h"
#include "t.h"

static char dir[] = "/tmp/pact-safety-XXXXXX";

static void at(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char *slurp(const char *path, size_t *n)
{
    static char buf[1 << 16];
    FILE *f = fopen(path, "r");
    *n = 0;
    if (!f)
        return NULL;
    *n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*n] = '\0';
    return buf;
}

static struct pact_channel ch1 = {.name = "x_w", .quantity = PACT_Q_POWER_W};

static void row(struct pact__row *r, double *v, const char *region)
{
    memset(r, 0, sizeof *r);
    r->index = 1;
    r->duration_s = 0.5;
    r->psu_total_w = r->gpu_power_w = r->cpu_power_w = NAN;
    r->gpu_util_sm = r->gpu_util_mem = NAN;
    r->total_power_w = 100;
    r->energy_cum_j = 50;
    r->co2_cum_g = NAN;
    r->predicted_total_w = NAN;
    r->nch = 1;
    r->ch = &ch1;
    r->ch_value = v;
    r->ctr_running_pct = NAN;
    r->region = region;
}

TEST(existing_output_untouched_until_start)
{
    char p[300], why[512];
    at(p, sizeof p, "keep.csv");
    put_file(p, "precious\n");
    struct pact__csv *w;
    T_EQ(pact__csv_open(p, &w, why, sizeof why), 0);
    T_EQ(pact__csv_close(w), 0); /* set-up failed: never started */
    size_t n;
    T_STREQ(slurp(p, &n), "precious\n");
    /* A file pact made itself for a run that never started is removed. */
    at(p, sizeof p, "new.csv");
    T_EQ(pact__csv_open(p, &w, why, sizeof why), 0);
    T_EQ(access(p, F_OK), 0);
    T_EQ(pact__csv_close(w), 0);
    T_ASSERT(access(p, F_OK) != 0);
}

TEST(links_fifos_and_inputs_refused)
{
    char p[300], target[300], why[512] = "";
    struct pact__csv *w = NULL;
    at(target, sizeof target, "victim.txt");
    put_file(target, "victim\n");
    at(p, sizeof p, "link.csv");
    T_EQ(symlink(target, p), 0);
    T_ASSERT(pact__csv_open(p, &w, why, sizeof why) < 0);
    T_ASSERT(strstr(why, p) && strstr(why, "symbolic link"));
    size_t n;
    T_STREQ(slurp(target, &n), "victim\n");
    /* The whole-file writer refuses it too, and leaves no temp file. */
    struct pact__outfile of;
    T_ASSERT(pact__outfile_open(&of, p, NULL, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "symbolic link") != NULL);

    at(p, sizeof p, "fifo");
    T_EQ(mkfifo(p, 0600), 0);
    why[0] = '\0';
    T_ASSERT(pact__csv_open(p, &w, why, sizeof why) < 0); /* no block */
    T_ASSERT(strstr(why, "FIFO") != NULL);

    /* An input (here a hard link to it: same inode) is never an output. */
    char in[300];
    at(in, sizeof in, "model.txt");
    put_file(in, "pact-model 1\n");
    at(p, sizeof p, "alias.txt");
    T_EQ(link(in, p), 0);
    const char *inputs[] = {in, NULL};
    why[0] = '\0';
    T_ASSERT(pact__csv_open_checked(p, inputs, &w, why, sizeof why) < 0);
    T_ASSERT(strstr(why, "is the input") != NULL);
    T_STREQ(slurp(in, &n), "pact-model 1\n");
}

TEST(outfile_replaces_only_when_complete)
{
    char p[300], why[512];
    at(p, sizeof p, "summary.json");
    put_file(p, "old\n");
    struct pact__outfile of;
    T_EQ(pact__outfile_open(&of, p, NULL, why, sizeof why), 0);
    fputs("new\n", of.fp);
    size_t n;
    T_STREQ(slurp(p, &n), "old\n"); /* not yet */
    T_EQ(pact__outfile_commit(&of, why, sizeof why), 0);
    T_STREQ(slurp(p, &n), "new\n");
    T_EQ(pact__outfile_open(&of, p, NULL, why, sizeof why), 0);
    fputs("half", of.fp);
    pact__outfile_abort(&of);
    T_STREQ(slurp(p, &n), "new\n");
}

TEST(inf_never_in_a_cell_and_rfc4180_regions)
{
    char p[300], why[512];
    at(p, sizeof p, "cells.csv");
    struct pact__csv *w;
    T_EQ(pact__csv_open(p, &w, why, sizeof why), 0);
    double v = INFINITY;
    struct pact__row r;
    const char *region = "a\rb\nc,\"d\"";
    row(&r, &v, region);
    r.total_power_w = HUGE_VAL; /* e.g. --pue 1e308 */
    T_EQ(pact__csv_header(w, &r, 0), 0);
    int first;
    T_EQ(pact__csv_row(w, &r, &first), 0);
    T_EQ(pact__csv_close(w), 0);
    size_t n;
    char *s = slurp(p, &n);
    T_ASSERT(strstr(s, "inf") == NULL && strstr(s, "nan") == NULL);
    /* RFC 4180: the field quoted, quotes doubled, breaks kept. */
    T_ASSERT(strstr(s, ",\"a\rb\nc,\"\"d\"\"\"\n") != NULL);
    /* The model's reader gets the row back whole, with the region. */
    struct pact__table *t;
    T_EQ(pact__table_read(p, &t, why, sizeof why), 1);
    int c = pact__table_col(t, "total_power_w");
    T_ASSERT(c >= 0);
    T_ASSERT(isnan(pact__table_get(t, 0, c))); /* empty cell */
    c = pact__table_col(t, "energy_j");
    T_EQ(pact__table_get(t, 0, c), 50.0);
    pact__table_free(t);
}

TEST(region_name_limit_enforced)
{
    struct pact_config c;
    pact_config_init(&c);
    c.output_path = "";
    c.psu = "none";
    c.events = "faults";
    struct pact_tracker *t;
    char err[512];
    T_EQ(pact_tracker_new(&c, &t, err, sizeof err), 0);
    char name[PACT_REGION_MAX + 2];
    memset(name, 'r', sizeof name);
    name[PACT_REGION_MAX] = '\0'; /* exactly the limit: accepted */
    T_EQ(pact_tracker_set_region(t, name), 0);
    name[PACT_REGION_MAX] = 'r';
    name[PACT_REGION_MAX + 1] = '\0'; /* one byte more: refused */
    T_EQ(pact_tracker_set_region(t, name), -ENAMETOOLONG);
    T_ASSERT(strstr(pact_tracker_errmsg(t), "longer than 127") != NULL);
    pact_tracker_free(t);
}

/* Writes under a file-size limit run in a child, so the limit never
 * touches this process's own stdout. */
struct full {
    uint64_t kept, lost;
    size_t pending;
    int close_rc;
    size_t rowlen, hdrlen;
};

static void fill_rows(const char *path, long limit, int nrows,
                      struct full *res)
{
    struct pact__csv *w;
    char why[512];
    memset(res, 0, sizeof *res);
    if (pact__csv_open(path, &w, why, sizeof why) < 0)
        return;
    struct rlimit lim;
    getrlimit(RLIMIT_FSIZE, &lim);
    lim.rlim_cur = (rlim_t)limit;
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &lim);
    double v = 1.5;
    struct pact__row r;
    row(&r, &v, "");
    pact__csv_header(w, &r, 0);
    for (int i = 0; i < nrows; i++) {
        int first;
        pact__csv_row(w, &r, &first);
    }
    res->kept = pact__csv_kept(w);
    res->pending = pact__csv_pending(w);
    res->close_rc = pact__csv_finish(w, why, sizeof why);
    res->lost = (uint64_t)nrows - res->kept;
}

static int in_child(const char *path, long limit, int nrows, struct full *out)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        struct full res;
        fill_rows(path, limit, nrows, &res);
        _exit(write(p[1], &res, sizeof res) == (ssize_t)sizeof res ? 0 : 1);
    }
    close(p[1]);
    ssize_t n = read(p[0], out, sizeof *out);
    close(p[0]);
    waitpid(pid, NULL, 0);
    return n == (ssize_t)sizeof *out ? 0 : -1;
}

TEST(disk_never_recovers_no_torn_row)
{
    char p[300];
    at(p, sizeof p, "full.csv");
    /* Sizes measured on an unlimited file first: header, then rows. */
    struct full ref;
    T_EQ(in_child(p, (long)RLIM_INFINITY, 3, &ref), 0);
    size_t n;
    char *s = slurp(p, &n);
    char *nl = strchr(s, '\n');
    T_ASSERT(nl != NULL);
    size_t hdr = (size_t)(nl - s) + 1, rowlen = (n - hdr) / 3;
    T_EQ(hdr + 3 * rowlen, n); /* all rows the same length */
    /* Room for the header and 2.5 rows: 2 kept, the 3rd torn and cut. */
    struct full res;
    T_EQ(in_child(p, (long)(hdr + 2 * rowlen + rowlen / 2), 10, &res), 0);
    T_EQ(res.kept, (uint64_t)2);
    T_EQ(res.lost, (uint64_t)8);
    T_EQ(res.close_rc, -EFBIG);
    s = slurp(p, &n);
    T_EQ(n, hdr + 2 * rowlen); /* ends at a row boundary */
    T_EQ(s[n - 1], '\n');
}

TEST(backlog_has_a_cap)
{
    char p[300];
    at(p, sizeof p, "cap.csv");
    struct full ref;
    T_EQ(in_child(p, (long)RLIM_INFINITY, 1, &ref), 0);
    size_t n;
    char *s = slurp(p, &n);
    size_t hdr = (size_t)(strchr(s, '\n') - s) + 1, rowlen = n - hdr;
    /* Nothing can be written: the backlog holds the header and as many
     * rows as fit in PACT__CSV_BACKLOG_MAX; the others are lost. */
    int nrows = (int)(PACT__CSV_BACKLOG_MAX / rowlen) + 500;
    size_t fit = (PACT__CSV_BACKLOG_MAX - hdr) / rowlen;
    struct full res;
    T_EQ(in_child(p, 0, nrows, &res), 0);
    T_EQ(res.kept, (uint64_t)0);
    T_EQ(res.pending, hdr + fit * rowlen);
    T_ASSERT(res.pending <= PACT__CSV_BACKLOG_MAX);
    T_EQ(res.lost, (uint64_t)nrows);
    T_ASSERT(res.close_rc < 0);
}

int main(void)
{
    printf("PLAN: %d\n", 7);
    if (!mkdtemp(dir))
        return 1;
    T_RUN(existing_output_untouched_until_start);
    T_RUN(links_fifos_and_inputs_refused);
    T_RUN(outfile_replaces_only_when_complete);
    T_RUN(inf_never_in_a_cell_and_rfc4180_regions);
    T_RUN(region_name_limit_enforced);
    T_RUN(disk_never_recovers_no_torn_row);
    T_RUN(backlog_has_a_cap);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return 1;
    return t__nfail ? 1 : 0;
}
