/* SPDX-License-Identifier: MIT */
/*
 * svg.c - a chart as inline, semantic SVG: each series is a <g
 * class="series" data-series="NAME"> holding its own path, shaded regions
 * and gaps are named groups, and transparent hover columns carry <title>
 * tooltips with the values at that point.  Nothing refers outside the
 * page.  Coordinates are written to 0.1 px to keep pages small.
 */
#include "report/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W 900.0
#define H 300.0
#define ML 68.0
#define MR 190.0
#define MT 30.0
#define MB 46.0

struct map {
    double x0, xs, y0, ys;
};

static double px(const struct map *m, double x)
{
    return ML + (x - m->x0) * m->xs;
}
static double py(const struct map *m, double y)
{
    return H - MB - (y - m->y0) * m->ys;
}

static void axes(struct pact__rbuf *b, const struct pact__chart *c,
                 const struct map *m)
{
    double t[16];
    char lab[32];
    pact__rbuf_printf(b, "<g class=\"axes\" font-size=\"11\" "
                         "fill=\"#333\">\n");
    int n = pact__ticks(c->y0, c->y1, 6, t);
    for (int i = 0; i < n; i++) {
        double y = py(m, t[i]);
        pact__tick_label(t[i], n > 1 ? t[1] - t[0] : 1, lab, sizeof lab);
        pact__rbuf_printf(b,
                          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                          "y2=\"%.1f\" stroke=\"#ddd\"/><text x=\"%.1f\" "
                          "y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                          ML, W - MR, y, y, ML - 6, y + 4, lab);
    }
    if (c->ncat) {
        double bw = (W - ML - MR) / c->ncat;
        for (int i = 0; i < c->ncat; i++) {
            pact__rbuf_printf(b,
                              "<text class=\"cat\" x=\"%.1f\" y=\"%.1f\" "
                              "text-anchor=\"middle\">",
                              ML + bw * (i + 0.5), H - MB + 16);
            pact__rbuf_esc(b, c->cat[i]);
            pact__rbuf_printf(b, "</text>\n");
        }
    } else {
        n = pact__ticks(c->x0, c->x1, 8, t);
        for (int i = 0; i < n; i++) {
            double x = px(m, t[i]);
            pact__tick_label(t[i], n > 1 ? t[1] - t[0] : 1, lab, sizeof lab);
            pact__rbuf_printf(b,
                              "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                              "y2=\"%.1f\" stroke=\"#eee\"/><text "
                              "x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                              "%s</text>\n",
                              x, x, MT, H - MB, x, H - MB + 16, lab);
        }
    }
    pact__rbuf_printf(b,
                      "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                      "height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>\n",
                      ML, MT, W - ML - MR, H - MT - MB);
    pact__rbuf_printf(b,
                      "<text class=\"xlabel\" x=\"%.1f\" y=\"%.1f\" "
                      "text-anchor=\"middle\">",
                      ML + (W - ML - MR) / 2, H - 8);
    pact__rbuf_esc(b, c->xlabel);
    pact__rbuf_printf(b,
                      "</text><text class=\"ylabel\" transform=\"translate"
                      "(14 %.1f) rotate(-90)\" text-anchor=\"middle\">",
                      MT + (H - MT - MB) / 2);
    pact__rbuf_esc(b, c->ylabel);
    pact__rbuf_printf(b, "</text></g>\n");
}

static void shades(struct pact__rbuf *b, const struct pact__chart *c,
                   const struct map *m)
{
    for (int i = 0; i < c->nshade; i++) {
        const struct pact__shade *s = &c->shade[i];
        double x0 = px(m, s->x0), x1 = px(m, s->x1);
        if (x1 - x0 < 1)
            x1 = x0 + 1;
        pact__rbuf_printf(b, "<g class=\"%s\" data-label=\"",
                          s->gap ? "gap" : "region");
        pact__rbuf_esc(b, s->label);
        pact__rbuf_printf(b,
                          "\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                          "height=\"%.1f\" fill=\"%s\" "
                          "fill-opacity=\"%s\"/>",
                          x0, MT, x1 - x0, H - MT - MB,
                          s->gap ? "#d55e00" : "#56b4e9",
                          s->gap ? "0.25" : "0.12");
        if (!s->gap && x1 - x0 > 30) {
            pact__rbuf_printf(b,
                              "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
                              "fill=\"#333\">",
                              x0 + 3, MT + 11);
            pact__rbuf_esc(b, s->label);
            pact__rbuf_printf(b, "</text>");
        }
        pact__rbuf_printf(b, "<title>%s: ", s->gap ? "gap" : "region");
        pact__rbuf_esc(b, s->label);
        pact__rbuf_printf(b, "</title></g>\n");
    }
}

/* Path of the finite runs of (x, y), and back along lo when closing. */
static void path(struct pact__rbuf *b, const struct pact__series *s,
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
        for (size_t i = a; i < k; i++)
            pact__rbuf_printf(b, "%c%.1f %.1f", i == a ? 'M' : 'L',
                              px(m, s->x[i]), py(m, s->y[i]));
        if (closed) {
            for (size_t i = k; i-- > a;)
                pact__rbuf_printf(b, "L%.1f %.1f", px(m, s->x[i]),
                                  py(m, s->lo[i]));
            pact__rbuf_put(b, "Z", 1);
        }
    }
}

static void series(struct pact__rbuf *b, const struct pact__chart *c,
                   const struct map *m, int i, int nbars, int bar_i)
{
    static const char *kind[] = {"line", "area", "band", "points", "bars"};
    const struct pact__series *s = &c->s[i];
    const char *col = pact__colour_hex(s->colour);
    pact__rbuf_printf(b, "<g class=\"series\" data-series=\"");
    pact__rbuf_esc(b, s->name);
    pact__rbuf_printf(b, "\" data-kind=\"%s\" data-points=\"%zu\"><title>",
                      kind[s->kind], s->n);
    pact__rbuf_esc(b, s->name);
    pact__rbuf_printf(b, "</title>");
    char v[32], e[32];
    switch (s->kind) {
    case PACT__S_LINE:
        pact__rbuf_printf(b,
                          "<path fill=\"none\" stroke=\"%s\" "
                          "stroke-width=\"1.5\" d=\"",
                          col);
        path(b, s, m, 0);
        pact__rbuf_printf(b, "\"/>");
        break;
    case PACT__S_AREA:
    case PACT__S_BAND:
        pact__rbuf_printf(b,
                          "<path fill=\"%s\" fill-opacity=\"%s\" "
                          "stroke=\"%s\" stroke-width=\"0.6\" d=\"",
                          col, s->kind == PACT__S_AREA ? "0.85" : "0.3", col);
        path(b, s, m, s->lo != NULL);
        pact__rbuf_printf(b, "\"/>");
        break;
    case PACT__S_POINTS:
        for (size_t k = 0; k < s->n; k++) {
            if (!isfinite(s->x[k]) || !isfinite(s->y[k]))
                continue;
            pact__num4(v, sizeof v, s->x[k]);
            pact__num4(e, sizeof e, s->y[k]);
            pact__rbuf_printf(b,
                              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" "
                              "fill=\"%s\" fill-opacity=\"0.7\"><title>%s, "
                              "%s</title></circle>",
                              px(m, s->x[k]), py(m, s->y[k]), col, v, e);
        }
        break;
    case PACT__S_BARS: {
        double slot = (W - ML - MR) / (c->ncat ? c->ncat : 1);
        double bw = slot * 0.7 / (nbars ? nbars : 1);
        for (size_t k = 0; k < s->n; k++) {
            if (!isfinite(s->y[k]))
                continue;
            double x = ML + slot * (s->x[k] + 0.15) + bw * bar_i;
            double y = py(m, s->y[k]), y0 = py(m, 0);
            pact__num4(v, sizeof v, s->y[k]);
            pact__rbuf_printf(
                b,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                "height=\"%.1f\" fill=\"%s\" data-value=\"%.17g\">"
                "<title>",
                x, fmin(y, y0), bw, fabs(y0 - y), col, s->y[k]);
            if ((size_t)s->x[k] < (size_t)c->ncat)
                pact__rbuf_esc(b, c->cat[(size_t)s->x[k]]);
            pact__rbuf_printf(b, ": %s", v);
            if (s->lo && isfinite(s->lo[k])) {
                pact__num4(e, sizeof e, s->lo[k]);
                pact__rbuf_printf(b, " &#177; %s", e);
            }
            pact__rbuf_printf(b, "</title></rect>");
            if (s->lo && isfinite(s->lo[k]) && s->lo[k] > 0) {
                double xm = x + bw / 2, ya = py(m, s->y[k] + s->lo[k]),
                       yb = py(m, s->y[k] - s->lo[k]);
                pact__rbuf_printf(b,
                                  "<path class=\"errorbar\" stroke=\"#000\" "
                                  "d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f "
                                  "%.1fM%.1f %.1fL%.1f %.1f\"/>",
                                  xm, ya, xm, yb, xm - 4, ya, xm + 4, ya,
                                  xm - 4, yb, xm + 4, yb);
            }
        }
        break;
    }
    }
    pact__rbuf_printf(b, "</g>\n");
}

void pact__svg_chart(struct pact__rbuf *b, const struct pact__chart *c)
{
    struct map m = {c->x0, (W - ML - MR) / (c->x1 - c->x0), c->y0,
                    (H - MT - MB) / (c->y1 - c->y0)};
    pact__rbuf_printf(b,
                      "<figure class=\"chart\" id=\"chart-%s\" "
                      "data-chart=\"%s\"><figcaption>",
                      c->id, c->id);
    pact__rbuf_esc(b, c->title);
    pact__rbuf_printf(
        b,
        "</figcaption>\n<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
        "height=\"%.0f\" role=\"img\" aria-label=\"",
        W, H, W, H);
    pact__rbuf_esc(b, c->title);
    pact__rbuf_printf(b, "\" font-family=\"sans-serif\">\n");
    pact__rbuf_printf(b,
                      "<clipPath id=\"clip-%s\"><rect x=\"%.1f\" y=\"%.1f\" "
                      "width=\"%.1f\" height=\"%.1f\"/></clipPath>\n",
                      c->id, ML, MT, W - ML - MR, H - MT - MB);
    axes(b, c, &m);
    pact__rbuf_printf(b, "<g clip-path=\"url(#clip-%s)\">\n", c->id);
    int nbars = 0;
    for (int i = 0; i < c->nseries; i++)
        nbars += c->s[i].kind == PACT__S_BARS && !c->bar_single;
    if (c->identity)
        pact__rbuf_printf(b,
                          "<g class=\"series\" data-series=\"identity\" "
                          "data-kind=\"line\"><title>identity (y = x)"
                          "</title><path stroke=\"#000\" "
                          "stroke-dasharray=\"4 3\" d=\"M%.1f %.1fL%.1f "
                          "%.1f\"/></g>\n",
                          px(&m, c->x0), py(&m, c->x0), px(&m, c->x1),
                          py(&m, c->x1));
    for (int i = 0, bi = 0; i < c->nseries; i++) {
        series(b, c, &m, i, nbars, bi);
        bi += c->s[i].kind == PACT__S_BARS && !c->bar_single;
    }
    shades(b, c, &m); /* over the series, translucent: always visible */
    pact__rbuf_printf(b, "</g>\n");
    if (c->ntip) {
        pact__rbuf_printf(b, "<g class=\"tips\" fill=\"#000\" "
                             "fill-opacity=\"0\">\n");
        for (size_t i = 0; i < c->ntip; i++) {
            double x0 = px(&m, c->tip[i].x0), x1 = px(&m, c->tip[i].x1);
            pact__rbuf_printf(b,
                              "<rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" "
                              "height=\"%.0f\"><title>",
                              x0, MT, fmax(x1 - x0, 0.5), H - MT - MB);
            pact__rbuf_esc(b, c->tip[i].text);
            pact__rbuf_printf(b, "</title></rect>\n");
        }
        pact__rbuf_printf(b, "</g>\n");
    }
    pact__rbuf_printf(b, "<g class=\"legend\" font-size=\"11\">\n");
    int row = 0;
    if (c->identity)
        pact__rbuf_printf(b,
                          "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" "
                          "y2=\"%.0f\" stroke=\"#000\" "
                          "stroke-dasharray=\"4 3\"/><text x=\"%.0f\" "
                          "y=\"%.0f\">y = x</text>\n",
                          W - MR + 12, W - MR + 26, MT + 6.0, MT + 6.0,
                          W - MR + 32, MT + 10.0),
            row++;
    for (int i = 0; i < c->nseries && row < 18; i++, row++) {
        double y = MT + row * 15;
        pact__rbuf_printf(b,
                          "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" "
                          "height=\"10\" fill=\"%s\"/><text x=\"%.0f\" "
                          "y=\"%.0f\">",
                          W - MR + 12, y + 1, pact__colour_hex(c->s[i].colour),
                          W - MR + 32, y + 10);
        char name[40];
        snprintf(name, sizeof name, "%.26s%s", c->s[i].name,
                 strlen(c->s[i].name) > 26 ? "..." : "");
        pact__rbuf_esc(b, name);
        pact__rbuf_printf(b, "</text>\n");
    }
    pact__rbuf_printf(b, "</g></svg></figure>\n");
}
