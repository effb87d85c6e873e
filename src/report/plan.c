/* SPDX-License-Identifier: MIT */
/*
 * plan.c - the report of a `pact stress` results folder: every
 * NAME_TRIAL_PACT.csv is scanned (runs without their .done marker are
 * listed and left out when the folder has markers); per workload, the mean
 * and sample standard deviation across trials of energy, average power,
 * peak power, duration and CO2; a chart of energy per workload with error
 * bars; and each workload's trials overlaid on one chart.
 */
#include "report/report.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/scan.h"

#define TRACE_BINS 200

struct trial {
    char name[128];
    int trial, done;
    char path[4096];
    double e, avg, peak, dur, co2;
    int nb;
    double *x, *y; /* total power trace */
};

static int by_name(const void *a, const void *b)
{
    const struct trial *p = a, *q = b;
    int c = strcmp(p->name, q->name);
    return c ? c : p->trial - q->trial;
}

/* NAME_TRIAL_PACT.csv -> name, trial; 0 if it is one. */
static int parse_name(const char *f, char *name, size_t len, int *trial)
{
    size_t n = strlen(f);
    if (n < 11 || strcmp(f + n - 9, "_PACT.csv"))
        return -1;
    char base[256];
    if (n - 9 >= sizeof base)
        return -1;
    memcpy(base, f, n - 9);
    base[n - 9] = '\0';
    char *u = strrchr(base, '_'), *end;
    if (!u || u == base)
        return -1;
    long t = strtol(u + 1, &end, 10);
    if (*end || end == u + 1)
        return -1;
    *u = '\0';
    snprintf(name, len, "%.127s", base);
    *trial = (int)t;
    return 0;
}

static void stat2(const double *v, int n, double *mean, double *sd)
{
    double s = 0, q = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i])) {
            s += v[i];
            k++;
        }
    *mean = k ? s / k : NAN;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]))
            q += (v[i] - *mean) * (v[i] - *mean);
    *sd = k > 1 ? sqrt(q / (k - 1)) : NAN;
}

static void cell(struct pact__rbuf *b, const char *key, double m, double sd,
                 const char *fmt)
{
    char a[32], c[32];
    snprintf(a, sizeof a, fmt, m);
    snprintf(c, sizeof c, fmt, sd);
    pact__rbuf_printf(b,
                      "<td data-key=\"%s\" data-mean=\"%.17g\" "
                      "data-sd=\"%.17g\">%s%s%s</td>",
                      key, m, sd, isnan(m) ? "n/a" : a,
                      isnan(sd) ? "" : " &#177; ", isnan(sd) ? "" : c);
}

int pact__report_plan(struct pact__report *r, const char *dir, char *why,
                      size_t len)
{
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, len, "%s: cannot open: %s", dir, strerror(errno));
        return -errno;
    }
    struct trial *t = NULL;
    int n = 0, markers = 0, err = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        char name[128];
        int tr;
        size_t l = strlen(de->d_name);
        if (l > 9 && !strcmp(de->d_name + l - 9, "_PACT.done"))
            markers++;
        if (parse_name(de->d_name, name, sizeof name, &tr) < 0)
            continue;
        struct trial *nt = realloc(t, (size_t)(n + 1) * sizeof *nt);
        if (!nt) {
            err = -ENOMEM;
            break;
        }
        t = nt;
        memset(&t[n], 0, sizeof t[n]);
        snprintf(t[n].name, sizeof t[n].name, "%s", name);
        t[n].trial = tr;
        snprintf(t[n].path, sizeof t[n].path, "%s/%s", dir, de->d_name);
        char done[4200];
        snprintf(done, sizeof done, "%.*s.done", (int)strlen(t[n].path) - 4,
                 t[n].path);
        t[n].done = access(done, F_OK) == 0;
        n++;
    }
    closedir(d);
    if (!err && n == 0) {
        snprintf(why, len,
                 "%s: no NAME_TRIAL_PACT.csv run files and no "
                 "eval.csv: give a 'pact stress' results folder or a "
                 "'pact model eval --out' folder",
                 dir);
        err = -ENOENT;
    }
    if (n > 1)
        qsort(t, (size_t)n, sizeof *t, by_name);
    for (int i = 0; i < n && !err; i++) {
        struct pact__scan sc;
        if (markers && !t[i].done)
            continue;
        err = pact__scan_file(&sc, t[i].path, TRACE_BINS / 2, NULL, why, len);
        if (err)
            break;
        const struct pact__sser *tot = &sc.s[sc.total];
        t[i].e = tot->sum_vd;
        t[i].dur = pact__scan_duration(&sc);
        t[i].avg = t[i].dur > 0 ? t[i].e / t[i].dur : NAN;
        t[i].peak = tot->n ? tot->max : NAN;
        t[i].co2 = sc.co2_last;
        t[i].nb = sc.nb;
        t[i].x = malloc(sc.nb * sizeof(double));
        t[i].y = malloc(sc.nb * sizeof(double));
        if (!t[i].x || !t[i].y)
            err = -ENOMEM;
        for (int b = 0; !err && b < sc.nb; b++) {
            t[i].x[b] = (sc.bt0[b] + sc.bt1[b]) / 2;
            t[i].y[b] = pact__scan_mean(&sc, b, sc.total);
        }
        pact__scan_release(&sc);
    }
    if (err)
        goto out;
    struct pact__rbuf *b = &r->body;
    pact__rbuf_printf(b, "<section class=\"plan\" data-input=\"");
    pact__rbuf_esc(b, dir);
    pact__rbuf_printf(b, "\">\n<h2>Plan: ");
    pact__rbuf_esc(b, dir);
    pact__rbuf_printf(b, "</h2>\n");
    int left = 0;
    for (int i = 0; i < n; i++)
        left += markers && !t[i].done;
    if (left) {
        pact__rbuf_printf(b, "<p class=\"note\">Left out, not complete (no "
                             ".done marker): ");
        for (int i = 0, k = 0; i < n; i++)
            if (markers && !t[i].done) {
                pact__rbuf_printf(b, "%s", k++ ? ", " : "");
                pact__rbuf_esc(b, t[i].name);
                pact__rbuf_printf(b, " trial %d", t[i].trial);
            }
        pact__rbuf_printf(b, ".</p>\n");
    }
    pact__rbuf_printf(b, "<table class=\"workloads\"><tr><th class=\"l\">"
                         "workload</th><th>trials</th><th>energy (J)</th>"
                         "<th>avg power (W)</th><th>peak power (W)</th>"
                         "<th>duration (s)</th><th>CO2 (g)</th></tr>\n");
    struct pact__chart *ec =
        pact__chart_new("plan-energy",
                        "Energy per workload (mean, error bar = 1 standard "
                        "deviation across trials)",
                        "workload", "energy (J)");
    if (ec)
        ec->bar_single = 1;
    int nw = 0;
    for (int i = 0; i < n;) {
        int j = i;
        double v[5][256];
        int k = 0;
        for (; j < n && !strcmp(t[j].name, t[i].name); j++) {
            if ((markers && !t[j].done) || k == 256)
                continue;
            v[0][k] = t[j].e;
            v[1][k] = t[j].avg;
            v[2][k] = t[j].peak;
            v[3][k] = t[j].dur;
            v[4][k] = t[j].co2;
            k++;
        }
        if (k) {
            double m[5], sd[5];
            for (int q = 0; q < 5; q++)
                stat2(v[q], k, &m[q], &sd[q]);
            pact__rbuf_printf(b, "<tr data-workload=\"");
            pact__rbuf_esc(b, t[i].name);
            pact__rbuf_printf(b, "\"><td class=\"l\">");
            pact__rbuf_esc(b, t[i].name);
            pact__rbuf_printf(b, "</td><td>%d</td>", k);
            cell(b, "energy_j", m[0], sd[0], "%.3f");
            cell(b, "avg_power_w", m[1], sd[1], "%.3f");
            cell(b, "peak_power_w", m[2], sd[2], "%.3f");
            cell(b, "duration_s", m[3], sd[3], "%.3f");
            cell(b, "co2_g", m[4], sd[4], "%.4g");
            pact__rbuf_printf(b, "</tr>\n");
            if (ec) {
                double xv = nw, e0 = isnan(sd[0]) ? 0 : sd[0];
                pact__chart_cat(ec, t[i].name);
                pact__chart_add(ec, t[i].name, PACT__S_BARS, 1, &xv, &m[0],
                                &e0);
            }
            nw++;
        }
        i = j;
    }
    pact__rbuf_printf(b, "</table>\n<p class=\"note\">Mean &#177; sample "
                         "standard deviation across the trials; energy from "
                         "each run's every row.</p>\n");
    if (ec) {
        pact__chart_fit(ec);
        pact__report_chart(r, ec);
    }
    pact__rbuf_printf(b, "<h3>Power traces, trials overlaid</h3>\n");
    for (int i = 0, w = 0; i < n; w++) {
        int j = i;
        char id[64], title[200];
        snprintf(id, sizeof id, "plan-trace-%d", w);
        snprintf(title, sizeof title, "%.120s: total power, each trial",
                 t[i].name);
        struct pact__chart *c = pact__chart_new(
            id, title, "time since the trial's start (s)", "power (W)");
        if (c)
            c->time_axis = 1;
        for (; j < n && !strcmp(t[j].name, t[i].name); j++) {
            if ((markers && !t[j].done) || !c)
                continue;
            char nm[160];
            snprintf(nm, sizeof nm, "%.120s trial %d", t[j].name, t[j].trial);
            pact__chart_add(c, nm, PACT__S_LINE, (size_t)t[j].nb, t[j].x,
                            t[j].y, NULL);
        }
        if (c && c->nseries) {
            pact__chart_fit(c);
            pact__report_chart(r, c);
        } else
            pact__chart_free(c);
        i = j;
    }
    pact__rbuf_printf(b, "</section>\n");
out:
    for (int i = 0; i < n; i++) {
        free(t[i].x);
        free(t[i].y);
    }
    free(t);
    return err;
}
