/* SPDX-License-Identifier: MIT */
/*
 * csv.c - formats rows (see csv.h).  Numbers: powers in W with 3 decimals,
 * counters as integers, utilisation in % with 2 decimals, other values
 * with 6 significant digits; NaN becomes an empty cell.  start_time is
 * local time as the original wrote it.
 */
#include "output/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/labels.h"

struct pact__csv {
    int fd;
    char *buf; /* unwritten bytes */
    size_t used, cap;
    int failing;
    int with_prediction;
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
    if (!isnan(v))
        put(w, fmt, v);
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
    return err;
}

int pact__csv_open(const char *path, struct pact__csv **out, char *why,
                   size_t len)
{
    *out = NULL;
    struct pact__csv *w = calloc(1, sizeof *w);
    if (!w)
        return -ENOMEM;
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        int e = -errno;
        snprintf(why, len,
                 "cannot write the output file '%s': %s; choose another "
                 "path with -o FILE",
                 path, strerror(-e));
        free(w);
        return e;
    }
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
    w->with_prediction = with_prediction;
    put(w, "index,start_time,duration(s),Total_PSU_Power(W),"
           "Nvidia_SMI_Power(W),Intel_RAPL_Power(W),GPU_Util_SM(%%),"
           "GPU_Util_Memory(%%)");
    for (int i = 0; i < l->nctr; i++)
        put(w, ",%s", l->ctr_name[i]);
    put(w, ",unix_time,total_power_w,energy_j,co2_g");
    if (with_prediction)
        put(w, ",Predicted_Total_Power(W),predicted_energy_j");
    for (int i = 0; i < l->nch; i++)
        put(w, ",%s", l->ch[i].name);
    put(w, ",counter_running_pct,region%s\n", w->lab_head ? w->lab_head : "");
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
    if (w->with_prediction)
    {
        put_num(w, r->predicted_total_w, "%.3f");
        put_num(w, r->predicted_energy_cum_j, "%.3f");
    }
    for (int i = 0; i < r->nch; i++)
        put_num(w, r->ch_value[i], fmt_for(&r->ch[i]));
    put_num(w, r->nctr ? r->ctr_running_pct : NAN, "%.1f");
    /* Regions are free text: quote when needed. */
    const char *reg = r->region ? r->region : "";
    if (strpbrk(reg, ",\"\n")) {
        put(w, ",\"");
        for (const char *p = reg; *p; p++)
            put(w, *p == '"' ? "\"\"" : "%c", *p);
        put(w, "\"");
    } else {
        put(w, ",%s", reg);
    }
    put(w, "%s\n", w->lab_cells ? w->lab_cells : "");
    int err = drain(w);
    if (err && !w->failing)
        *why_new = 1;
    w->failing = err != 0;
    return err;
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

int pact__csv_close(struct pact__csv *w)
{
    if (!w)
        return 0;
    int err = drain(w);
    if (close(w->fd) < 0 && !err)
        err = -errno;
    free(w->buf);
    free(w->lab_head);
    free(w->lab_cells);
    free(w);
    return err;
}
