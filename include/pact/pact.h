/* SPDX-License-Identifier: MIT */
/*
 * pact.h - the public API of libpact, a power and carbon tracker.
 *
 * A tracker samples power sources (PSU over USB, NVML, RAPL, hwmon, an
 * estimate when nothing is measurable) and perf counters on a fixed clock,
 * streams one CSV row per measure period, and keeps a run summary.  This
 * header is the manual: every prototype says who owns what.  The library
 * never prints and never exits; messages go through pact_set_log().
 *
 * All functions that can fail return an int: >= 0 on success, -errno or a
 * PACT_E* code (below -4000) on failure.  pact_strerror() names either.
 */
#ifndef PACT_PACT_H
#define PACT_PACT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PACT_API __attribute__((visibility("default")))

/* 0xMMmm: major changes break callers, minor ones only add.  0x0200: every
 * public struct starts with its size and version (struct pact_summary,
 * pact_live and pact_source_summary gained them, which moved their
 * fields), and the init and query calls take the caller's sizeof. */
#define PACT_API_VERSION 0x0200
#define PACT_VERSION_STRING "0.1.0"

/* ---- Errors ---- */

/* Library-specific codes; the list only grows (curl's rule). */
#define PACT_ERRNO_MAP(XX)                                                   \
    XX(EBADCONFIG, -4001, "invalid configuration")                          \
    XX(EBADEVENT, -4002, "unknown or malformed event name")                 \
    XX(ENOTSUP_EVENT, -4003, "event not supported on this machine")         \
    XX(EPROTO, -4004, "device protocol error")                              \
    XX(ENODEVICE, -4005, "no such device")                                  \
    XX(EFORMAT, -4006, "malformed input file")                              \
    XX(ESTATE, -4007, "call not valid in the tracker's current state")      \
    XX(ENUMERIC, -4008, "numerically degenerate input")                    \
    XX(EABI, -4009, "struct size or version does not match this libpact")

enum pact_errno {
#define PACT_XX_ENUM(name, val, msg) PACT_##name = (val),
    PACT_ERRNO_MAP(PACT_XX_ENUM)
#undef PACT_XX_ENUM
};

/* Static string describing err (a -errno or a PACT_E* code); never NULL. */
PACT_API const char *pact_strerror(int err);
/* Static short name such as "EACCES" or "PACT_EBADEVENT"; never NULL. */
PACT_API const char *pact_err_name(int err);

/* ---- Logging ---- */

enum pact_log_level {
    PACT_LOG_ERROR = 0,
    PACT_LOG_WARN = 1,
    PACT_LOG_NOTICE = 2,
    PACT_LOG_DEBUG = 3,
};

typedef void (*pact_log_fn)(int level, const char *msg, void *user);

/* Route library messages to fn (NULL: drop them).  Process-wide. */
PACT_API void pact_set_log(pact_log_fn fn, void *user);

/* ---- Configuration ---- */

enum pact_scope {
    PACT_SCOPE_AUTO = 0,     /* system when permitted, else workload */
    PACT_SCOPE_SYSTEM = 1,   /* every CPU, pid -1 (the original's) */
    PACT_SCOPE_WORKLOAD = 2, /* workload_pid and its children */
};

enum pact_counter_mode {
    PACT_COUNTER_WINDOW = 0, /* events inside the window, as perf stat -I */
    PACT_COUNTER_PACT = 1,   /* the original: sum of running totals read
                                every perf period, reset each window */
};

/* Ranges every period and duration is checked against (seconds). */
#define PACT_MEASURE_PERIOD_MIN 0.001 /* 1 ms */
#define PACT_MEASURE_PERIOD_MAX 86400.0 /* 1 day */
#define PACT_PERF_PERIOD_MIN 0.0001 /* 100 us; the max is the measure period */
#define PACT_DURATION_MAX 31622400.0 /* 366 days (--duration) */

/*
 * Caller-owned settings.  pact_config_init() fills the defaults; strings
 * are borrowed and must outlive pact_tracker_new() only (it copies them).
 * A NULL string means "default"; an empty output_path means no CSV.
 */
struct pact_config {
    uint32_t size;              /* sizeof(struct pact_config), set by init
                                   from the caller's sizeof */
    uint32_t version;           /* PACT_API_VERSION, set by init */
    double measure_period_s;    /* row period, default 1.0; 1 ms .. 1 day */
    double perf_period_s;       /* counter read period, default 0.01;
                                   100 us .. measure_period_s */
    const char *events;         /* "migrations;faults;cache-misses;cycles" */
    const char *output_path;    /* default "PACT.csv"; "" = none */
    const char *sysroot;        /* prefix for /sys /proc /dev; NULL = env */
    int32_t scope;              /* enum pact_scope */
    int32_t counter_mode;       /* enum pact_counter_mode */
    int32_t workload_pid;       /* workload scope target: 0 = this process
                                   (and threads/children it makes later),
                                   > 0 = a child parked before exec (counted
                                   from its exec on), < 0 = none */
    int32_t psu_detail;         /* 1: rails, temperatures, fan too */
    const char *psu;            /* auto|corsair|nzxt|none (+ aliases) */
    const char *psu_device;     /* /dev/hidrawN or unix:PATH */
    const char *gpus;           /* "0,2"; NULL = all visible */
    int32_t no_estimate;        /* 1: never estimate CPU power */
    int32_t quiet;              /* 1: no notices through the log */
    double psu_efficiency;      /* 0 = from rating or 0.92 */
    const char *psu_rating;     /* platinum|gold|... or NULL */
    const char *country;        /* ISO alpha-2; NULL = from time zone */
    double carbon_intensity;    /* g/kWh; < 0 = use table/series */
    const char *intensity_file; /* timestamp,gco2_per_kwh series */
    double pue;                 /* default 1.0 */
    const char *model_path;     /* power model for live prediction */
    const char *data_dir;       /* tables; NULL = built-in search */
    double power_sample_period_s; /* instantaneous power sampling; 0 =
                                     default: 10 per window or every
                                     0.1 s, whichever is more often */
    int32_t realtime;           /* 1: sampling thread at SCHED_FIFO 1 (needs
                                   CAP_SYS_NICE or an rtprio limit), watched:
                                   it drops to normal priority if it ever
                                   uses more than half a CPU.  Default 0. */
    const char *labels;         /* fleet labels "key=value", one per line,
                                   over the launcher's (job_id, step,
                                   node, rank, local_rank); NULL = none */
    const char *textfile_dir;   /* write DIR/pact.prom each window for
                                   node_exporter; NULL = none */
};

/*
 * Fill cfg with defaults.  size is the caller's sizeof(struct
 * pact_config): the pact_config_init(cfg) macro passes it.  A size smaller
 * than this library's struct is refused with PACT_EABI and nothing is
 * written (a caller built against an older or mismatched pact.h).
 */
PACT_API int pact_config_init_sized(struct pact_config *cfg, size_t size);
#define pact_config_init(cfg) pact_config_init_sized((cfg), sizeof *(cfg))

/* ---- Tracker ---- */

struct pact_tracker;

/*
 * Validate cfg, probe sources and parse events.  On success *out owns a
 * new tracker (free with pact_tracker_free).  On failure returns < 0,
 * *out is NULL and err (if not NULL) holds one line saying what to do.
 */
PACT_API int pact_tracker_new(const struct pact_config *cfg,
                              struct pact_tracker **out, char *err,
                              size_t errlen);

/* Open counters and output, write the header, start the sampling thread. */
PACT_API int pact_tracker_start(struct pact_tracker *t);

/*
 * Thread safety.  stop, set_region, summary, live, source_get and
 * region_energy may be called from any thread, concurrently.  None of them
 * does device I/O or waits for a device: the sampling thread does all
 * reads, and the calls copy its latest published figures.
 *
 * Close the last (partial) window, write it, stop the thread.  Idempotent:
 * when several threads stop at once, one joins the thread and the others
 * wait for it and return the same status.  Must not be called from a log
 * callback (PACT_ESTATE).
 */
PACT_API int pact_tracker_stop(struct pact_tracker *t);

/*
 * Stop if running and release everything.  NULL is fine.  Free after stop
 * is fine; free waits for calls already in progress on other threads, but
 * no call on t may start once free has begun.
 *
 * fork(): the tracker belongs to the process that created it.  In a forked
 * child no thread samples; every call on the parent's tracker returns
 * PACT_ESTATE, except stop (returns 0, does nothing) and free (releases
 * the child's copy of the memory and file descriptors; it writes, flushes
 * and joins nothing, so the parent's output is untouched).
 */
PACT_API void pact_tracker_free(struct pact_tracker *t);

/* Borrowed message of the last error; valid until the next call on t. */
PACT_API const char *pact_tracker_errmsg(const struct pact_tracker *t);

/* Label rows from now on with region (copied; NULL or "" clears).  While
 * running, the window is split at the time of this call: the call records
 * the time and the sampling thread closes the window, so it never waits.
 * A name longer than PACT_REGION_MAX bytes is refused with -ENAMETOOLONG
 * (never cut).  Any bytes are allowed; the CSV quotes as RFC 4180 says. */
#define PACT_REGION_MAX 127
PACT_API int pact_tracker_set_region(struct pact_tracker *t,
                                     const char *region);

/*
 * Run-level figures.  Value type, filled by pact_tracker_summary(); the
 * library sets size (bytes it filled) and version (PACT_API_VERSION).
 */
struct pact_summary {
    uint32_t size;
    uint32_t version;
    double duration_s;
    uint64_t rows;
    double energy_j;             /* total, as total_basis says */
    double energy_uncertainty_j; /* half-width of the printed band:
                                    uncertainty_k standard uncertainties */
    double avg_power_w;
    double peak_power_w;
    double co2_g;
    double carbon_intensity_g_per_kwh;
    double psu_efficiency;
    double pue;
    double cpu_energy_j;   /* NaN when no CPU source */
    double gpu_energy_j;   /* NaN when no GPU source */
    double psu_dc_energy_j; /* NaN when no PSU */
    char total_basis[96];  /* e.g. "PSU DC output / 0.92 (measured)" */
    char carbon_intensity_source[128];
    double predicted_energy_j; /* from the --model prediction; NaN if none */
    /* The accounting model (docs/energy.md). */
    char basis[16];            /* wall|psu_dc|psys|components|none */
    int32_t basis_lower_bound; /* 1: sum of components, a lower bound */
    double uncertainty_k;      /* energy_uncertainty_j = k x one standard
                                  uncertainty (2: about 95 %) */
    uint64_t gap_windows;      /* windows whose basis was estimated */
    char basis_why[256];       /* which channels the basis is made of */
    char dropped_sources[512]; /* "name: why" lines, '\n'-separated */
    /* The wall clock (CLOCK_REALTIME) against CLOCK_MONOTONIC, checked at
     * every window edge: jumps of more than 1 s (suspend, NTP or manual
     * step).  unix_time in rows follows the wall clock; durations and
     * energy do not. */
    uint32_t wall_clock_jumps;
    double wall_clock_jump_s; /* sum of those jumps, s (signed) */
};

/* Copy the figures so far (or final, after stop) into *out; size is the
 * caller's sizeof (the macro passes it): a smaller struct is refused with
 * PACT_EABI and nothing is written. */
PACT_API int pact_tracker_summary_sized(const struct pact_tracker *t,
                                        struct pact_summary *out,
                                        size_t size);
#define pact_tracker_summary(t, out)                                       \
    pact_tracker_summary_sized((t), (out), sizeof *(out))

/* Per-source figures: one entry per power channel (e.g. "rapl_package0_w"). */
struct pact_source_summary {
    uint32_t size;
    uint32_t version;
    char name[48];
    double energy_j;
    double avg_power_w;
    double peak_power_w;
    int32_t estimated; /* 1 if the values are estimates */
    int32_t samples;   /* windows with a valid reading */
    char method[48];   /* how it was measured, e.g. "energy counter" */
};

/* Number of per-source entries (>= 0) or < 0 on error. */
PACT_API int pact_tracker_source_count(const struct pact_tracker *t);
PACT_API int pact_tracker_source_get_sized(const struct pact_tracker *t,
                                           int i,
                                           struct pact_source_summary *out,
                                           size_t size);
#define pact_tracker_source_get(t, i, out)                                 \
    pact_tracker_source_get_sized((t), (i), (out), sizeof *(out))

/* Energy (J) of all rows labelled region so far; NaN if none.  Rows are
 * counted once closed: the window a set_region call splits is closed by
 * the sampling thread just after the call (microseconds), and every row is
 * final once pact_tracker_stop has returned. */
PACT_API double pact_tracker_region_energy(const struct pact_tracker *t,
                                           const char *region);

/* What a live status line shows; filled by pact_tracker_live(). */
struct pact_live {
    uint32_t size;    /* set by the library, as in pact_summary */
    uint32_t version;
    double elapsed_s;
    uint64_t rows;
    double total_power_w; /* last closed window; NaN if unknown */
    double psu_power_w;   /* NaN when absent */
    double cpu_power_w;
    double gpu_power_w;
    double energy_j;      /* total so far */
    int32_t cpu_estimated;
    int32_t total_estimated; /* 1: the total (or this window of it) is an
                                estimate, not a measurement */
};

/* Copy the latest window's figures into *out (thread-safe). */
PACT_API int pact_tracker_live_sized(const struct pact_tracker *t,
                                     struct pact_live *out, size_t size);
#define pact_tracker_live(t, out)                                          \
    pact_tracker_live_sized((t), (out), sizeof *(out))

/* PACT_API_VERSION of the library actually loaded (for wrappers). */
PACT_API unsigned pact_api_version(void);

/* Free memory the library allocated for the caller.  NULL is fine. */
PACT_API void pact_free(void *p);

/* Library version string, e.g. "0.1.0". */
PACT_API const char *pact_version(void);

#ifdef __cplusplus
}
#endif
#endif /* PACT_PACT_H */
