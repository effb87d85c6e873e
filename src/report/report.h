/* SPDX-License-Identifier: MIT */
/*
 * report.h - `pact report`'s internal contract: a growable text buffer,
 * the chart model that both the inline-SVG and the cairo back ends draw,
 * the report context that collects a page and its charts, and one entry
 * point per kind of input (run CSV, stress folder, merged job, model eval).
 * Nothing here is part of libpact; it is linked into the `pact` binary.
 */
#ifndef PACT_REPORT_REPORT_H
#define PACT_REPORT_REPORT_H

#include <stddef.h>
#include <stdio.h>

/* ---- Text buffer (git's strbuf): p is NUL-terminated, owned ---- */
struct pact__rbuf {
    char *p;
    size_t n, cap;
    int oom;
};
void pact__rbuf_printf(struct pact__rbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void pact__rbuf_put(struct pact__rbuf *b, const char *s, size_t n);
/* s with & < > " ' escaped for HTML text and attributes. */
void pact__rbuf_esc(struct pact__rbuf *b, const char *s);
void pact__rbuf_release(struct pact__rbuf *b);

/* ---- Charts ---- */
enum pact__series_kind {
    PACT__S_LINE,   /* polyline through (x, y) */
    PACT__S_AREA,   /* filled between lo and y (a stacked layer) */
    PACT__S_BAND,   /* filled between lo (min) and y (max) */
    PACT__S_POINTS, /* markers at (x, y) */
    PACT__S_BARS,   /* bar per category x = 0..n-1, lo = error half-width */
};

struct pact__series {
    char name[96];
    int kind;
    int colour; /* pact__colour() index */
    size_t n;
    double *x, *y, *lo; /* owned; lo may be NULL */
};

struct pact__shade { /* a shaded, named x interval (region, gap) */
    double x0, x1;
    char label[96];
    int gap; /* 1: a gap in the data, 0: a region */
};

struct pact__tip { /* a hover column: x range and its text */
    double x0, x1;
    char *text; /* owned */
};

struct pact__chart {
    char id[64]; /* unique in the page; file name of --figures */
    char title[160];
    char xlabel[64], ylabel[64];
    double x0, x1, y0, y1; /* axis ranges */
    int nseries;
    struct pact__series *s;
    int nshade;
    struct pact__shade *shade;
    size_t ntip;
    struct pact__tip *tip;
    int ncat;
    char **cat;     /* category names for bars (owned) */
    int identity;   /* draw the line y = x */
    int bar_single; /* one bar per category: bars centred, not grouped */
    int time_axis;  /* x is time since a start: the axis begins at 0 */
};

struct pact__chart *pact__chart_new(const char *id, const char *title,
                                    const char *xlabel, const char *ylabel);
/* Adds a series of n points; copies x, y and lo (lo may be NULL). */
struct pact__series *pact__chart_add(struct pact__chart *c, const char *name,
                                     int kind, size_t n, const double *x,
                                     const double *y, const double *lo);
void pact__chart_shade(struct pact__chart *c, double x0, double x1,
                       const char *label, int gap);
void pact__chart_tip(struct pact__chart *c, double x0, double x1,
                     const char *text);
void pact__chart_cat(struct pact__chart *c, const char *name);
/* Sets x0..y1 from the data (y from 0 unless the data go below). */
void pact__chart_fit(struct pact__chart *c);
void pact__chart_free(struct pact__chart *c);

/* Colour-blind-safe palette (Okabe-Ito): one colour per source name,
 * the same on every chart of a report. */
int pact__colour(const char *name);
const char *pact__colour_hex(int idx);
void pact__colour_rgb(int idx, double rgb[3]);

/* Round axis ticks over [lo, hi]: up to max ticks, returns the count. */
int pact__ticks(double lo, double hi, int max, double *out);
/* "12.5", "1.2k" style tick text. */
void pact__tick_label(double v, double step, char *buf, size_t len);

/* Inline SVG of a chart, with series as named groups and tooltips. */
void pact__svg_chart(struct pact__rbuf *b, const struct pact__chart *c);
/* One chart as DIR/<id>.<format> (png, svg or pdf) through cairo. */
int pact__figure_write(const struct pact__chart *c, const char *dir,
                       const char *format, char *why, size_t len);
/* After the last figure: releases the font and surface caches. */
void pact__figure_done(void);

/* ---- The report being built ---- */
struct pact__report {
    struct pact__rbuf body;
    struct pact__chart **charts;
    int ncharts;
    int bins; /* pixel columns for downsampling */
};
/* Emits the chart's SVG into the body and keeps it for --figures. */
void pact__report_chart(struct pact__report *r, struct pact__chart *c);
int pact__report_html(const struct pact__report *r, const char *title, FILE *f);
void pact__report_release(struct pact__report *r);

/* Each returns 0, or a negative errno with a one-line reason in why. */
int pact__report_run(struct pact__report *r, const char *csv, const char *json,
                     char *why, size_t len);
int pact__report_plan(struct pact__report *r, const char *dir, char *why,
                      size_t len);
int pact__report_eval(struct pact__report *r, const char *dir, char *why,
                      size_t len);

/* Formats a number with 4 significant digits (printf %.4g). */
void pact__num4(char *buf, size_t len, double v);

#endif
