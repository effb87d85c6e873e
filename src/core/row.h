/* SPDX-License-Identifier: MIT */
/*
 * row.h - one closed measurement window, as the tracker hands it to the
 * CSV writer, the accounting (energy, CO2) and the live model.  Values
 * are NaN where there is no reading: writers leave those cells empty.
 */
#ifndef PACT_CORE_ROW_H
#define PACT_CORE_ROW_H

#include <stdint.h>

#include "sensors/sensor.h"

struct pact__row {
    uint64_t index;       /* 0, 1, 2, ... */
    double unix_start;    /* wall-clock time of the window start, s */
    double duration_s;    /* exact window length (CLOCK_MONOTONIC) */

    /* The original's aggregate columns (NaN when no source feeds them). */
    double psu_total_w;   /* Total_PSU_Power(W): PSU DC output */
    double gpu_power_w;   /* Nvidia_SMI_Power(W): sum over GPUs */
    double cpu_power_w;   /* Intel_RAPL_Power(W): sum over packages */
    double gpu_util_sm;   /* GPU_Util_SM(%): mean over GPUs */
    double gpu_util_mem;  /* GPU_Util_Memory(%): mean over GPUs */
    double wall_power_w;  /* AC input power, measured or estimated */
    double other_power_w; /* ROLE_OTHER_POWER channels summed */
    int cpu_estimated;    /* 1 if cpu_power_w is an estimate */
    int wall_estimated;   /* 1 if wall_power_w is an estimate */

    /* Every channel of every open sensor, in column order. */
    int nch;
    const struct pact_channel *ch; /* borrowed */
    const double *ch_u;            /* extra standard uncertainty of each
                                      window value, W (sampling, spread
                                      counters); NULL = none */
    const double *ch_value;        /* window value (W for power and
                                      energy channels), NaN = empty */

    /* Counters, in column order. */
    int nctr;
    const char *const *ctr_name;   /* CSV column names, e.g. "faults" */
    const double *ctr_value;       /* NaN = not counted */
    double ctr_running_pct;        /* min time_running/enabled, % */
    double perf_period_s;          /* the configured counter period */

    const char *region;            /* "" when none */
    int counter_mode;              /* enum pact_counter_mode */

    /* Filled by the basis (core/basis.h). */
    double basis_power_w;          /* the basis layer's power (DC for a
                                      psu_dc basis), measured or, in a
                                      gap, estimated; NaN = unknown */
    int basis_gap;                 /* 1: estimated (no basis reading) */
    double gap_u_rel;              /* its relative std. uncertainty */
    double basis_u_extra_w;        /* the basis channels' ch_u, combined */

    /* Filled by the accounting before the row is written. */
    double total_power_w;          /* as the summary's total_basis */
    double total_power_u_w;        /* one standard uncertainty of it */
    double energy_cum_j;           /* cumulative total energy */
    double co2_cum_g;              /* cumulative CO2 */
    double predicted_total_w;      /* live model; NaN without one */
    double predicted_energy_cum_j; /* its cumulative integral, J */
};

#endif
