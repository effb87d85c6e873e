/* SPDX-License-Identifier: MIT */
/*
 * top_model.c - parses a pact exporter's text format (see top_model.h).
 * Only pact's own metric names are read; a line it does not know is
 * skipped.  Numbers are parsed in the C locale.
 */
#include "top/top_model.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push(struct top_series *s, double v)
{
    s->v[s->head] = v;
    s->head = (s->head + 1) % TOP_HIST;
    if (s->n < TOP_HIST)
        s->n++;
}

double top_series_at(const struct top_series *s, int k)
{
    if (k < 0 || k >= s->n)
        return NAN;
    return s->v[(s->head - 1 - k + 2 * TOP_HIST) % TOP_HIST];
}

/* The value of label key in "{a="x",b="y"}" into out ("" if absent). */
static void label(const char *labels, const char *key, char *out,
                  size_t len)
{
    out[0] = '\0';
    size_t kl = strlen(key);
    for (const char *p = labels; p && *p;) {
        while (*p == '{' || *p == ',' || *p == ' ')
            p++;
        if (strncmp(p, key, kl) == 0 && p[kl] == '=' && p[kl + 1] == '"') {
            p += kl + 2;
            size_t i = 0;
            while (*p && *p != '"' && i + 1 < len) {
                if (*p == '\\' && p[1])
                    p++;
                out[i++] = *p++;
            }
            out[i] = '\0';
            return;
        }
        p = strchr(p, '"');
        if (!p)
            return;
        p = strchr(p + 1, '"');
        if (!p)
            return;
        p++;
    }
}

static struct top_channel *channel(struct top_model *m, const char *src,
                                   const char *comp, const char *dev)
{
    for (int i = 0; i < m->nch; i++)
        if (!strcmp(m->ch[i].source, src) &&
            !strcmp(m->ch[i].component, comp) &&
            !strcmp(m->ch[i].device, dev))
            return &m->ch[i];
    if (m->nch == TOP_CH)
        return NULL;
    struct top_channel *c = &m->ch[m->nch++];
    memset(c, 0, sizeof *c);
    snprintf(c->source, sizeof c->source, "%.31s", src);
    snprintf(c->component, sizeof c->component, "%.47s", comp);
    snprintf(c->device, sizeof c->device, "%.15s", dev);
    c->power_w = NAN;
    c->energy_j = NAN;
    return c;
}

static int index_of(char (*names)[64], int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

void top_model_update(struct top_model *m, const char *text)
{
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    double prev_windows = m->windows, prev_ts = m->last_ts;
    double prev_total = m->total_energy_j;
    double prev_ev[TOP_EV];
    memcpy(prev_ev, m->ev_total, sizeof prev_ev);
    for (int i = 0; i < m->nch; i++)
        m->ch[i].power_w = NAN;
    m->nsrc = 0;
    m->ngpu = 0;

    const char *line = text;
    while (line && *line) {
        const char *eol = strchr(line, '\n');
        size_t ll = eol ? (size_t)(eol - line) : strlen(line);
        char buf[1024];
        if (ll < sizeof buf && line[0] != '#') {
            memcpy(buf, line, ll);
            buf[ll] = '\0';
            char *brace = strchr(buf, '{');
            char *sp = strrchr(buf, ' ');
            if (sp) {
                double v = c ? strtod_l(sp + 1, NULL, c) : atof(sp + 1);
                *sp = '\0';
                const char *labels = brace ? brace + 1 : "";
                if (brace)
                    *brace = '\0';
                char a[64], b[64], d[64], e[64];
                label(labels, "node", a, sizeof a);
                if (a[0])
                    snprintf(m->node, sizeof m->node, "%s", a);
                label(labels, "job_id", a, sizeof a);
                if (a[0])
                    snprintf(m->job_id, sizeof m->job_id, "%s", a);
                if (!strcmp(buf, "pact_power_watts") ||
                    !strcmp(buf, "pact_energy_joules_total")) {
                    label(labels, "source", a, sizeof a);
                    label(labels, "component", b, sizeof b);
                    label(labels, "device", d, sizeof d);
                    label(labels, "estimated", e, sizeof e);
                    struct top_channel *ch = channel(m, a, b, d);
                    if (ch) {
                        ch->estimated = e[0] == '1';
                        if (buf[5] == 'p')
                            ch->power_w = v;
                        else
                            ch->energy_j = v;
                    }
                } else if (!strcmp(buf, "pact_total_energy_joules_total")) {
                    label(labels, "basis", m->basis, sizeof m->basis);
                    m->total_energy_j = v;
                } else if (!strcmp(buf, "pact_co2_grams_total")) {
                    m->co2_g = v;
                } else if (!strcmp(buf,
                                   "pact_carbon_intensity_grams_per_kwh")) {
                    m->intensity = v;
                } else if (!strcmp(buf, "pact_source_up") &&
                           m->nsrc < TOP_SRC) {
                    label(labels, "source", m->src[m->nsrc], 32);
                    m->src_up[m->nsrc++] = v > 0;
                } else if (!strcmp(buf, "pact_perf_events_total")) {
                    label(labels, "event", a, sizeof a);
                    int k = index_of(m->ev, m->nev, a);
                    if (k < 0 && m->nev < TOP_EV) {
                        k = m->nev++;
                        snprintf(m->ev[k], sizeof m->ev[k], "%s", a);
                        prev_ev[k] = NAN;
                        m->ev_rate[k] = NAN;
                    }
                    if (k >= 0)
                        m->ev_total[k] = v;
                } else if (!strcmp(buf, "pact_gpu_utilization_ratio")) {
                    label(labels, "device", a, sizeof a);
                    label(labels, "kind", b, sizeof b);
                    int k = 0;
                    while (k < m->ngpu && strcmp(m->gpu_dev[k], a))
                        k++;
                    if (k == m->ngpu && m->ngpu < 16) {
                        snprintf(m->gpu_dev[k], sizeof m->gpu_dev[k], "%.15s",
                                 a);
                        m->gpu_sm[k] = m->gpu_mem[k] = NAN;
                        m->ngpu++;
                    }
                    if (k < m->ngpu) {
                        if (!strcmp(b, "sm"))
                            m->gpu_sm[k] = 100.0 * v;
                        else
                            m->gpu_mem[k] = 100.0 * v;
                    }
                } else if (!strcmp(buf, "pact_windows_total")) {
                    m->windows = v;
                } else if (!strcmp(buf,
                                   "pact_last_window_timestamp_seconds")) {
                    m->last_ts = v;
                }
            }
        }
        line = eol ? eol + 1 : NULL;
    }
    if (c)
        freelocale(c);

    /* A new window: record it, and the rates over the windows passed. */
    m->fresh = m->windows > prev_windows;
    if (!m->fresh)
        return;
    double dt = prev_ts > 0 ? m->last_ts - prev_ts : NAN;
    m->total_power_w = dt > 0 ? (m->total_energy_j - prev_total) / dt : NAN;
    if (prev_windows == 0 || isnan(m->total_power_w)) {
        /* First scrape: the last window's power from the channels on
         * the basis is not known; leave it to the next window. */
        m->total_power_w = NAN;
    }
    push(&m->total_hist, m->total_power_w);
    for (int i = 0; i < m->nch; i++)
        push(&m->ch[i].hist, m->ch[i].power_w);
    for (int k = 0; k < m->nev; k++)
        m->ev_rate[k] = dt > 0 && !isnan(prev_ev[k])
                            ? (m->ev_total[k] - prev_ev[k]) / dt
                            : NAN;
}
