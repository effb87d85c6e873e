/* SPDX-License-Identifier: MIT */
/*
 * evalrep.c - the report of a `pact model eval --out` folder: eval.csv as
 * the metrics table (r², MAPE, WMAPE, energy and CO2 actual against
 * predicted), and from predictions.csv the measured and predicted total
 * power over time per test workload and a scatter of predicted against
 * measured with the identity line.  Long workloads are thinned to the
 * minimum and maximum of each pixel column, so peaks survive.
 */
#include "report/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rcsv.h"

struct wl {
    char name[128];
    size_t n, cap;
    double *t, *meas, *pred;
};

static int push(struct wl *w, double t, double m, double p)
{
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        double *a = realloc(w->t, cap * sizeof *a);
        if (a)
            w->t = a;
        double *b = realloc(w->meas, cap * sizeof *b);
        if (b)
            w->meas = b;
        double *c = realloc(w->pred, cap * sizeof *c);
        if (c)
            w->pred = c;
        if (!a || !b || !c)
            return -ENOMEM;
        w->cap = cap;
    }
    w->t[w->n] = t;
    w->meas[w->n] = m;
    w->pred[w->n] = p;
    w->n++;
    return 0;
}

/* Min and max of each of `cols` groups, in time order: <= 2 * cols. */
static size_t thin(const double *x, const double *y, size_t n, int cols,
                   double *ox, double *oy)
{
    if (n <= (size_t)cols * 2) {
        memcpy(ox, x, n * sizeof *ox);
        memcpy(oy, y, n * sizeof *oy);
        return n;
    }
    size_t k = 0;
    for (int c = 0; c < cols; c++) {
        size_t a = n * c / cols, b = n * (c + 1) / cols, lo = a, hi = a;
        for (size_t i = a; i < b; i++) {
            if (y[i] < y[lo] || isnan(y[lo]))
                lo = i;
            if (y[i] > y[hi] || isnan(y[hi]))
                hi = i;
        }
        size_t f = lo < hi ? lo : hi, s = lo < hi ? hi : lo;
        ox[k] = x[f];
        oy[k++] = y[f];
        if (s != f) {
            ox[k] = x[s];
            oy[k++] = y[s];
        }
    }
    return k;
}

static int metrics(struct pact__report *r, const char *path, char *why,
                   size_t len)
{
    struct pact__rcsv *c;
    int err = pact__rcsv_open(path, &c, why, len);
    if (err)
        return err;
    struct pact__rbuf *b = &r->body;
    int nc = pact__rcsv_ncols(c);
    pact__rbuf_printf(
        b,
        "<h3>Metrics</h3>\n<div class=\"wide\"><table class=\"metrics\"><tr>");
    for (int i = 0; i < nc; i++) {
        pact__rbuf_printf(b, "<th%s>", i ? "" : " class=\"l\"");
        pact__rbuf_esc(b, pact__rcsv_name(c, i));
        pact__rbuf_printf(b, "</th>");
    }
    pact__rbuf_printf(b, "</tr>\n");
    char **f;
    while ((err = pact__rcsv_next(c, &f, why, len)) > 0) {
        pact__rbuf_printf(b, "<tr data-workload=\"");
        pact__rbuf_esc(b, f[0]);
        pact__rbuf_printf(b, "\">");
        for (int i = 0; i < nc; i++) {
            pact__rbuf_printf(b, "<td data-key=\"");
            pact__rbuf_esc(b, pact__rcsv_name(c, i));
            pact__rbuf_printf(b, "\"%s>", i ? "" : " class=\"l\"");
            pact__rbuf_esc(b, f[i]);
            pact__rbuf_printf(b, "</td>");
        }
        pact__rbuf_printf(b, "</tr>\n");
    }
    pact__rbuf_printf(b, "</table></div>\n");
    pact__rcsv_close(c);
    return err;
}

static int predictions(struct pact__report *r, const char *path, char *why,
                       size_t len)
{
    struct pact__rcsv *c;
    int err = pact__rcsv_open(path, &c, why, len);
    if (err)
        return err;
    int kw = pact__rcsv_col(c, "workload"),
        kd = pact__rcsv_col(c, "duration_s");
    int km = pact__rcsv_col(c, "total_power_w");
    int kp = pact__rcsv_col(c, "predicted_total_w");
    if (kw < 0 || km < 0 || kp < 0) {
        snprintf(why, len,
                 "%s: needs the columns workload, total_power_w and "
                 "predicted_total_w (as 'pact model eval --out' writes)",
                 path);
        pact__rcsv_close(c);
        return -EINVAL;
    }
    struct wl *w = NULL;
    int nw = 0;
    char **f;
    while ((err = pact__rcsv_next(c, &f, why, len)) > 0) {
        int i = nw - 1;
        if (nw == 0 || strcmp(w[i].name, f[kw])) {
            for (i = 0; i < nw && strcmp(w[i].name, f[kw]); i++)
                ;
            if (i == nw) {
                struct wl *nwl = realloc(w, (size_t)(nw + 1) * sizeof *nwl);
                if (!nwl) {
                    err = -ENOMEM;
                    break;
                }
                w = nwl;
                memset(&w[nw], 0, sizeof w[nw]);
                snprintf(w[nw].name, sizeof w[nw].name, "%s", f[kw]);
                nw++;
            }
        }
        double d = kd >= 0 ? pact__rcsv_num(f[kd]) : 1;
        double t = w[i].n ? w[i].t[w[i].n - 1] + (isfinite(d) ? d : 0) : 0;
        if ((err = push(&w[i], t, pact__rcsv_num(f[km]),
                        pact__rcsv_num(f[kp]))) < 0)
            break;
    }
    pact__rcsv_close(c);
    size_t total = 0;
    for (int i = 0; i < nw; i++)
        total += w[i].n;
    size_t cap = (size_t)r->bins * 2 + 2;
    double *ox = malloc(cap * sizeof *ox), *oy = malloc(cap * sizeof *oy);
    if (!err && (!ox || !oy))
        err = -ENOMEM;
    if (!err && total == 0) {
        snprintf(why, len, "%s: no prediction rows", path);
        err = -EINVAL;
    }
    if (!err) {
        pact__rbuf_printf(&r->body, "<h3>Predicted and measured power, per "
                                    "test workload</h3>\n");
        for (int i = 0; i < nw; i++) {
            char id[64], title[200];
            snprintf(id, sizeof id, "eval-trace-%d", i);
            snprintf(title, sizeof title,
                     "%.120s: measured and predicted "
                     "total power",
                     w[i].name);
            struct pact__chart *ch = pact__chart_new(
                id, title, "time in the test part (s)", "power (W)");
            if (ch)
                ch->time_axis = 1;
            if (!ch)
                continue;
            size_t k = thin(w[i].t, w[i].meas, w[i].n, r->bins, ox, oy);
            pact__chart_add(ch, "measured", PACT__S_LINE, k, ox, oy, NULL);
            k = thin(w[i].t, w[i].pred, w[i].n, r->bins, ox, oy);
            pact__chart_add(ch, "predicted", PACT__S_LINE, k, ox, oy, NULL);
            pact__chart_fit(ch);
            pact__report_chart(r, ch);
        }
        struct pact__chart *sc = pact__chart_new(
            "eval-scatter", "Predicted against measured total power",
            "measured (W)", "predicted (W)");
        size_t step = total > 3000 ? total / 3000 + 1 : 1;
        for (int i = 0; sc && i < nw; i++) {
            size_t k = 0;
            for (size_t j = 0; j < w[i].n && k < cap; j += step, k++) {
                ox[k] = w[i].meas[j];
                oy[k] = w[i].pred[j];
            }
            pact__chart_add(sc, w[i].name, PACT__S_POINTS, k, ox, oy, NULL);
        }
        if (sc) {
            sc->identity = 1;
            pact__chart_fit(sc);
            pact__report_chart(r, sc);
        }
    }
    free(ox);
    free(oy);
    for (int i = 0; i < nw; i++) {
        free(w[i].t);
        free(w[i].meas);
        free(w[i].pred);
    }
    free(w);
    return err;
}

int pact__report_eval(struct pact__report *r, const char *dir, char *why,
                      size_t len)
{
    char p[4096];
    struct pact__rbuf *b = &r->body;
    pact__rbuf_printf(b, "<section class=\"eval\" data-input=\"");
    pact__rbuf_esc(b, dir);
    pact__rbuf_printf(b, "\">\n<h2>Model evaluation: ");
    pact__rbuf_esc(b, dir);
    pact__rbuf_printf(b, "</h2>\n");
    snprintf(p, sizeof p, "%s/eval.csv", dir);
    int err = 0;
    FILE *f = fopen(p, "r");
    if (f) {
        fclose(f);
        err = metrics(r, p, why, len);
    } else
        pact__rbuf_printf(b, "<p class=\"note\">No eval.csv in this folder: "
                             "no metrics table.</p>\n");
    snprintf(p, sizeof p, "%s/predictions.csv", dir);
    if (!err && (f = fopen(p, "r"))) {
        fclose(f);
        err = predictions(r, p, why, len);
    } else if (!err)
        pact__rbuf_printf(b, "<p class=\"note\">No predictions.csv in this "
                             "folder: no charts.</p>\n");
    pact__rbuf_printf(b, "</section>\n");
    return err;
}
