/* SPDX-License-Identifier: MIT */
/*
 * run.c - the report of one run CSV (with its --summary-json when given):
 * header, tiles, power over time stacked by component with the
 * unattributed remainder, regions and gaps; energy by component; the GPU
 * table; counters as rates; data quality.  A merged job CSV (rows of
 * several hosts) gets per-node power and a per-node energy table instead.
 * Tiles show the summary's numbers verbatim (data-value is the JSON text);
 * without a summary they come from the CSV and say so.
 */
#include "report/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/json.h"
#include "report/scan.h"

struct tunit {
    double div;
    const char *label;
};

static struct tunit tunit(double span)
{
    if (span > 3 * 3600)
        return (struct tunit){3600, "time since start (h)"};
    if (span > 300)
        return (struct tunit){60, "time since start (min)"};
    return (struct tunit){1, "time since start (s)"};
}

static void utc(char *buf, size_t len, double t)
{
    time_t s = (time_t)t;
    struct tm tm;
    if (t > 0 && gmtime_r(&s, &tm))
        strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
    else
        snprintf(buf, len, "unknown");
}

static void dt(struct pact__rbuf *b, const char *k, const char *v)
{
    pact__rbuf_printf(b, "<dt>");
    pact__rbuf_esc(b, k);
    pact__rbuf_printf(b, "</dt><dd>");
    pact__rbuf_esc(b, v);
    pact__rbuf_printf(b, "</dd>\n");
}

static const char *method(const char *name, int estimated)
{
    if (estimated || strstr(name, "estimated"))
        return "estimated (model from TDP and load), not measured";
    if (!strncmp(name, "rapl_", 5))
        return "measured: RAPL energy counter";
    if (!strncmp(name, "gpu", 3))
        return "measured: NVML (energy counter when the GPU has one, "
               "else sampled power)";
    if (!strncmp(name, "psu_", 4))
        return "measured: PSU telemetry, sampled power";
    if (strstr(name, "Total_PSU_Power"))
        return "measured: PSU (original column)";
    if (strstr(name, "Intel_RAPL_Power"))
        return "measured: RAPL (original column)";
    if (strstr(name, "Nvidia_SMI_Power"))
        return "measured: nvidia-smi/NVML (original column)";
    return "measured";
}

/* ---- Header and tiles ---- */

static void header(struct pact__rbuf *b, const struct pact__scan *sc,
                   const struct pact__json *j, const char *csv,
                   const char *json)
{
    char s[256], e[256];
    pact__rbuf_printf(b, "<dl class=\"hdr\">\n");
    dt(b, "input", csv);
    if (json)
        dt(b, "summary", json);
    const char *v;
    if ((v = pact__json_str(j, "command")))
        dt(b, "command", v);
    if ((v = pact__json_str(j, "host")) || (sc->host[0] && (v = sc->host)))
        dt(b, "host", v);
    if (sc->has_unix) {
        utc(s, sizeof s, sc->t_start);
        dt(b, "start", s);
        utc(s, sizeof s, sc->t_end);
        dt(b, "end", s);
    }
    double dur = pact__json_num(j, "duration_s");
    if (isnan(dur))
        dur = pact__scan_duration(sc);
    snprintf(s, sizeof s, "%.3f s in %llu windows", dur, sc->rows);
    dt(b, "duration", s);
    if ((v = pact__json_str(j, "pact_version")) ||
        (v = pact__json_str(j, "version")))
        dt(b, "recorded by", v);
    const char *basis = pact__json_str(j, "basis");
    const char *why = pact__json_str(j, "basis_why");
    if (!why)
        why = pact__json_str(j, "total_basis");
    const struct pact__json *lb = pact__json_get(j, "basis_lower_bound");
    if (basis || why) {
        snprintf(s, sizeof s, "%s%s%s%s", basis ? basis : "",
                 basis && why ? ": " : "", why ? why : "",
                 lb && lb->type == PACT__J_BOOL && lb->num
                     ? " (a lower bound: only the measured parts)"
                     : "");
        dt(b, "total's basis", s);
    } else if (sc->total_derived)
        dt(b, "total's basis",
           "no total_power_w column (the original tool's CSV): the PSU "
           "reading where there is one, else the sum of the parts");
    else
        dt(b, "total's basis",
           "total_power_w as pact wrote it (no summary "
           "JSON given, so the reason is not known)");
    double ci = pact__json_num(j, "carbon_intensity_g_per_kwh");
    if (!isnan(ci)) {
        v = pact__json_str(j, "carbon_intensity_source");
        snprintf(s, sizeof s, "%g g/kWh (%s)", ci, v ? v : "source not given");
        dt(b, "carbon intensity", s);
    }
    pact__rbuf_printf(b, "</dl>\n<h3>Sources</h3>\n<table><tr><th class=\"l\">"
                         "source</th><th class=\"l\">method</th><th "
                         "class=\"l\">accuracy</th><th>samples</th></tr>\n");
    const struct pact__json *srcs = pact__json_get(j, "sources");
    for (int i = 0; i < sc->ns; i++) {
        const struct pact__sser *x = &sc->s[i];
        if (x->role != PACT__R_PART && x->role != PACT__R_WHOLE &&
            x->role != PACT__R_DETAIL)
            continue;
        const struct pact__json *o = pact__json_get(srcs, x->name);
        const struct pact__json *est = pact__json_get(o, "estimated");
        int estimated =
            est && est->type == PACT__J_BOOL ? (int)est->num : x->estimated;
        double acc = pact__json_num(o, "accuracy_pct");
        if (isnan(acc))
            snprintf(e, sizeof e, "%s",
                     estimated ? "estimate" : "not stated in the summary");
        else
            snprintf(e, sizeof e, "&#177;%g %%", acc);
        pact__rbuf_printf(b, "<tr class=\"source\" data-source=\"");
        pact__rbuf_esc(b, x->name);
        pact__rbuf_printf(b, "\"><td class=\"l\">");
        pact__rbuf_esc(b, x->name);
        pact__rbuf_printf(b,
                          "</td><td class=\"l\">%s</td><td class=\"l\">%s"
                          "</td><td>%llu</td></tr>\n",
                          method(x->name, estimated), e, x->n);
    }
    pact__rbuf_printf(b, "</table>\n");
}

static void tile(struct pact__rbuf *b, const char *key, const char *label,
                 const char *raw, double v, const char *unit,
                 const char *prefix)
{
    char num[40];
    pact__num4(num, sizeof num, v);
    pact__rbuf_printf(b,
                      "<div class=\"tile\" data-key=\"%s\" data-value=\"%s\">"
                      "<div class=\"k\">%s</div><div class=\"v\">%s%s</div>"
                      "<div class=\"u\">%s</div></div>\n",
                      key, raw, label, prefix, num, unit);
}

/* The JSON number's own text, or v printed exactly. */
static const char *raw(const struct pact__json *o, const char *key, double v,
                       char *buf, size_t len)
{
    const struct pact__json *n = pact__json_get(o, key);
    if (n && n->type == PACT__J_NUM)
        return n->text;
    if (isnan(v))
        return "";
    snprintf(buf, len, "%.17g", v);
    return buf;
}

static void tiles(struct pact__rbuf *b, const struct pact__scan *sc,
                  const struct pact__json *j)
{
    char r[6][40];
    const struct pact__json *ej = pact__json_get(j, "energy_j");
    double e, kwh, u, avg, peak, co2, k;
    if (j) {
        e = pact__json_num(ej, "total");
        kwh = pact__json_num(j, "energy_kwh");
        u = pact__json_num(j, "energy_uncertainty_j");
        avg = pact__json_num(j, "avg_power_w");
        peak = pact__json_num(j, "peak_power_w");
        co2 = pact__json_num(j, "co2_g");
        k = pact__json_num(j, "uncertainty_k");
    } else {
        const struct pact__sser *t = &sc->s[sc->total];
        e = t->sum_vd;
        kwh = e / 3.6e6;
        u = k = NAN;
        avg = pact__scan_duration(sc) > 0 ? e / pact__scan_duration(sc) : NAN;
        peak = t->n ? t->max : NAN;
        co2 = sc->co2_last;
    }
    pact__rbuf_printf(b, "<div class=\"tiles\" data-from=\"%s\">\n",
                      j ? "summary-json" : "csv");
    tile(b, "energy_j", "energy", raw(ej, "total", e, r[0], 40), e, "J", "");
    tile(b, "energy_kwh", "energy", raw(j, "energy_kwh", kwh, r[1], 40), kwh,
         "kWh", "");
    char unit[48];
    snprintf(unit, sizeof unit, isnan(k) ? "J" : "J (k = %g)", k);
    tile(b, "energy_uncertainty_j", "uncertainty",
         raw(j, "energy_uncertainty_j", u, r[2], 40), u, unit, "&#177;");
    tile(b, "avg_power_w", "average power",
         raw(j, "avg_power_w", avg, r[3], 40), avg, "W", "");
    tile(b, "peak_power_w", "peak power",
         raw(j, "peak_power_w", peak, r[4], 40), peak, "W", "");
    tile(b, "co2_g", "CO2", raw(j, "co2_g", co2, r[5], 40), co2, "g", "");
    pact__rbuf_printf(b, "</div>\n");
    if (!j)
        pact__rbuf_printf(b, "<p class=\"note\">No summary JSON: the tiles are "
                             "computed from the CSV (energy = sum of "
                             "total &#215; duration).</p>\n");
}

/* ---- Power over time ---- */

static int unattributed_shown(const struct pact__scan *sc)
{
    const struct pact__sser *t = &sc->s[sc->total];
    return sc->un_d > 0 && sc->un_vd > 0.005 * t->sum_vd;
}

static void power_chart(struct pact__report *r, const struct pact__scan *sc,
                        const char *id, double k)
{
    int nb = sc->nb;
    double span = nb ? sc->bt1[nb - 1] : 1;
    struct tunit u = tunit(span);
    char title[160];
    snprintf(title, sizeof title, "Power over time, stacked by component%s",
             sc->group > 1 ? " (min-max per pixel column keeps the peaks)"
                           : "");
    struct pact__chart *c = pact__chart_new(id, title, u.label, "power (W)");
    if (c)
        c->time_axis = 1;
    double *x = malloc(nb * sizeof *x), *y = malloc(nb * sizeof *y),
           *lo = malloc(nb * sizeof *lo), *cum = calloc(nb, sizeof *cum);
    if (!c || !x || !y || !lo || !cum)
        goto out;
    for (int b = 0; b < nb; b++)
        x[b] = (sc->bt0[b] + sc->bt1[b]) / 2 / u.div;
    for (int i = 0; i < sc->ns; i++) {
        if (sc->s[i].role != PACT__R_PART || !sc->s[i].n)
            continue;
        for (int b = 0; b < nb; b++) {
            double m = pact__scan_mean(sc, b, i);
            lo[b] = cum[b];
            cum[b] += isfinite(m) ? m : 0;
            y[b] = cum[b];
        }
        pact__chart_add(c, sc->s[i].name, PACT__S_AREA, nb, x, y, lo);
    }
    if (unattributed_shown(sc)) {
        for (int b = 0; b < nb; b++) {
            double t = pact__scan_mean(sc, b, sc->total);
            lo[b] = cum[b];
            y[b] = isfinite(t) && t > cum[b] ? t : cum[b];
        }
        pact__chart_add(c, "unattributed (total - measured parts)",
                        PACT__S_AREA, nb, x, y, lo);
    }
    int t = sc->total;
    if (sc->group > 1) {
        for (int b = 0; b < nb; b++) {
            size_t o = (size_t)b * sc->ns + t;
            y[b] = isfinite(sc->mx[o]) ? sc->mx[o] : NAN;
            lo[b] = isfinite(sc->mn[o]) ? sc->mn[o] : NAN;
        }
        pact__chart_add(c, "total min-max", PACT__S_BAND, nb, x, y, lo);
    }
    int ui = pact__scan_find(sc, "total_power_u_w");
    if (ui >= 0 && sc->s[ui].n) { /* the stated band around the total */
        for (int b = 0; b < nb; b++) {
            double m = pact__scan_mean(sc, b, t),
                   s = pact__scan_mean(sc, b, ui);
            y[b] = m + k * s;
            lo[b] = m - k * s;
        }
        char nm[64];
        snprintf(nm, sizeof nm, "total +- %gu (k = %g)", k, k);
        pact__chart_add(c, nm, PACT__S_BAND, nb, x, y, lo);
    }
    for (int b = 0; b < nb; b++)
        y[b] = pact__scan_mean(sc, b, t);
    pact__chart_add(c, "total", PACT__S_LINE, nb, x, y, NULL);
    for (int i = 0; i < sc->ns; i++) {
        int role = sc->s[i].role;
        if ((role != PACT__R_WHOLE && role != PACT__R_PRED) || !sc->s[i].n)
            continue;
        if (sc->total_derived && role == PACT__R_WHOLE &&
            strstr(sc->s[i].name, "Total_PSU_Power"))
            continue; /* it is the total */
        for (int b = 0; b < nb; b++)
            y[b] = pact__scan_mean(sc, b, i);
        pact__chart_add(c, sc->s[i].name, PACT__S_LINE, nb, x, y, NULL);
    }
    for (int i = 0; i < sc->nreg; i++)
        pact__chart_shade(c, sc->reg[i].t0 / u.div, sc->reg[i].t1 / u.div,
                          sc->reg[i].label, 0);
    for (int i = 0; i < sc->ngap; i++)
        pact__chart_shade(c, sc->gap[i].t0 / u.div, sc->gap[i].t1 / u.div,
                          "basis interpolated", 1);
    /* Hover columns: the values in each drawn column. */
    struct pact__rbuf tip = {0};
    for (int b = 0; b < nb; b++) {
        tip.n = 0;
        char v1[32], v2[32], v3[32];
        pact__num4(v1, sizeof v1, x[b]);
        pact__rbuf_printf(&tip, "t = %s %s", v1,
                          u.div == 1    ? "s"
                          : u.div == 60 ? "min"
                                        : "h");
        size_t o = (size_t)b * sc->ns + t;
        pact__num4(v1, sizeof v1, pact__scan_mean(sc, b, t));
        pact__rbuf_printf(&tip, "; total %s W", v1);
        if (sc->brows[b] > 1 && isfinite(sc->mx[o])) {
            pact__num4(v2, sizeof v2, sc->mn[o]);
            pact__num4(v3, sizeof v3, sc->mx[o]);
            pact__rbuf_printf(&tip, " (min %s, max %s over %llu rows)", v2, v3,
                              sc->brows[b]);
        }
        for (int i = 0; i < sc->ns; i++)
            if (sc->s[i].role == PACT__R_PART && sc->s[i].n) {
                pact__num4(v1, sizeof v1, pact__scan_mean(sc, b, i));
                pact__rbuf_printf(&tip, "; %s %s W", sc->s[i].name, v1);
            }
        if (sc->bgap[b])
            pact__rbuf_printf(&tip, "; basis interpolated (gap)");
        if (tip.p)
            pact__chart_tip(c, sc->bt0[b] / u.div, sc->bt1[b] / u.div, tip.p);
    }
    pact__rbuf_release(&tip);
    pact__chart_fit(c);
    pact__report_chart(r, c);
    c = NULL;
out:
    pact__chart_free(c);
    free(x);
    free(y);
    free(lo);
    free(cum);
}

/* ---- Energy by component, GPUs ---- */

static void energy_section(struct pact__report *r, const struct pact__scan *sc,
                           const struct pact__json *j, const char *id)
{
    struct pact__rbuf *b = &r->body;
    const struct pact__sser *t = &sc->s[sc->total];
    struct pact__chart *c =
        pact__chart_new(id, "Energy by component", "component", "energy (J)");
    if (!c)
        return;
    c->bar_single = 1;
    int n = 0;
    for (int i = 0; i < sc->ns; i++)
        if (sc->s[i].role == PACT__R_PART && sc->s[i].n) {
            pact__chart_cat(c, sc->s[i].name);
            double xv = n++, yv = sc->s[i].sum_vd;
            pact__chart_add(c, sc->s[i].name, PACT__S_BARS, 1, &xv, &yv, NULL);
        }
    if (unattributed_shown(sc)) {
        pact__chart_cat(c, "unattributed");
        double xv = n++, yv = sc->un_vd;
        pact__chart_add(c, "unattributed (total - measured parts)",
                        PACT__S_BARS, 1, &xv, &yv, NULL);
    }
    if (n) {
        pact__chart_fit(c);
        pact__report_chart(r, c);
    } else {
        pact__chart_free(c);
        pact__rbuf_printf(b, "<p class=\"note\">No per-component columns: "
                             "only the total was recorded.</p>\n");
    }
    const struct pact__json *ej = pact__json_get(j, "energy_j");
    pact__rbuf_printf(b, "<table class=\"energy\"><tr><th class=\"l\">series"
                         "</th><th class=\"l\">kind</th><th>energy (J)</th>"
                         "<th>share of total</th><th>avg (W)</th><th>peak (W)"
                         "</th></tr>\n");
    for (int i = 0; i < sc->ns; i++) {
        const struct pact__sser *s = &sc->s[i];
        static const char *kind[] = {"total", "part (stacked)", "whole system",
                                     "detail (not added)", "model prediction"};
        if (s->role > PACT__R_PRED || !s->n)
            continue;
        double e = s->sum_vd;
        double je =
            pact__json_num(ej, s->role == PACT__R_TOTAL ? "total" : s->name);
        pact__rbuf_printf(b, "<tr data-series=\"");
        pact__rbuf_esc(b, s->name);
        pact__rbuf_printf(b, "\"><td class=\"l\">");
        pact__rbuf_esc(b, s->name);
        pact__rbuf_printf(b,
                          "</td><td class=\"l\">%s%s</td><td>%.3f</td>"
                          "<td>%.1f %%</td><td>%.3f</td><td>%.3f</td></tr>\n",
                          kind[s->role], s->estimated ? ", estimated" : "",
                          isnan(je) ? e : je,
                          t->sum_vd > 0 ? 100 * e / t->sum_vd : NAN,
                          pact__scan_avg(sc, i), s->max);
    }
    if (unattributed_shown(sc))
        pact__rbuf_printf(b,
                          "<tr data-series=\"unattributed\"><td class=\"l\">"
                          "unattributed</td><td class=\"l\">total - "
                          "measured parts</td><td>%.3f</td><td>%.1f %%</td>"
                          "<td>%.3f</td><td>%.3f</td></tr>\n",
                          sc->un_vd, 100 * sc->un_vd / t->sum_vd,
                          sc->un_vd / sc->un_d, sc->un_max);
    pact__rbuf_printf(b,
                      "</table>\n<p class=\"note\">Energies are sums of power "
                      "&#215; window duration over every row; the summary "
                      "JSON's figure is shown where it has one.</p>\n");
}

static void gpu_table(struct pact__rbuf *b, const struct pact__scan *sc)
{
    static const char *attr[] = {"util_sm", "util_mem", "temp_c",
                                 "sm_clock_mhz"};
    int any = 0;
    for (int g = -2; g < 64; g++) {
        if (g == -1)
            continue;
        int p = -1, a[4] = {-1, -1, -1, -1};
        for (int i = 0; i < sc->ns; i++) {
            const struct pact__sser *s = &sc->s[i];
            if (s->gpu != g || !s->n)
                continue;
            if (s->role == PACT__R_PART)
                p = i;
            for (int k = 0; k < 4; k++)
                if (s->role == PACT__R_GPU &&
                    (strstr(s->name, attr[k]) ||
                     (g == -2 && k == 0 && strstr(s->name, "SM")) ||
                     (g == -2 && k == 1 && strstr(s->name, "Memory"))))
                    a[k] = i;
        }
        if (p < 0 && a[0] < 0)
            continue;
        if (!any++)
            pact__rbuf_printf(b, "<h3>GPUs</h3><table class=\"gpus\"><tr>"
                                 "<th class=\"l\">GPU</th><th>energy (J)</th>"
                                 "<th>avg (W)</th><th>peak (W)</th><th>SM util "
                                 "(%%)</th><th>memory util (%%)</th><th>temp "
                                 "avg/max (&#176;C)</th><th>SM clock (MHz)</th>"
                                 "</tr>\n");
        char lab[16];
        snprintf(lab, sizeof lab, g == -2 ? "all" : "gpu%d", g);
        pact__rbuf_printf(b, "<tr data-gpu=\"%s\"><td class=\"l\">%s</td>", lab,
                          lab);
        if (p >= 0)
            pact__rbuf_printf(b, "<td>%.3f</td><td>%.3f</td><td>%.3f</td>",
                              sc->s[p].sum_vd, pact__scan_avg(sc, p),
                              sc->s[p].max);
        else
            pact__rbuf_printf(b, "<td></td><td></td><td></td>");
        for (int k = 0; k < 4; k++) {
            if (a[k] < 0)
                pact__rbuf_printf(b, "<td></td>");
            else if (k == 2)
                pact__rbuf_printf(b, "<td>%.1f / %.1f</td>",
                                  pact__scan_avg(sc, a[k]), sc->s[a[k]].max);
            else
                pact__rbuf_printf(b, "<td>%.1f</td>", pact__scan_avg(sc, a[k]));
        }
        pact__rbuf_printf(b, "</tr>\n");
    }
    if (any)
        pact__rbuf_printf(b, "</table>\n");
}

/* ---- Counters ---- */

static void counters(struct pact__report *r, const struct pact__scan *sc,
                     const char *prefix)
{
    int nb = sc->nb, run = -1, any = 0;
    double span = nb ? sc->bt1[nb - 1] : 1;
    struct tunit u = tunit(span);
    double *x = malloc(nb * sizeof *x), *y = malloc(nb * sizeof *y),
           *lo = malloc(nb * sizeof *lo);
    if (!x || !y || !lo)
        goto out;
    for (int b = 0; b < nb; b++)
        x[b] = (sc->bt0[b] + sc->bt1[b]) / 2 / u.div;
    for (int i = 0; i < sc->ns; i++) {
        const struct pact__sser *s = &sc->s[i];
        if (s->role == PACT__R_RUNPCT)
            run = i;
        if (s->role != PACT__R_COUNTER)
            continue;
        if (!any++) {
            pact__rbuf_printf(&r->body, "<h2>Counters</h2>\n");
            if (!strcmp(sc->counter_mode, "pact"))
                pact__rbuf_printf(&r->body,
                                  "<p class=\"note\">counter_mode pact: the "
                                  "cells are the original's sums of running "
                                  "totals, so these rates are not events "
                                  "per second of the window.</p>\n");
        }
        if (!s->n) {
            pact__rbuf_printf(&r->body, "<p class=\"note\">");
            pact__rbuf_esc(&r->body, s->name);
            pact__rbuf_printf(&r->body, ": no values (not counted on this "
                                        "machine).</p>\n");
            continue;
        }
        char id[64], title[160];
        snprintf(id, sizeof id, "%scounter-%d", prefix, i);
        snprintf(title, sizeof title, "%s per second", s->name);
        struct pact__chart *c =
            pact__chart_new(id, title, u.label, "events per second");
        if (c)
            c->time_axis = 1;
        if (!c)
            continue;
        if (sc->group > 1) {
            for (int b = 0; b < nb; b++) {
                size_t o = (size_t)b * sc->ns + i;
                y[b] = isfinite(sc->mx[o]) ? sc->mx[o] : NAN;
                lo[b] = isfinite(sc->mn[o]) ? sc->mn[o] : NAN;
            }
            char nm[128];
            snprintf(nm, sizeof nm, "%.90s min-max", s->name);
            pact__chart_add(c, nm, PACT__S_BAND, nb, x, y, lo);
        }
        for (int b = 0; b < nb; b++)
            y[b] = pact__scan_mean(sc, b, i);
        pact__chart_add(c, s->name, PACT__S_LINE, nb, x, y, NULL);
        pact__chart_fit(c);
        pact__report_chart(r, c);
    }
    if (run >= 0 && sc->s[run].n && sc->s[run].min < 100) {
        pact__rbuf_printf(&r->body,
                          "<p class=\"multiplex\" data-mean=\"%.1f\" "
                          "data-min=\"%.1f\">Counters were "
                          "multiplexed: they ran %.1f %% of the "
                          "time on average (least %.1f %%); the "
                          "rates are scaled up to the full "
                          "window.</p>\n",
                          pact__scan_avg(sc, run), sc->s[run].min,
                          pact__scan_avg(sc, run), sc->s[run].min);
        char id[64];
        snprintf(id, sizeof id, "%smultiplexing", prefix);
        struct pact__chart *c =
            pact__chart_new(id, "Share of time the counters ran (multiplexing)",
                            u.label, "running (%)");
        if (c)
            c->time_axis = 1;
        if (c) {
            for (int b = 0; b < nb; b++)
                y[b] = pact__scan_mean(sc, b, run);
            pact__chart_add(c, "counter_running_pct", PACT__S_LINE, nb, x, y,
                            NULL);
            pact__chart_fit(c);
            c->y1 = fmax(c->y1, 100);
            pact__report_chart(r, c);
        }
    } else if (any && run >= 0 && sc->s[run].n)
        pact__rbuf_printf(&r->body, "<p class=\"multiplex\" data-mean=\"100\">"
                                    "Counters ran 100 %% of the time (no "
                                    "multiplexing).</p>\n");
out:
    free(x);
    free(y);
    free(lo);
}

/* ---- Data quality ---- */

static void quality(struct pact__rbuf *b, const struct pact__scan *sc,
                    const struct pact__json *j)
{
    pact__rbuf_printf(b, "<h2>Data quality</h2>\n<table class=\"quality\">\n");
#define ROW(k, fmt, ...)                                                       \
    pact__rbuf_printf(b,                                                       \
                      "<tr data-key=\"%s\"><th class=\"l\">%s</th>"            \
                      "<td class=\"l\">" fmt "</td></tr>\n",                   \
                      k, k, __VA_ARGS__)
    ROW("windows", "%llu", sc->rows);
    double gw = pact__json_num(j, "gap_windows");
    if (sc->has_gap_col)
        ROW("gap windows", "%llu in the CSV's basis_gap column", sc->gap_rows);
    else
        ROW("gap windows", "%s", "not recorded (no basis_gap column)");
    if (!isnan(gw))
        ROW("gap windows (summary)", "%.0f", gw);
    ROW("windows without a total", "%llu", sc->total_empty);
    double sd = sc->ndur > 1 ? sqrt(sc->dur_m2 / (double)(sc->ndur - 1)) : 0;
    ROW("window clock",
        "mean %.3f ms, jitter (standard deviation) %.3f ms, "
        "min %.3f ms, max %.3f ms over %llu windows%s",
        sc->dur_mean * 1e3, sd * 1e3, sc->dur_min * 1e3, sc->dur_max * 1e3,
        sc->ndur, sc->rows > 1 ? " (the last, partial window left out)" : "");
    struct pact__rbuf l = {0};
    for (int i = 0; i < sc->ns; i++)
        if (sc->s[i].estimated && sc->s[i].n)
            pact__rbuf_printf(&l, "%s%s", l.n ? ", " : "", sc->s[i].name);
    ROW("estimated parts", "%s", l.n ? l.p : "none");
    l.n = 0;
    for (int i = 0; i < sc->ns; i++)
        if ((sc->s[i].role == PACT__R_PART || sc->s[i].role == PACT__R_WHOLE) &&
            !sc->s[i].n)
            pact__rbuf_printf(&l, "%s%s", l.n ? ", " : "", sc->s[i].name);
    const struct pact__json *d = pact__json_get(j, "dropped_sources");
    if (d && d->type == PACT__J_ARR)
        for (const struct pact__json *e = d->child; e; e = e->next) {
            const char *n = pact__json_str(e, "name"),
                       *w = pact__json_str(e, "why");
            pact__rbuf_printf(&l, "%s%s (%s)", l.n ? ", " : "", n ? n : "?",
                              w ? w : "no reason given");
        }
    pact__rbuf_printf(b, "<tr data-key=\"dead or dropped sources\"><th "
                         "class=\"l\">dead or dropped sources</th><td "
                         "class=\"l\">");
    pact__rbuf_esc(b, l.n ? l.p : "none");
    pact__rbuf_printf(b, "</td></tr>\n");
    pact__rbuf_release(&l);
    if (sc->cols_dropped)
        ROW("not read", "%d columns past the first %d series", sc->cols_dropped,
            PACT__SCAN_MAXS);
    if (sc->counter_mode[0])
        ROW("counter mode", "%s", sc->counter_mode);
    if (sc->reg_dropped || sc->gap_dropped)
        ROW("not drawn", "%d region and %d gap intervals past the first 2000",
            sc->reg_dropped, sc->gap_dropped);
    if (sc->group > 1)
        ROW("drawing",
            "%d pixel columns of %llu rows each (min, max and "
            "mean kept); energies use every row",
            sc->nb, sc->group);
#undef ROW
    pact__rbuf_printf(b, "</table>\n");
}

/* ---- A merged job: per-node power and energy ---- */

static int job(struct pact__report *r, const char *csv,
               const struct pact__scan *all, char *why, size_t len)
{
    char names[16][128];
    int n = pact__scan_hosts(all, names);
    struct pact__scan *node = calloc((size_t)n, sizeof *node);
    if (!node)
        return -ENOMEM;
    int err = 0;
    for (int h = 0; h < n && !err; h++)
        err = pact__scan_file(&node[h], csv, r->bins, names[h], why, len);
    if (err) {
        for (int h = 0; h < n; h++)
            pact__scan_release(&node[h]);
        free(node);
        return err;
    }
    double start = INFINITY, end = 0, etot = 0;
    for (int h = 0; h < n; h++) {
        start = fmin(start, node[h].t_start);
        end = fmax(end, node[h].t_end);
    }
    struct tunit u = tunit(end - start);
    struct pact__rbuf *b = &r->body;
    pact__rbuf_printf(b, "<h2>Job: per-node power</h2>\n<p>%d nodes in ", n);
    pact__rbuf_esc(b, csv);
    pact__rbuf_printf(b, ".</p>\n");
    struct pact__chart *c =
        pact__chart_new("job-nodes", "Power per node", u.label, "power (W)");
    if (c)
        c->time_axis = 1;
    for (int h = 0; c && h < n; h++) {
        struct pact__scan *s = &node[h];
        double *x = malloc(s->nb * sizeof *x), *y = malloc(s->nb * sizeof *y);
        if (x && y) {
            for (int k = 0; k < s->nb; k++) {
                x[k] =
                    ((s->bt0[k] + s->bt1[k]) / 2 + s->t_start - start) / u.div;
                y[k] = pact__scan_mean(s, k, s->total);
            }
            pact__chart_add(c, names[h], PACT__S_LINE, s->nb, x, y, NULL);
        }
        free(x);
        free(y);
    }
    if (c) {
        pact__chart_fit(c);
        pact__report_chart(r, c);
    }
    pact__rbuf_printf(b, "<table class=\"nodes\"><tr><th class=\"l\">node</th>"
                         "<th>energy (J)</th><th>avg (W)</th><th>peak (W)</th>"
                         "<th>duration (s)</th><th>CO2 (g)</th></tr>\n");
    for (int h = 0; h < n; h++) {
        const struct pact__sser *t = &node[h].s[node[h].total];
        double d = pact__scan_duration(&node[h]);
        etot += t->sum_vd;
        pact__rbuf_printf(b, "<tr data-node=\"");
        pact__rbuf_esc(b, names[h]);
        pact__rbuf_printf(b, "\"><td class=\"l\">");
        pact__rbuf_esc(b, names[h]);
        pact__rbuf_printf(b,
                          "</td><td>%.3f</td><td>%.3f</td><td>%.3f</td>"
                          "<td>%.3f</td><td>%.6g</td></tr>\n",
                          t->sum_vd, d > 0 ? t->sum_vd / d : NAN, t->max, d,
                          node[h].co2_last);
    }
    pact__rbuf_printf(b,
                      "<tr data-node=\"job\"><th class=\"l\">job</th>"
                      "<th>%.3f</th><th></th><th></th><th>%.3f</th><th></th>"
                      "</tr></table>\n",
                      etot, end - start);
    for (int h = 0; h < n; h++)
        pact__scan_release(&node[h]);
    free(node);
    return 0;
}

/* A pact merge job CSV: job_power_w and one <node>_power_w per node. */
static void job_wide(struct pact__report *r, const struct pact__scan *sc,
                     const char *csv)
{
    struct pact__rbuf *b = &r->body;
    const struct pact__sser *t = &sc->s[sc->total];
    int nb = sc->nb, nn = 0, exact = 0;
    double e = isfinite(sc->energy_last) ? sc->energy_last : t->sum_vd;
    double dur = pact__scan_duration(sc);
    char s[128];
    for (int i = 0; i < sc->ns; i++)
        nn += sc->s[i].role == PACT__R_NODE;
    pact__rbuf_printf(b, "<dl class=\"hdr\">\n");
    dt(b, "input", csv);
    dt(b, "kind", "a pact merge job timeline");
    utc(s, sizeof s, sc->t_start);
    dt(b, "start", s);
    utc(s, sizeof s, sc->t_end);
    dt(b, "end", s);
    snprintf(s, sizeof s, "%.3f s in %llu windows, %d nodes", dur, sc->rows,
             nn);
    dt(b, "duration", s);
    pact__rbuf_printf(b, "</dl>\n<div class=\"tiles\" data-from=\"csv\">\n");
    char raw[3][40];
    snprintf(raw[0], 40, "%.17g", e);
    snprintf(raw[1], 40, "%.17g", dur > 0 ? e / dur : NAN);
    snprintf(raw[2], 40, "%.17g", sc->co2_last);
    tile(b, "energy_j", "job energy", raw[0], e, "J", "");
    tile(b, "avg_power_w", "job average power", raw[1], dur > 0 ? e / dur : NAN,
         "W", "");
    tile(b, "peak_power_w", "job peak (one window)", "", t->max, "W", "");
    tile(b, "co2_g", "job CO2 (each node at its intensity)", raw[2],
         sc->co2_last, "g", "");
    pact__rbuf_printf(b, "</div>\n<h2>Job: power per node</h2>\n");
    struct tunit u = tunit(nb ? sc->bt1[nb - 1] : 1);
    struct pact__chart *c = pact__chart_new("job-nodes",
                                            "Power per node and "
                                            "the job's total",
                                            u.label, "power (W)");
    double *x = malloc(nb * sizeof *x), *y = malloc(nb * sizeof *y);
    if (c && x && y) {
        c->time_axis = 1;
        for (int k = 0; k < nb; k++)
            x[k] = (sc->bt0[k] + sc->bt1[k]) / 2 / u.div;
        for (int i = 0; i < sc->ns; i++) {
            if (sc->s[i].role != PACT__R_NODE && i != sc->total)
                continue;
            for (int k = 0; k < nb; k++)
                y[k] = pact__scan_mean(sc, k, i);
            pact__chart_add(c, i == sc->total ? "job total" : sc->s[i].name,
                            PACT__S_LINE, nb, x, y, NULL);
        }
        pact__chart_fit(c);
        pact__report_chart(r, c);
        c = NULL;
    }
    pact__chart_free(c);
    free(x);
    free(y);
    pact__rbuf_printf(b, "<table class=\"nodes\"><tr><th class=\"l\">node"
                         "</th><th>energy (J)</th><th>avg (W)</th><th>peak "
                         "(W)</th><th>windows</th></tr>\n");
    for (int i = 0; i < sc->ns; i++) {
        const struct pact__sser *n = &sc->s[i];
        if (n->role != PACT__R_NODE)
            continue;
        pact__rbuf_printf(b, "<tr data-node=\"");
        pact__rbuf_esc(b, n->name);
        pact__rbuf_printf(b, "\"><td class=\"l\">");
        pact__rbuf_esc(b, n->name);
        exact += isfinite(n->elast);
        pact__rbuf_printf(b,
                          "</td><td data-exact=\"%d\">%s%.3f</td><td>%.3f"
                          "</td><td>%.3f</td><td>%llu</td></tr>\n",
                          isfinite(n->elast),
                          isfinite(n->elast) ? "" : "&#8804; ",
                          isfinite(n->elast) ? n->elast : n->sum_vd,
                          pact__scan_avg(sc, i), n->max, n->n);
    }
    pact__rbuf_printf(b,
                      "<tr data-node=\"job\"><th class=\"l\">job</th>"
                      "<th>%.3f</th><th>%.3f</th><th>%.3f</th><th>%llu</th>"
                      "</tr></table>\n",
                      e, dur > 0 ? e / dur : NAN, t->max, sc->rows);
    if (exact < nn)
        pact__rbuf_printf(b, "<p class=\"note\">Marked &#8804;: no "
                             "&lt;node&gt;_energy_j column, so the node's "
                             "energy is its power column &#215; the window "
                             "length, an upper bound where the node measured "
                             "only part of a window (its first and last). The "
                             "job energy (job_energy_j) is exact; pact merge "
                             "prints each node's own.</p>\n");
}

int pact__report_run(struct pact__report *r, const char *csv, const char *json,
                     char *why, size_t len)
{
    static int nrun;
    struct pact__json *j = NULL;
    if (json && !(j = pact__json_load(json, why, len)))
        return -EINVAL;
    struct pact__scan sc;
    int err = pact__scan_file(&sc, csv, r->bins, NULL, why, len);
    if (err < 0) {
        pact__json_free(j);
        return err;
    }
    char prefix[16], id[80];
    snprintf(prefix, sizeof prefix, nrun ? "run%d-" : "", nrun);
    nrun++;
    struct pact__rbuf *b = &r->body;
    pact__rbuf_printf(b, "<section class=\"run\" data-input=\"");
    pact__rbuf_esc(b, csv);
    pact__rbuf_printf(b,
                      "\">\n<h2>%s: ", sc.job || sc.nhosts > 1 ? "Job" : "Run");
    pact__rbuf_esc(b, csv);
    pact__rbuf_printf(b, "</h2>\n");
    if (sc.original12)
        pact__rbuf_printf(b, "<p class=\"note\">A CSV with the original "
                             "tool's 12 columns: no per-component channels, "
                             "no summary keys.</p>\n");
    if (sc.job) {
        job_wide(r, &sc, csv);
    } else if (sc.nhosts > 1) {
        err = job(r, csv, &sc, why, len);
    } else {
        header(b, &sc, j, csv, json);
        tiles(b, &sc, j);
        pact__rbuf_printf(b, "<h2>Power over time</h2>\n");
        snprintf(id, sizeof id, "%spower", prefix);
        double k = pact__json_num(j, "uncertainty_k");
        power_chart(r, &sc, id, isfinite(k) && k > 0 ? k : 2);
        if (!unattributed_shown(&sc))
            pact__rbuf_printf(b,
                              "<p class=\"note\">No unattributed remainder: "
                              "%s</p>\n",
                              sc.un_d > 0 ? "the total is within 0.5 % of "
                                            "the sum of the measured parts "
                                            "(the total is their sum)"
                                          : "no whole-system reading to "
                                            "compare the parts with");
        pact__rbuf_printf(b, "<h2>Energy by component</h2>\n");
        snprintf(id, sizeof id, "%senergy", prefix);
        energy_section(r, &sc, j, id);
        gpu_table(b, &sc);
        counters(r, &sc, prefix);
        quality(b, &sc, j);
    }
    pact__rbuf_printf(b, "</section>\n");
    pact__scan_release(&sc);
    pact__json_free(j);
    return err;
}
