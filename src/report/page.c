/* SPDX-License-Identifier: MIT */
/*
 * page.c - the report page: one HTML file with its style inline, the
 * sections the inputs wrote into r->body, and the charts kept for
 * --figures.  No script, font or image is fetched from anywhere.
 */
#include "report/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pact/pact.h"

static const char style[] =
    "body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;"
    "color:#222}\n"
    "h1{font-size:1.5em}h2{border-bottom:1px solid #ccc;margin-top:2em}\n"
    "table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
    "th{background:#f4f4f4}td.l,th.l{text-align:left}\n"
    ".tiles{display:flex;flex-wrap:wrap;gap:10px}"
    ".tile{border:1px solid #ccc;border-radius:6px;padding:8px 14px;"
    "min-width:150px}.tile .k{font-size:.8em;color:#555}"
    ".tile .v{font-size:1.5em;font-weight:bold}"
    ".tile .u{font-size:.8em;color:#555}\n"
    "figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:4px}\n"
    ".wide{overflow-x:auto}\n"
    ".note{color:#555;font-size:.9em}dl.hdr dt{float:left;clear:left;"
    "width:12em;color:#555}dl.hdr dd{margin-left:13em}\n";

void pact__report_chart(struct pact__report *r, struct pact__chart *c)
{
    if (!c)
        return;
    /* Ids name the figure files and the SVG clip paths: keep them unique
     * when several inputs of one kind share a page. */
    char base[sizeof c->id];
    memcpy(base, c->id, sizeof base);
    for (int k = 2, clash = 1; clash; k++) {
        clash = 0;
        for (int i = 0; i < r->ncharts && !clash; i++)
            clash = !strcmp(r->charts[i]->id, c->id);
        if (clash)
            snprintf(c->id, sizeof c->id, "%.50s-%d", base, k);
    }
    pact__svg_chart(&r->body, c);
    struct pact__chart **cs =
        realloc(r->charts, (size_t)(r->ncharts + 1) * sizeof *cs);
    if (!cs) {
        pact__chart_free(c);
        r->body.oom = 1;
        return;
    }
    r->charts = cs;
    cs[r->ncharts++] = c;
}

int pact__report_html(const struct pact__report *r, const char *title, FILE *f)
{
    if (r->body.oom)
        return -ENOMEM;
    struct pact__rbuf h = {0};
    pact__rbuf_printf(&h, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
                          "<meta charset=\"utf-8\"><title>");
    pact__rbuf_esc(&h, title);
    pact__rbuf_printf(&h,
                      "</title>\n<meta name=\"generator\" content=\"pact "
                      "%s\">\n<style>\n%s</style></head>\n<body>\n<h1>",
                      pact_version(), style);
    pact__rbuf_esc(&h, title);
    pact__rbuf_printf(&h, "</h1>\n");
    int bad = h.oom;
    if (!bad)
        bad = fwrite(h.p, 1, h.n, f) != h.n ||
              fwrite(r->body.p, 1, r->body.n, f) != r->body.n;
    pact__rbuf_release(&h);
    fprintf(f,
            "<p class=\"note\">Written by pact %s (pact report); "
            "works offline, no external resources.</p>\n</body></html>\n",
            pact_version());
    return bad || ferror(f) ? -EIO : 0;
}

void pact__report_release(struct pact__report *r)
{
    for (int i = 0; i < r->ncharts; i++)
        pact__chart_free(r->charts[i]);
    free(r->charts);
    pact__rbuf_release(&r->body);
}
