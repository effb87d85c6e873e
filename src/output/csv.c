/* SPDX-License-Identifier: MIT */
/*
 * csv.c - formats rows (see csv.h).  Numbers: powers in W with 3 decimals,
 * counters as integers, utilisation in % with 2 decimals, other values
 * with 6 significant digits; NaN becomes an empty cell.  start_time is
 * local time as the original wrote it.  Numbers are formatted in the C
 * locale whatever the host program set; inf never reaches a cell (the
 * cell stays empty, with one warning).  Text cells are quoted as RFC
 * 4180 says.
 *
 * Safety: the output is opened without O_TRUNC and without following a
 * link; it is truncated only when the header is written (at start), so
 * a set-up error leaves an existing file as it was, and a file that
 * pact itself created is removed again.  Rows that cannot be written
 * (disk full) wait in memory, up to PACT__CSV_BACKLOG_MAX bytes; a row
 * beyond that is counted as lost.  A file that never recovers is cut
 * back to its last complete row at close.
 */
#include "output/csv.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/numfmt.h"
#include "output/outfile.h"
#include "core/labels.h"

struct pact__csv {
    int fd;
    char *buf; /* unwritten bytes */
    size_t used, cap;
    int failing;
    int with_prediction;
    int created;  /* pact made the file: removed if never started */
    int started;  /* header written (file truncated) */
    char *path;
    /* Row bookkeeping: ends[i] is the file offset where pending row i
     * ends; off is the number of bytes on disk, good the end of the
     * last complete row on disk. */
    off_t off, good, hdr_end;
    off_t *ends;
    size_t nends, capends;
    uint64_t kept, lost;
    int warned_inf, warned_cap;
    int cur_overflow; /* a non-finite value went into the current row */
    char *lab_head, *lab_cells; /* fleet columns, after region */
};

static int grow(struct pact__csv *w, size_t need)
{
    if (w->used + need <= w->cap)
        return 0;
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < w->used + need)
        cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b)
        return -ENOMEM;
    w->buf = b;
    w->cap = cap;
    return 0;
}

static int grow_ends(struct pact__csv *w)
{
    if (w->nends < w->capends)
        return 0;
    size_t cap = w->capends ? w->capends * 2 : 64;
    off_t *e = realloc(w->ends, cap * sizeof *e);
    if (!e)
        return -ENOMEM;
    w->ends = e;
    w->capends = cap;
    return 0;
}

static void put(struct pact__csv *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct pact__csv *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow(w, (size_t)n + 1) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(w->buf + w->used, (size_t)n + 1, fmt, ap);
    va_end(ap);
    w->used += (size_t)n;
}

static void put_num(struct pact__csv *w, double v, const char *fmt)
{
    put(w, ",");
    if (isfinite(v))
        put(w, fmt, v);
    else if (!isnan(v))
        w->cur_overflow = 1;
}

/* Write what is buffered.  Keeps the unwritten tail on failure. */
static int drain(struct pact__csv *w)
{
    size_t off = 0;
    int err = 0;
    while (off < w->used) {
        ssize_t r = write(w->fd, w->buf + off, w->used - off);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            err = -errno;
            break;
        }
        off += (size_t)r;
    }
    if (off) /* buf is NULL before the first row; memmove(NULL) is UB */
        memmove(w->buf, w->buf + off, w->used - off);
    w->used -= off;
    w->off += (off_t)off;
    size_t done = 0;
    if (w->good < w->hdr_end && w->hdr_end <= w->off)
        w->good = w->hdr_end;
    while (done < w->nends && w->ends[done] <= w->off)
        w->good = w->ends[done++];
    if (done) {
        memmove(w->ends, w->ends + done, (w->nends - done) * sizeof *w->ends);
        w->nends -= done;
        w->kept += done;
    }
    return err;
}

int pact__csv_open(const char *path, struct pact__csv **out, char *why,
                   size_t len)
{
    return pact__csv_open_checked(path, NULL, out, why, len);
}

int pact__csv_open_checked(const char *path, const char *const *inputs,
                           struct pact__csv **out, char *why, size_t len)
{
    *out = NULL;
    int rc = pact__out_check(path, inputs, why, len);
    if (rc < 0)
        return rc;
    struct pact__csv *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        return -ENOMEM;
    }
    /* O_NONBLOCK: a FIFO that slipped past the check must not block the
     * open; it is refused by the fstat below. */
    int fl = O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
    w->fd = open(path, fl | O_CREAT | O_EXCL, 0644);
    if (w->fd >= 0)
        w->created = 1;
    else if (errno == EEXIST)
        w->fd = open(path, fl);
    struct stat st;
    int e = 0;
    if (w->fd < 0)
        e = errno;
    else if (fstat(w->fd, &st) < 0)
        e = errno;
    else if (!S_ISREG(st.st_mode))
        e = EINVAL;
    if (e) {
        if (e == ELOOP || e == EINVAL || e == ENXIO || e == EISDIR)
            pact__out_check(path, inputs, why, len);
        if (!why[0] || (e != ELOOP && e != EINVAL && e != ENXIO &&
                        e != EISDIR))
            snprintf(why, len,
                     "cannot write the output file '%s': %s; choose "
                     "another path with -o FILE",
                     path, strerror(e));
        if (w->fd >= 0)
            close(w->fd);
        if (w->created)
            unlink(path);
        free(w->path);
        free(w);
        return -e;
    }
    fcntl(w->fd, F_SETFL, 0); /* back to blocking writes */
    *out = w;
    return 0;
}

static const char *fmt_for(const struct pact_channel *c)
{
    switch (c->quantity) {
    case PACT_Q_POWER_W:
    case PACT_Q_ENERGY_J:
        return "%.3f";
    case PACT_Q_PERCENT:
        return "%.2f";
    default:
        return "%.6g";
    }
}

int pact__csv_header(struct pact__csv *w, const struct pact__row *l,
                     int with_prediction)
{
    if (!w)
        return 0;
    if (!w->started) {
        /* Only now, when the run really starts, is the old content cut. */
        if (ftruncate(w->fd, 0) < 0 || lseek(w->fd, 0, SEEK_SET) < 0)
            return -errno;
        w->started = 1;
    }
    w->with_prediction = with_prediction;
    put(w, "index,start_time,duration(s),Total_PSU_Power(W),"
           "Nvidia_SMI_Power(W),Intel_RAPL_Power(W),GPU_Util_SM(%%),"
           "GPU_Util_Memory(%%)");
    for (int i = 0; i < l->nctr; i++)
        put(w, ",%s", l->ctr_name[i]);
    put(w, ",unix_time,total_power_w,energy_j,co2_g,total_power_u_w,"
           "basis_gap,counter_mode");
    if (with_prediction)
        put(w, ",Predicted_Total_Power(W),predicted_energy_j");
    for (int i = 0; i < l->nch; i++)
        put(w, ",%s", l->ch[i].name);
    put(w, ",counter_running_pct,region%s\n", w->lab_head ? w->lab_head : "");
    w->hdr_end = w->off + (off_t)w->used;
    int err = drain(w);
    w->failing = err != 0;
    return err;
}

int pact__csv_row(struct pact__csv *w, const struct pact__row *r,
                  int *why_new)
{
    *why_new = 0;
    if (!w)
        return 0;
    locale_t old = pact__c_locale_push();
    size_t before = w->used;
    w->cur_overflow = 0;
    time_t sec = (time_t)r->unix_start;
    struct tm tm;
    char when[32] = "";
    if (localtime_r(&sec, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    put(w, "%llu,%s,%.6f", (unsigned long long)r->index, when, r->duration_s);
    put_num(w, r->psu_total_w, "%.3f");
    put_num(w, r->gpu_power_w, "%.3f");
    /* An estimate never goes in the measured RAPL column. */
    put_num(w, r->cpu_estimated ? NAN : r->cpu_power_w, "%.3f");
    put_num(w, r->gpu_util_sm, "%.2f");
    put_num(w, r->gpu_util_mem, "%.2f");
    for (int i = 0; i < r->nctr; i++)
        put_num(w, r->ctr_value[i], "%.0f");
    put(w, ",%.6f", r->unix_start);
    put_num(w, r->total_power_w, "%.3f");
    put_num(w, r->energy_cum_j, "%.3f");
    put_num(w, r->co2_cum_g, "%.6f");
    put_num(w, r->total_power_u_w, "%.3f");
    put(w, ",%d,%s", r->basis_gap ? 1 : 0,
        r->counter_mode == PACT_COUNTER_PACT ? "pact" : "window");
    if (w->with_prediction)
    {
        put_num(w, r->predicted_total_w, "%.3f");
        put_num(w, r->predicted_energy_cum_j, "%.3f");
    }
    for (int i = 0; i < r->nch; i++)
        put_num(w, r->ch_value[i], fmt_for(&r->ch[i]));
    put_num(w, r->nctr ? r->ctr_running_pct : NAN, "%.1f");
    /* Regions are free text: quoted as RFC 4180 says. */
    const char *reg = r->region ? r->region : "";
    if (strpbrk(reg, ",\"\r\n")) {
        put(w, ",\"");
        for (const char *p = reg; *p; p++)
            put(w, *p == '"' ? "\"\"" : "%c", *p);
        put(w, "\"");
    } else {
        put(w, ",%s", reg);
    }
    put(w, "%s\n", w->lab_cells ? w->lab_cells : "");
    pact__c_locale_pop(old);
    if (w->cur_overflow && !w->warned_inf) {
        w->warned_inf = 1;
        pact__log(PACT_LOG_WARN,
                  "row %llu of %s: a value is too large to be a number "
                  "(inf); its cell is left empty (check --pue and the "
                  "model's coefficients)",
                  (unsigned long long)r->index, w->path);
    }
    size_t rowlen = w->used - before;
    if (w->used > PACT__CSV_BACKLOG_MAX && before > 0) {
        /* The backlog is full: this row is lost, and counted. */
        w->used = before;
        w->lost++;
        if (!w->warned_cap) {
            w->warned_cap = 1;
            pact__log(PACT_LOG_ERROR,
                      "%s: %u KiB of rows wait for disk space; from now "
                      "on rows that do not fit are lost (and counted)",
                      w->path, PACT__CSV_BACKLOG_MAX / 1024);
        }
    } else if (grow_ends(w) == 0) {
        w->ends[w->nends++] = w->off + (off_t)w->used;
    } else {
        w->used = before;
        w->lost++;
    }
    (void)rowlen;
    int err = drain(w);
    if (err && !w->failing)
        *why_new = 1;
    w->failing = err != 0;
    return err;
}

uint64_t pact__csv_kept(const struct pact__csv *w)
{
    return w ? w->kept : 0;
}

uint64_t pact__csv_lost(const struct pact__csv *w)
{
    return w ? w->lost + w->nends : 0;
}

void pact__csv_labels(struct pact__csv *w, const struct pact__labels *lb)
{
    char head[2048], cells[4096];
    pact__labels_csv(lb, head, sizeof head, cells, sizeof cells);
    free(w->lab_head);
    free(w->lab_cells);
    w->lab_head = strdup(head);
    w->lab_cells = strdup(cells);
}

size_t pact__csv_pending(const struct pact__csv *w)
{
    return w ? w->used : 0;
}

int pact__csv_finish(struct pact__csv *w, char *why, size_t len)
{
    if (!w)
        return 0;
    int err = drain(w);
    if (w->used && w->good < w->off) {
        /* Never leave a torn last row: cut back to the last whole one. */
        if (ftruncate(w->fd, w->good) == 0)
            w->off = w->good;
    }
    uint64_t lost = w->lost + w->nends;
    if (close(w->fd) < 0 && !err)
        err = -errno;
    if (!w->started && w->created)
        unlink(w->path);
    if (!err && lost)
        err = -ENOSPC;
    if (err && why && len)
        snprintf(why, len,
                 "%s: %llu rows written, %llu rows lost (%s); free disk "
                 "space or choose another path with -o",
                 w->path, (unsigned long long)w->kept,
                 (unsigned long long)lost, strerror(-err));
    free(w->ends);
    free(w->buf);
    free(w->path);
    free(w->lab_head);
    free(w->lab_cells);
    free(w);
    return err;
}

void pact__csv_discard(struct pact__csv *w)
{
    if (!w)
        return;
    close(w->fd);
    free(w->buf);
    free(w->ends);
    free(w->path);
    free(w->lab_head);
    free(w->lab_cells);
    free(w);
}

int pact__csv_close(struct pact__csv *w)
{
    return pact__csv_finish(w, NULL, 0);
}
