/* SPDX-License-Identifier: MIT */
/*
 * chart.c - the chart model both back ends draw (report.h): series,
 * shaded intervals, hover columns, categories; axis ranges and round
 * ticks; and the palette.  The palette is Okabe and Ito's eight
 * colour-blind-safe colours; a source keeps the colour it first got, so it
 * looks the same on every chart of a report.  The unattributed remainder
 * is always grey and the total always black.
 */
#include "report/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pact__chart *pact__chart_new(const char *id, const char *title,
                                    const char *xlabel, const char *ylabel)
{
    struct pact__chart *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->title, sizeof c->title, "%s", title);
    snprintf(c->xlabel, sizeof c->xlabel, "%s", xlabel);
    snprintf(c->ylabel, sizeof c->ylabel, "%s", ylabel);
    return c;
}

static double *dup(const double *v, size_t n)
{
    if (!v)
        return NULL;
    double *d = malloc((n ? n : 1) * sizeof *d);
    if (d && n)
        memcpy(d, v, n * sizeof *d);
    return d;
}

struct pact__series *pact__chart_add(struct pact__chart *c, const char *name,
                                     int kind, size_t n, const double *x,
                                     const double *y, const double *lo)
{
    struct pact__series *s =
        realloc(c->s, (size_t)(c->nseries + 1) * sizeof *s);
    if (!s)
        return NULL;
    c->s = s;
    s = &c->s[c->nseries];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->kind = kind;
    s->colour = pact__colour(name);
    s->n = n;
    s->x = dup(x, n);
    s->y = dup(y, n);
    s->lo = dup(lo, n);
    if (!s->x || !s->y || (lo && !s->lo)) {
        free(s->x);
        free(s->y);
        free(s->lo);
        return NULL;
    }
    c->nseries++;
    return s;
}

void pact__chart_shade(struct pact__chart *c, double x0, double x1,
                       const char *label, int gap)
{
    struct pact__shade *s =
        realloc(c->shade, (size_t)(c->nshade + 1) * sizeof *s);
    if (!s)
        return;
    c->shade = s;
    s[c->nshade].x0 = x0;
    s[c->nshade].x1 = x1;
    s[c->nshade].gap = gap;
    snprintf(s[c->nshade].label, sizeof s->label, "%s", label);
    c->nshade++;
}

void pact__chart_tip(struct pact__chart *c, double x0, double x1,
                     const char *text)
{
    struct pact__tip *t = realloc(c->tip, (c->ntip + 1) * sizeof *t);
    if (!t)
        return;
    c->tip = t;
    t[c->ntip].x0 = x0;
    t[c->ntip].x1 = x1;
    if ((t[c->ntip].text = strdup(text)))
        c->ntip++;
}

void pact__chart_cat(struct pact__chart *c, const char *name)
{
    char **cat = realloc(c->cat, (size_t)(c->ncat + 1) * sizeof *cat);
    if (!cat)
        return;
    c->cat = cat;
    if ((cat[c->ncat] = strdup(name)))
        c->ncat++;
}

void pact__chart_fit(struct pact__chart *c)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = 0, y1 = -INFINITY;
    for (int i = 0; i < c->nseries; i++) {
        const struct pact__series *s = &c->s[i];
        for (size_t k = 0; k < s->n; k++) {
            double hi = s->y[k], lo = s->y[k];
            if (s->lo && s->kind == PACT__S_BARS)
                hi += s->lo[k];
            else if (s->lo && isfinite(s->lo[k]))
                lo = fmin(lo, s->lo[k]);
            if (isfinite(s->x[k])) {
                x0 = fmin(x0, s->x[k]);
                x1 = fmax(x1, s->x[k]);
            }
            if (isfinite(hi))
                y1 = fmax(y1, hi);
            if (isfinite(lo))
                y0 = fmin(y0, lo);
        }
    }
    for (int i = 0; i < c->nshade; i++) {
        x0 = fmin(x0, c->shade[i].x0);
        x1 = fmax(x1, c->shade[i].x1);
    }
    if (c->ncat) {
        x0 = -0.5;
        x1 = c->ncat - 0.5;
    }
    if (!isfinite(x0)) {
        x0 = 0;
        x1 = 1;
    }
    if (x1 <= x0)
        x1 = x0 + 1;
    if (!isfinite(y1) || y1 <= y0)
        y1 = y0 + 1;
    if (c->identity) { /* same range on both axes, around the data */
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < c->nseries; i++)
            for (size_t k = 0; k < c->s[i].n; k++)
                if (isfinite(c->s[i].x[k]) && isfinite(c->s[i].y[k])) {
                    lo = fmin(lo, fmin(c->s[i].x[k], c->s[i].y[k]));
                    hi = fmax(hi, fmax(c->s[i].x[k], c->s[i].y[k]));
                }
        if (!isfinite(lo) || hi <= lo) {
            lo = 0;
            hi = 1;
        }
        double pad = (hi - lo) * 0.05;
        c->x0 = c->y0 = lo - pad;
        c->x1 = c->y1 = hi + pad;
        return;
    }
    c->x0 = c->time_axis ? fmin(x0, 0) : x0;
    c->x1 = x1;
    c->y0 = y0;
    c->y1 = y1 + (y1 - y0) * 0.05;
}

void pact__chart_free(struct pact__chart *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nseries; i++) {
        free(c->s[i].x);
        free(c->s[i].y);
        free(c->s[i].lo);
    }
    for (size_t i = 0; i < c->ntip; i++)
        free(c->tip[i].text);
    for (int i = 0; i < c->ncat; i++)
        free(c->cat[i]);
    free(c->s);
    free(c->shade);
    free(c->tip);
    free(c->cat);
    free(c);
}

/* ---- Palette ---- */
/* 0 black (total), 1 grey (unattributed), then Okabe-Ito. */
static const unsigned char pal[][3] = {
    {0, 0, 0},      {153, 153, 153}, {230, 159, 0},
    {86, 180, 233}, {0, 158, 115},   {0, 114, 178},
    {213, 94, 0},   {204, 121, 167}, {240, 228, 66},
};
#define NPAL ((int)(sizeof pal / sizeof pal[0]))

static char seen[64][96];
static int nseen;

int pact__colour(const char *name)
{
    if (!strcmp(name, "total") || !strncmp(name, "total ", 6) ||
        !strcmp(name, "job total") || !strcmp(name, "measured") ||
        !strcmp(name, "identity"))
        return 0;
    if (!strcmp(name, "unattributed") || !strncmp(name, "unattributed", 12))
        return 1;
    if (!strcmp(name, "predicted"))
        return 6;
    for (int i = 0; i < nseen; i++)
        if (!strcmp(seen[i], name))
            return 2 + i % (NPAL - 2);
    if (nseen < 64)
        snprintf(seen[nseen++], sizeof seen[0], "%s", name);
    return 2 + (nseen - 1) % (NPAL - 2);
}

const char *pact__colour_hex(int idx)
{
    static char hex[NPAL][8];
    idx = ((idx % NPAL) + NPAL) % NPAL;
    snprintf(hex[idx], sizeof hex[idx], "#%02x%02x%02x", pal[idx][0],
             pal[idx][1], pal[idx][2]);
    return hex[idx];
}

void pact__colour_rgb(int idx, double rgb[3])
{
    idx = ((idx % NPAL) + NPAL) % NPAL;
    for (int i = 0; i < 3; i++)
        rgb[i] = pal[idx][i] / 255.0;
}

/* ---- Ticks ---- */
int pact__ticks(double lo, double hi, int max, double *out)
{
    double span = hi - lo;
    if (!(span > 0) || max < 2)
        return 0;
    double raw = span / (max - 1), mag = pow(10, floor(log10(raw)));
    double step = mag;
    if (raw / mag > 5)
        step = 10 * mag;
    else if (raw / mag > 2)
        step = 5 * mag;
    else if (raw / mag > 1)
        step = 2 * mag;
    int n = 0;
    for (double v = ceil(lo / step - 1e-9) * step;
         v <= hi + step * 1e-9 && n < max + 1; v += step)
        out[n++] = fabs(v) < step * 1e-9 ? 0 : v;
    return n;
}

void pact__tick_label(double v, double step, char *buf, size_t len)
{
    double a = fabs(v);
    if (a >= 1e6 && step >= 1e5)
        snprintf(buf, len, "%gM", v / 1e6);
    else if (a >= 1e4 && step >= 1e3)
        snprintf(buf, len, "%gk", v / 1e3);
    else {
        int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
        snprintf(buf, len, "%.*f", dec > 6 ? 6 : dec, v);
    }
}

void pact__num4(char *buf, size_t len, double v)
{
    if (isnan(v))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, "%.4g", v);
}
