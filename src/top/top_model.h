/* SPDX-License-Identifier: MIT */
/*
 * top_model.h - what `pact top` shows, parsed from a pact exporter's
 * Prometheus text: each power channel, the total on the run's basis,
 * CO2, intensity, sources up or down, perf event totals; and a history
 * of power per channel and total for the sparklines, with event rates
 * from consecutive windows.
 */
#ifndef PACT_CLI_TOP_MODEL_H
#define PACT_CLI_TOP_MODEL_H

#include <stddef.h>

#define TOP_CH 48
#define TOP_EV 32
#define TOP_SRC 16
#define TOP_HIST 900 /* windows kept: 15 min at 1 s */

struct top_series {
    double v[TOP_HIST]; /* NaN = no reading in that window */
    int n, head;        /* ring buffer */
};

struct top_channel {
    char source[32], component[48], device[16];
    int estimated;
    double power_w, energy_j;
    struct top_series hist;
};

struct top_model {
    int nch;
    struct top_channel ch[TOP_CH];
    char basis[16];
    double total_energy_j, total_power_w, co2_g, intensity;
    struct top_series total_hist;
    int nsrc;
    char src[TOP_SRC][32];
    int src_up[TOP_SRC];
    int ngpu;                 /* GPUs with a utilisation reading */
    char gpu_dev[16][16];
    double gpu_sm[16], gpu_mem[16]; /* percent; NaN = none */
    int nev;
    char ev[TOP_EV][64];
    double ev_total[TOP_EV], ev_rate[TOP_EV];
    double windows, last_ts;
    char node[64], job_id[64];
    int fresh; /* 1 when the last update brought a new window */
};

/* Take one scrape: values, and on a new window the history and rates. */
void top_model_update(struct top_model *m, const char *text);

/* The k-th most recent value (k = 0: newest); NaN past the history. */
double top_series_at(const struct top_series *s, int k);

#endif
