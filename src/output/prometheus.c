/* SPDX-License-Identifier: MIT */
/*
 * prometheus.c - formats a snapshot as Prometheus text or OpenMetrics
 * (see prometheus.h).  Every series carries the fleet labels (job_id,
 * step, node, rank, local_rank and each --label); label values are
 * escaped as the format asks (backslash, quote, newline).
 */
#include "output/prometheus.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
    char *p;
    size_t used, cap;
    int oom;
};

static void put(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (b->used + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 8192;
        while (cap < b->used + (size_t)n + 1)
            cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->used, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->used += (size_t)n;
}

static void put_escaped(struct buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\')
            put(b, "\\\\");
        else if (*v == '"')
            put(b, "\\\"");
        else if (*v == '\n')
            put(b, "\\n");
        else
            put(b, "%c", *v);
    }
}

/* A metric family's HELP and TYPE lines.  name is the sample name; an
 * OpenMetrics counter family drops the _total suffix. */
static void family(struct buf *b, int om, const char *name, const char *type,
                   const char *help)
{
    size_t n = strlen(name);
    int cut = om && !strcmp(type, "counter") && n > 6 &&
              !strcmp(name + n - 6, "_total");
    put(b, "# HELP %.*s %s\n", (int)(cut ? n - 6 : n), name, help);
    put(b, "# TYPE %.*s %s\n", (int)(cut ? n - 6 : n), name, type);
}

/* name{fleet labels, extra labels} value.  extra: "k", "v", ..., NULL. */
static void sample(struct buf *b, const struct pact__snap *s,
                   const char *name, double v, ...)
{
    put(b, "%s{", name);
    int first = 1;
    va_list ap;
    va_start(ap, v);
    for (const char *k = va_arg(ap, const char *); k;
         k = va_arg(ap, const char *)) {
        const char *val = va_arg(ap, const char *);
        put(b, "%s%s=\"", first ? "" : ",", k);
        put_escaped(b, val);
        put(b, "\"");
        first = 0;
    }
    va_end(ap);
    for (int i = 0; i < s->labels.n; i++) {
        put(b, "%s%s=\"", first ? "" : ",", s->labels.l[i].key);
        put_escaped(b, s->labels.l[i].value);
        put(b, "\"");
        first = 0;
    }
    /* %.17g round-trips a double; Prometheus parses it as Go does. */
    put(b, "} %.17g\n", v);
}

int pact__prom_wants_openmetrics(const char *accept)
{
    return accept && strstr(accept, "application/openmetrics-text") != NULL;
}

char *pact__prom_format(const struct pact__snap *s, int om, double scrape_s,
                        size_t *len)
{
    struct buf b = {0};
    int any_seen = 0;
    for (int i = 0; i < s->nch; i++)
        any_seen |= s->ch[i].seen;
    if (any_seen) {
        family(&b, om, "pact_energy_joules_total", "counter",
               "Energy per power channel since pact started, joules; "
               "rate() gives watts.  Measured unless estimated=\"1\" (a "
               "model).  Channels overlap (a package contains its cores), "
               "so do not sum them: use pact_total_energy_joules_total.  "
               "Flat while a source has no reading.");
        for (int i = 0; i < s->nch; i++) {
            const struct pact__snap_chan *c = &s->ch[i];
            if (c->seen)
                sample(&b, s, "pact_energy_joules_total", c->energy_j,
                       "source", c->source, "component", c->component,
                       "device", c->device, "estimated",
                       c->estimated ? "1" : "0", (const char *)NULL);
        }
        family(&b, om, "pact_power_watts", "gauge",
               "Mean power of each channel over the last window, watts.  "
               "Measured unless estimated=\"1\".  Absent while a source has "
               "no reading.");
        for (int i = 0; i < s->nch; i++) {
            const struct pact__snap_chan *c = &s->ch[i];
            if (!isnan(c->power_w))
                sample(&b, s, "pact_power_watts", c->power_w, "source",
                       c->source, "component", c->component, "device",
                       c->device, "estimated", c->estimated ? "1" : "0",
                       (const char *)NULL);
        }
    }
    if (!isnan(s->total_energy_j)) {
        family(&b, om, "pact_total_energy_joules_total", "counter",
               "Energy of the machine on the run's basis (wall: AC input; "
               "psu_dc: PSU output / efficiency; psys; components: sum of "
               "CPU+GPU, a lower bound), joules; never the sum of "
               "overlapping channels.  Windows without a basis reading are "
               "interpolated (estimated).");
        sample(&b, s, "pact_total_energy_joules_total", s->total_energy_j,
               "basis", s->basis, (const char *)NULL);
    }
    if (!isnan(s->co2_g)) {
        family(&b, om, "pact_co2_grams_total", "counter",
               "CO2 emitted, grams: estimated as total energy x PUE x the "
               "grid's carbon intensity.");
        sample(&b, s, "pact_co2_grams_total", s->co2_g, (const char *)NULL);
    }
    if (!isnan(s->intensity)) {
        family(&b, om, "pact_carbon_intensity_grams_per_kwh", "gauge",
               "Grid carbon intensity in force, gCO2 per kWh (from a table, "
               "a series or --carbon-intensity; not measured).");
        sample(&b, s, "pact_carbon_intensity_grams_per_kwh", s->intensity,
               (const char *)NULL);
    }
    if (s->nsrc && s->windows) {
        family(&b, om, "pact_source_up", "gauge",
               "1 when the power source gave a reading in the last window, "
               "else 0.");
        for (int i = 0; i < s->nsrc; i++)
            sample(&b, s, "pact_source_up", s->src[i].up, "source",
                   s->src[i].name, (const char *)NULL);
    }
    int any_util = 0;
    for (int i = 0; i < s->nutil; i++)
        any_util |= !isnan(s->util[i].percent);
    if (any_util && s->windows) {
        family(&b, om, "pact_gpu_utilization_ratio", "gauge",
               "GPU utilisation over NVML's last sample period, 0..1 "
               "(measured by the driver): kind=sm the share of time a "
               "kernel ran, kind=memory the share the memory was busy.");
        for (int i = 0; i < s->nutil; i++)
            if (!isnan(s->util[i].percent))
                sample(&b, s, "pact_gpu_utilization_ratio",
                       s->util[i].percent / 100.0, "device",
                       s->util[i].device, "kind", s->util[i].kind,
                       (const char *)NULL);
    }
    int any_ctr = 0;
    for (int i = 0; i < s->nctr; i++)
        any_ctr |= s->ctr_seen[i];
    if (any_ctr) {
        family(&b, om, "pact_perf_events_total", "counter",
               "perf events counted since pact started (measured; scaled "
               "by time_enabled/time_running when multiplexed).");
        for (int i = 0; i < s->nctr; i++)
            if (s->ctr_seen[i])
                sample(&b, s, "pact_perf_events_total",
                       s->ctr_total[i], "event", s->ctr_name[i],
                       (const char *)NULL);
    }
    family(&b, om, "pact_windows_total", "counter",
           "Measurement windows closed; the values above are as of the "
           "last one (freshness: one window).");
    sample(&b, s, "pact_windows_total", (double)s->windows,
           (const char *)NULL);
    if (s->windows) {
        family(&b, om, "pact_last_window_timestamp_seconds", "gauge",
               "Unix time at which the last window closed.");
        sample(&b, s, "pact_last_window_timestamp_seconds", s->unix_time,
               (const char *)NULL);
    }
    if (scrape_s >= 0) {
        family(&b, om, "pact_scrape_duration_seconds", "gauge",
               "Time this scrape took to copy the sampler's latest snapshot, "
               "seconds (measured).");
        sample(&b, s, "pact_scrape_duration_seconds", scrape_s,
               (const char *)NULL);
    }
    if (om)
        put(&b, "# EOF\n");
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    *len = b.used;
    return b.p;
}
