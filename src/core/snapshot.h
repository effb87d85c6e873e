/* SPDX-License-Identifier: MIT */
/*
 * snapshot.h - the fleet view of a tracker: what the Prometheus exporter
 * serves and the textfile mode writes.  The sampler publishes a snapshot
 * at each window close (cumulative energy per channel and for the run's
 * basis, CO2, source liveness, counter totals, labels); a scrape copies
 * the latest one under a mutex of its own, held for a memcpy, so it never
 * waits for device I/O nor makes the tracker read a device.  Freshness is
 * therefore one window (measure period).
 */
#ifndef PACT_CORE_SNAPSHOT_H
#define PACT_CORE_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "core/labels.h"
#include "core/row.h"
#include "pact/pact.h"

#define PACT__SNAP_CH 256
#define PACT__SNAP_SRC 32
#define PACT__SNAP_CTR 64

struct pact__snap_chan {
    char name[48];      /* CSV column, e.g. rapl_package0_w */
    char source[32];    /* rapl, nvml, psu, hwmon, cpu, ... */
    char component[48]; /* package, dram, gpu_power, output, ... */
    char device[16];    /* "0", or "" */
    int estimated;      /* 1: a model, not a measurement */
    int seen;           /* had a reading at least once */
    double energy_j;    /* sum of power x window over windows with a
                           reading: monotonic, flat across gaps */
    double power_w;     /* last window's mean power; NaN = no reading */
};

/* A GPU's utilisation (NVML's own time average over its sample period),
 * read at the last window edge. */
struct pact__snap_util {
    char device[16]; /* "0" */
    char kind[8];    /* "sm" or "memory" */
    double percent;  /* NaN = no reading */
};

struct pact__snap_src {
    char name[32];
    int up; /* some channel had a reading in the last window */
};

/* A published state: plain value, copied whole. */
struct pact__snap {
    uint64_t windows;       /* closed windows so far */
    double unix_time;       /* end of the last window, s since the epoch */
    double window_s;        /* the measure period */
    int nch;
    struct pact__snap_chan ch[PACT__SNAP_CH];
    int nsrc;
    struct pact__snap_src src[PACT__SNAP_SRC];
    int nutil;
    struct pact__snap_util util[32];
    int nctr;               /* 0 in the 'pact' counter mode */
    char ctr_name[PACT__SNAP_CTR][64];
    double ctr_total[PACT__SNAP_CTR];
    int ctr_seen[PACT__SNAP_CTR]; /* counted at least once */
    double total_energy_j;  /* the basis' cumulative energy; NaN = none */
    double total_power_w;   /* last window; NaN = none */
    char basis[16];         /* wall | psu_dc | psys | components | none */
    double co2_g;           /* cumulative; NaN = none */
    double intensity;       /* g/kWh in force; NaN = unknown */
    struct pact__labels labels;
};

struct pact__snapshot;

/* Labels (env + cfg->labels), the election and the GPU scope.  Edits the
 * tracker's own cfg copy: on a local rank > 0 output_path becomes ""
 * (that rank writes nothing; a one-line notice says so); gpus gets
 * SLURM_JOB_GPUS when neither --gpus nor CUDA_VISIBLE_DEVICES is set.
 * Checks textfile_dir.  Returns 0 or PACT_EBADCONFIG with a one-line why. */
int pact__snapshot_new(struct pact_config *cfg, struct pact__snapshot **out,
                       char *why, size_t len);

struct pact__accounting;

/* Sampler side, at each window close, after the accounting has taken the
 * row (caller holds the tracker's lock).  With a textfile directory, also
 * replaces DIR/pact.prom atomically.  NULL s is fine. */
void pact__snapshot_publish(struct pact__snapshot *s,
                            const struct pact__row *r,
                            const struct pact__accounting *acc);

/* Reader side: copy the latest state into *out (any thread). */
void pact__snapshot_get(struct pact__snapshot *s, struct pact__snap *out);

const struct pact__labels *pact__snapshot_labels(
    const struct pact__snapshot *s);

/* 1 when this process tracks the node's shared sources (local rank 0 or
 * no launcher), 0 when another rank on the node does. */
int pact__elected(const struct pact__labels *lb);

void pact__snapshot_free(struct pact__snapshot *s);

/* Parse a channel's CSV name into source, component and device labels. */
void pact__channel_labels(const char *name, char *source, size_t slen,
                          char *component, size_t clen, char *device,
                          size_t dlen);

#endif
