/* SPDX-License-Identifier: MIT */
/*
 * sensor.h - the one interface every power source implements.
 *
 * A driver exports one `const struct pact_sensor_ops`; the tracker knows
 * nothing of Corsair, NVML or RAPL.  At open a driver declares channels
 * (CSV column, quantity, role in the original's columns, measured or
 * estimated); at each read it fills one sample per channel.  A failed read
 * is a sample with ok = 0, never a zero.
 */
#ifndef PACT_SENSORS_SENSOR_H
#define PACT_SENSORS_SENSOR_H

#include <stddef.h>
#include <stdint.h>

#include "pact/pact.h"

#define PACT_SENSOR_ABI 1
#define PACT_MAX_CHANNELS 64 /* per sensor */
#define PACT_CHANNEL_NAME 48

/* What a channel's sample value is. */
enum pact_quantity {
    PACT_Q_POWER_W = 0,  /* instantaneous or driver-averaged power, W */
    PACT_Q_ENERGY_J = 1, /* energy counter, J, as the device gives it:
                            the core unwraps it (counter_range_j) and
                            writes power = delta / its read interval */
    PACT_Q_PERCENT = 2,  /* utilisation, 0..100, averaged over a window */
    PACT_Q_VALUE = 3,    /* anything else (V, A, degC, rpm, MiB, MHz):
                            last value of the window */
};

/* Which of the original's columns a channel feeds (summed or averaged). */
enum pact_role {
    PACT_ROLE_NONE = 0,       /* extended column only */
    PACT_ROLE_PSU_TOTAL = 1,  /* Total_PSU_Power(W): sum */
    PACT_ROLE_GPU_POWER = 2,  /* Nvidia_SMI_Power(W): sum */
    PACT_ROLE_CPU_POWER = 3,  /* Intel_RAPL_Power(W): sum (packages) */
    PACT_ROLE_GPU_UTIL_SM = 4,  /* GPU_Util_SM(%): mean */
    PACT_ROLE_GPU_UTIL_MEM = 5, /* GPU_Util_Memory(%): mean */
    PACT_ROLE_WALL_POWER = 6, /* AC input power (measured or estimated) */
    PACT_ROLE_OTHER_POWER = 7, /* power outside CPU+GPU (e.g. DRAM est.) */
    PACT_ROLE_DETAIL_POWER = 8, /* a power breakdown already contained in
                                   another channel (rails, dram, core) */
    PACT_ROLE_PLATFORM_POWER = 9, /* RAPL psys: the platform, which
                                     contains the packages and DRAM */
};

/*
 * Containment.  The role says which layer of the machine a power channel
 * measures, and so what it contains (docs/energy.md):
 *   WALL (AC input) > PSU_TOTAL (DC output) > CPU + GPU + OTHER;
 *   PLATFORM (psys) > CPU (package) + OTHER (DRAM);
 *   DETAIL channels (rails, cores, uncore) are inside another channel.
 * The core picks one layer per run as the basis of the total and never
 * adds two layers.
 */

struct pact_channel {
    char name[PACT_CHANNEL_NAME]; /* CSV column, e.g. "rapl_package0_w" */
    int32_t quantity;             /* enum pact_quantity */
    int32_t role;                 /* enum pact_role */
    int32_t estimated;            /* 1: a model, not a measurement */
    int32_t fast;                 /* 1: an instantaneous power reading:
                                     the core samples it several times
                                     per window and integrates it */
    double accuracy_pct;          /* relative standard uncertainty, % */
    double resolution;            /* quantum of the value, same unit */
    char method[48];              /* how it is measured, for the summary
                                     (e.g. "energy counter"); may be "" */
    /* What the core's policies need (0 = not known / not applicable). */
    double counter_range_j;       /* energy counter: raw value wraps to 0
                                     after this many J; 0 = never wraps */
    double max_power_w;           /* plausible maximum (rating, power
                                     limit, TDP); 0 = generous default */
    double update_period_s;       /* energy counter: how often the device
                                     refreshes it; 0 = continuously */
    int32_t fallback_for;         /* an estimate used only while no live
                                     measured channel of this role exists;
                                     0 = always used */
    char twin[PACT_CHANNEL_NAME]; /* energy counter: the same device's
                                     sampled power channel, used when a
                                     window is shorter than the counter's
                                     update period; "" = none */
};

/* One reading.  An energy channel reports the device's raw counter in J
 * (not unwrapped: the core's counter helper does that, see
 * core/counter.h); a power channel its reading in W. */
struct pact_sample {
    double value;
    int32_t ok;   /* 0: no reading this time (cell left empty) */
    int64_t t_ns; /* CLOCK_MONOTONIC time of this read; 0 = the core
                     stamps it with the time of the driver's read */
};

/* What a driver gets to look at.  Borrowed for the call's duration. */
struct pact_sensor_env {
    const char *sysroot;              /* "" = the real machine */
    const struct pact_config *cfg;    /* the tracker's configuration */
};

/*
 * The ops table.  All slots are required.
 *  probe: >= 0 devices found, or < 0 with a one-line reason and fix in
 *         why (PAPI's disabled_reason).  Never aborts a run.
 *  open:  allocate *state, declare channels (at most max) and return how
 *         many (0 = nothing to offer), or < 0 with the reason in why.
 *  read:  fill out[0..n-1] at time t_ns (CLOCK_MONOTONIC).  Returns 0, or
 *         < 0 if the whole device failed (all samples must then be ok=0);
 *         the message goes in why, and the tracker logs it once per
 *         change of state.  A driver may reconnect inside read.
 *  close: release state; NULL-safe.
 */
struct pact_sensor_ops {
    int abi; /* PACT_SENSOR_ABI */
    const char *name;
    int (*probe)(const struct pact_sensor_env *env, char *why, size_t len);
    int (*open)(const struct pact_sensor_env *env, void **state,
                struct pact_channel *ch, int max, char *why, size_t len);
    int (*read)(void *state, int64_t t_ns, struct pact_sample *out, int n,
                char *why, size_t len);
    void (*close)(void *state);
};

#endif /* PACT_SENSORS_SENSOR_H */
