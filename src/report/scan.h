/* SPDX-License-Identifier: MIT */
/*
 * scan.h - one pass over a run CSV: what each column is (the basis total,
 * a stackable part, a whole-system reading, a counter, a GPU attribute),
 * energies and peaks from every row, and a bounded set of bins for
 * drawing.  Bins are groups of consecutive rows: while there are fewer
 * rows than 2 x bins each row is its own bin; past that, neighbouring bins
 * merge pairwise, keeping the sum, the weight and the min and max of every
 * series, so peaks survive while the energies come from all the data.
 */
#ifndef PACT_REPORT_SCAN_H
#define PACT_REPORT_SCAN_H

#include <stddef.h>

#define PACT__SCAN_MAXS 256

enum pact__role {
    PACT__R_TOTAL,   /* the run's total (total_power_w, or derived) */
    PACT__R_PART,    /* a measured or estimated part: stacked */
    PACT__R_WHOLE,   /* a whole-system reading (PSU, wall, psys) */
    PACT__R_DETAIL,  /* another power column (a sub-domain): not stacked */
    PACT__R_PRED,    /* a model's predicted total */
    PACT__R_COUNTER, /* a perf counter: drawn as a rate per second */
    PACT__R_GPU,     /* GPU utilisation, temperature, clock */
    PACT__R_RUNPCT,  /* counter_running_pct */
    PACT__R_NODE,    /* a node's power in a pact merge job CSV */
    PACT__R_UNC,     /* total_power_u_w: one standard uncertainty */
};

struct pact__sser { /* one series */
    char name[96];
    int col, role, gpu; /* gpu: index, -1 none, -2 all GPUs (original) */
    int estimated;
    double sum_vd, sum_d, min, max; /* all rows: sum v*d (J for power) */
    int ecol;     /* a node's cumulative energy column (merge), or -1 */
    double elast; /* its last value */
    unsigned long long n;
};

struct pact__span {
    double t0, t1; /* seconds from the start */
    char label[96];
};

struct pact__scan {
    char path[512];
    int ns;
    struct pact__sser s[PACT__SCAN_MAXS];
    int total;         /* index of the total series */
    int total_derived; /* 1: no total_power_w; taken from PSU or parts */
    int has_unix, has_channels, original12;
    int job;          /* a pact merge job CSV: job_power_w and <node>_power_w */
    int has_gap_col;  /* a basis_gap column */
    int cols_dropped; /* columns past PACT__SCAN_MAXS, not read */
    /* all rows */
    unsigned long long rows, gap_rows, total_empty;
    double t_start, t_end; /* unix time when known, else 0 and span */
    /* window durations, the last (partial) window left out */
    double dur_mean, dur_m2, dur_min, dur_max, dur_pending;
    unsigned long long ndur;
    double co2_last, energy_last;
    double un_vd, un_d, un_max; /* total - parts where both were read */
    char counter_mode[16], host[160];
    int nhosts;
    char hosts[16][128];
    /* regions and gaps */
    int nreg, ngap, reg_dropped, gap_dropped;
    struct pact__span *reg, *gap;
    /* bins */
    int cap, nb;
    unsigned long long group, in_bin;
    double *bt0, *bt1;         /* [cap] */
    double *vd, *dd, *mn, *mx; /* [cap * ns] */
    unsigned char *bgap;
    unsigned long long *brows;
};

/* Scans PATH with at most 2 * bins bins; with host set, only the rows
 * whose host (or node) column holds it.  0 or -errno with why. */
int pact__scan_file(struct pact__scan *sc, const char *path, int bins,
                    const char *host, char *why, size_t len);
/* The distinct host names seen (up to 16), for a merged job CSV. */
int pact__scan_hosts(const struct pact__scan *sc, char names[][128]);
void pact__scan_release(struct pact__scan *sc);
/* Mean of series i in bin b (NAN when it had no value there). */
double pact__scan_mean(const struct pact__scan *sc, int b, int i);
/* Whole-run average of series i over the time it had values. */
double pact__scan_avg(const struct pact__scan *sc, int i);
/* Index of the series named NAME, or -1. */
int pact__scan_find(const struct pact__scan *sc, const char *name);
/* Run length in seconds (sum of durations, or the time span). */
double pact__scan_duration(const struct pact__scan *sc);

#endif
