/* SPDX-License-Identifier: MIT */
/*
 * figure.c - a chart as a stand-alone figure for papers through cairo:
 * PNG (300 dpi), SVG or PDF, sized for one column (3.5 in wide) with
 * 8 pt text, axis labels with units, and the legend below the plot so it
 * never hides data.  Colours are the report's (colour-blind safe, one per
 * source).  The encoders are cairo's own.
 */
#include "report/report.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define FW 252.0 /* points: 3.5 in */
#define PH 150.0 /* plot area + axes */
#define ML 42.0
#define MR 8.0
#define MT 14.0
#define MB 30.0
#define FONT 8.0
#define LEG_ROW 11.0

struct map {
    double x0, xs, y0, ys;
};

static double px(const struct map *m, double x)
{
    return ML + (x - m->x0) * m->xs;
}
static double py(const struct map *m, double y)
{
    return PH - MB - (y - m->y0) * m->ys;
}

static void colour(cairo_t *cr, int idx, double alpha)
{
    double rgb[3];
    pact__colour_rgb(idx, rgb);
    cairo_set_source_rgba(cr, rgb[0], rgb[1], rgb[2], alpha);
}

static void text(cairo_t *cr, double x, double y, const char *s, double ax)
{
    cairo_text_extents_t e;
    cairo_text_extents(cr, s, &e);
    cairo_move_to(cr, x - e.x_advance * ax, y);
    cairo_show_text(cr, s);
}

static void axes(cairo_t *cr, const struct pact__chart *c, const struct map *m)
{
    double t[16];
    char lab[32];
    cairo_set_line_width(cr, 0.4);
    int n = pact__ticks(c->y0, c->y1, 5, t);
    for (int i = 0; i < n; i++) {
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_move_to(cr, ML, py(m, t[i]));
        cairo_line_to(cr, FW - MR, py(m, t[i]));
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        pact__tick_label(t[i], n > 1 ? t[1] - t[0] : 1, lab, sizeof lab);
        text(cr, ML - 3, py(m, t[i]) + 3, lab, 1);
    }
    if (c->ncat) {
        double bw = (FW - ML - MR) / c->ncat;
        for (int i = 0; i < c->ncat; i++) {
            char s[24];
            snprintf(s, sizeof s, "%.14s", c->cat[i]);
            text(cr, ML + bw * (i + 0.5), PH - MB + 10, s, 0.5);
        }
    } else {
        n = pact__ticks(c->x0, c->x1, 6, t);
        for (int i = 0; i < n; i++) {
            pact__tick_label(t[i], n > 1 ? t[1] - t[0] : 1, lab, sizeof lab);
            text(cr, px(m, t[i]), PH - MB + 10, lab, 0.5);
        }
    }
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(cr, 0.6);
    cairo_rectangle(cr, ML, MT, FW - ML - MR, PH - MT - MB);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, ML + (FW - ML - MR) / 2, PH - 6, c->xlabel, 0.5);
    cairo_save(cr);
    cairo_translate(cr, 9, MT + (PH - MT - MB) / 2);
    cairo_rotate(cr, -M_PI / 2);
    text(cr, 0, 0, c->ylabel, 0.5);
    cairo_restore(cr);
}

static void trace(cairo_t *cr, const struct pact__series *s,
                  const struct map *m, int closed)
{
    size_t k = 0;
    while (k < s->n) {
        while (k < s->n && !(isfinite(s->y[k]) && isfinite(s->x[k]) &&
                             (!closed || isfinite(s->lo[k]))))
            k++;
        size_t a = k;
        while (k < s->n && isfinite(s->y[k]) && isfinite(s->x[k]) &&
               (!closed || isfinite(s->lo[k])))
            k++;
        if (k == a)
            break;
        cairo_move_to(cr, px(m, s->x[a]), py(m, s->y[a]));
        for (size_t i = a + 1; i < k; i++)
            cairo_line_to(cr, px(m, s->x[i]), py(m, s->y[i]));
        if (closed) {
            for (size_t i = k; i-- > a;)
                cairo_line_to(cr, px(m, s->x[i]), py(m, s->lo[i]));
            cairo_close_path(cr);
        }
    }
}

static void draw(cairo_t *cr, const struct pact__chart *c, double height)
{
    struct map m = {c->x0, (FW - ML - MR) / (c->x1 - c->x0), c->y0,
                    (PH - MT - MB) / (c->y1 - c->y0)};
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_rectangle(cr, 0, 0, FW, height);
    cairo_fill(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, FONT);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, ML, MT - 4, c->title, 0);
    axes(cr, c, &m);
    cairo_save(cr);
    cairo_rectangle(cr, ML, MT, FW - ML - MR, PH - MT - MB);
    cairo_clip(cr);
    if (c->identity) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_line_width(cr, 0.6);
        double d[] = {3, 2};
        cairo_set_dash(cr, d, 2, 0);
        cairo_move_to(cr, px(&m, c->x0), py(&m, c->x0));
        cairo_line_to(cr, px(&m, c->x1), py(&m, c->x1));
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    int nbars = 0, bi = 0;
    for (int i = 0; i < c->nseries; i++)
        nbars += c->s[i].kind == PACT__S_BARS && !c->bar_single;
    for (int i = 0; i < c->nseries; i++) {
        const struct pact__series *s = &c->s[i];
        switch (s->kind) {
        case PACT__S_LINE:
            colour(cr, s->colour, 1);
            cairo_set_line_width(cr, 1.0);
            trace(cr, s, &m, 0);
            cairo_stroke(cr);
            break;
        case PACT__S_AREA:
        case PACT__S_BAND:
            colour(cr, s->colour, s->kind == PACT__S_AREA ? 0.85 : 0.3);
            trace(cr, s, &m, s->lo != NULL);
            cairo_fill(cr);
            break;
        case PACT__S_POINTS:
            colour(cr, s->colour, 0.7);
            for (size_t k = 0; k < s->n; k++)
                if (isfinite(s->x[k]) && isfinite(s->y[k])) {
                    cairo_new_sub_path(cr);
                    cairo_arc(cr, px(&m, s->x[k]), py(&m, s->y[k]), 1.3, 0,
                              2 * M_PI);
                }
            cairo_fill(cr);
            break;
        case PACT__S_BARS: {
            double slot = (FW - ML - MR) / (c->ncat ? c->ncat : 1);
            double bw = slot * 0.7 / (nbars ? nbars : 1);
            for (size_t k = 0; k < s->n; k++) {
                if (!isfinite(s->y[k]))
                    continue;
                double x = ML + slot * (s->x[k] + 0.15) + bw * bi;
                double y = py(&m, s->y[k]), y0 = py(&m, 0);
                colour(cr, s->colour, 1);
                cairo_rectangle(cr, x, fmin(y, y0), bw, fabs(y0 - y));
                cairo_fill(cr);
                if (s->lo && isfinite(s->lo[k]) && s->lo[k] > 0) {
                    double xm = x + bw / 2;
                    double ya = py(&m, s->y[k] + s->lo[k]);
                    double yb = py(&m, s->y[k] - s->lo[k]);
                    cairo_set_source_rgb(cr, 0, 0, 0);
                    cairo_set_line_width(cr, 0.6);
                    cairo_move_to(cr, xm, ya);
                    cairo_line_to(cr, xm, yb);
                    cairo_move_to(cr, xm - 2, ya);
                    cairo_line_to(cr, xm + 2, ya);
                    cairo_move_to(cr, xm - 2, yb);
                    cairo_line_to(cr, xm + 2, yb);
                    cairo_stroke(cr);
                }
            }
            bi += !c->bar_single;
            break;
        }
        }
    }
    for (int i = 0; i < c->nshade; i++) {
        const struct pact__shade *s = &c->shade[i];
        if (s->gap)
            cairo_set_source_rgba(cr, 0.84, 0.37, 0, 0.25);
        else
            cairo_set_source_rgba(cr, 0.34, 0.71, 0.91, 0.15);
        double x0 = px(&m, s->x0), x1 = px(&m, s->x1);
        cairo_rectangle(cr, x0, MT, fmax(x1 - x0, 0.3), PH - MT - MB);
        cairo_fill(cr);
    }
    cairo_restore(cr);
    /* Legend: two columns below the plot. */
    cairo_set_font_size(cr, FONT - 1);
    for (int i = 0; i < c->nseries; i++) {
        double x = ML + (i % 2) * (FW - ML) / 2, y = PH + (i / 2) * LEG_ROW;
        colour(cr, c->s[i].colour, 1);
        cairo_rectangle(cr, x, y - 6, 8, 6);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        char s[40];
        snprintf(s, sizeof s, "%.30s", c->s[i].name);
        text(cr, x + 11, y, s, 0);
    }
}

int pact__figure_write(const struct pact__chart *c, const char *dir,
                       const char *format, char *why, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", dir, c->id, format);
    double height = PH + 4 + ((c->nseries + 1) / 2) * LEG_ROW;
    cairo_surface_t *sf;
    double scale = 1;
    if (!strcmp(format, "png")) {
        scale = 300.0 / 72;
        sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                        (int)ceil(FW * scale),
                                        (int)ceil(height * scale));
    } else if (!strcmp(format, "svg"))
        sf = cairo_svg_surface_create(path, FW, height);
    else if (!strcmp(format, "pdf"))
        sf = cairo_pdf_surface_create(path, FW, height);
    else {
        snprintf(why, len, "unknown figure format '%s'; use png, svg or pdf",
                 format);
        return -EINVAL;
    }
    cairo_t *cr = cairo_create(sf);
    cairo_scale(cr, scale, scale);
    draw(cr, c, height);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    if (st == CAIRO_STATUS_SUCCESS && !strcmp(format, "png"))
        st = cairo_surface_write_to_png(sf, path);
    cairo_surface_finish(sf);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(sf);
    cairo_surface_destroy(sf);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(why, len, "%s: cannot write the figure: %s", path,
                 cairo_status_to_string(st));
        return -EIO;
    }
    return 0;
}

void pact__figure_done(void)
{
    /* Frees cairo's and fontconfig's caches, so leak checkers see none. */
    cairo_debug_reset_static_data();
    FcFini();
}
