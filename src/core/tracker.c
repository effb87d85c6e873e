/* SPDX-License-Identifier: MIT */
/*
 * tracker.c - the tracker object and its sampling thread.  Window k spans
 * [t0 + k*P, t0 + (k+1)*P) on CLOCK_MONOTONIC; every deadline is computed
 * from t0, never from the previous wake-up, so no drift accumulates.  The
 * thread wakes only when a result needs it: at window edges, plus every
 * perf period when the PACT counter mode or a fast channel asks for it.
 * Everything the thread touches is guarded by one mutex, so the caller
 * may split a window (region change) or stop from any thread.
 */
#include "core/tracker.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "core/accounting.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/path.h"
#include "core/row.h"
#include "core/snapshot.h"
#include "core/sources.h"
#include "counters/counters.h"
#include "model/live.h"
#include "output/csv.h"

#define JITTER_MAX 65536

enum { T_NEW, T_RUNNING, T_STOPPED };

struct pact_tracker {
    struct pact_config cfg;
    char *owned[16]; /* copies of the cfg strings */
    int nowned;
    const char *sysroot;

    struct pact__sources *src;
    struct pact__counters *ctr;
    struct pact__csv *csv;
    struct pact__accounting *acc;
    struct pact__live_model *model; /* --model: predicted total power */
    struct pact__snapshot *snap;    /* fleet labels, exporter state */
    double pred_energy_j;           /* its integral, J */

    pthread_mutex_t mu;
    pthread_cond_t wake; /* CLOCK_MONOTONIC; signalled by stop() */
    int stopping;
    pthread_t thread;
    int state;
    int ticking; /* wake every perf period */

    int64_t t0_ns, period_ns, perf_ns;
    double unix0;
    int64_t win_start_ns; /* actual time of the last window edge read */
    uint64_t edge;        /* index of the next window edge */
    uint64_t rows;
    double *ch_val;
    double ctr_val[PACT_MAX_EVENTS];
    char region[128];
    struct pact_live live;
    char errmsg[512];

    /* Wake-up lateness, ns, for the benchmarks. */
    uint32_t *jitter;
    size_t njitter;
};

static char *keep(struct pact_tracker *t, const char *s)
{
    if (!s || t->nowned == 16)
        return (char *)s;
    char *c = strdup(s);
    if (c)
        t->owned[t->nowned++] = c;
    return c ? c : (char *)s;
}

static void copy_config(struct pact_tracker *t, const struct pact_config *c)
{
    t->cfg = *c;
    struct pact_config *d = &t->cfg;
    d->events = keep(t, c->events ? c->events : PACT_DEFAULT_EVENTS);
    d->output_path = keep(t, c->output_path ? c->output_path : "PACT.csv");
    d->sysroot = keep(t, c->sysroot);
    d->psu = keep(t, c->psu ? c->psu : "auto");
    d->psu_device = keep(t, c->psu_device);
    d->gpus = keep(t, c->gpus);
    d->psu_rating = keep(t, c->psu_rating);
    d->country = keep(t, c->country);
    d->intensity_file = keep(t, c->intensity_file);
    d->model_path = keep(t, c->model_path);
    d->data_dir = keep(t, c->data_dir);
    if (d->pue <= 0)
        d->pue = 1.0;
}

int pact_tracker_new(const struct pact_config *cfg, struct pact_tracker **out,
                     char *err, size_t errlen)
{
    char why[512] = "";
    *out = NULL;
    int rc = pact__config_check(cfg, why, sizeof why);
    if (rc < 0)
        goto fail_early;
    struct pact_tracker *t = calloc(1, sizeof *t);
    if (!t) {
        rc = -ENOMEM;
        snprintf(why, sizeof why, "out of memory");
        goto fail_early;
    }
    pthread_mutex_init(&t->mu, NULL);
    pact__cond_init_monotonic(&t->wake);
    copy_config(t, cfg);
    t->sysroot = pact__sysroot(t->cfg.sysroot);
    t->period_ns = (int64_t)llround(t->cfg.measure_period_s * 1e9);
    t->perf_ns = (int64_t)llround(t->cfg.perf_period_s * 1e9);

    /* Events are checked now, so a typo fails before anything runs. */
    struct pact__event probe[PACT_MAX_EVENTS];
    rc = pact__events_parse(t->cfg.events, probe, PACT_MAX_EVENTS, why,
                            sizeof why);
    if (rc < 0)
        goto fail;

    rc = pact__snapshot_new(&t->cfg, &t->snap, why, sizeof why);
    if (rc < 0)
        goto fail;
    if (t->cfg.output_path[0]) {
        rc = pact__csv_open(t->cfg.output_path, &t->csv, why, sizeof why);
        if (rc < 0)
            goto fail;
        pact__csv_labels(t->csv, pact__snapshot_labels(t->snap));
    }
    rc = pact__sources_open(&t->cfg, t->sysroot, &t->src, why, sizeof why);
    if (rc < 0) {
        if (!why[0])
            snprintf(why, sizeof why, "cannot open power sources: %s",
                     pact_strerror(rc));
        goto fail;
    }
    int nch = pact__sources_count(t->src);
    t->ch_val = calloc((size_t)(nch ? nch : 1), sizeof *t->ch_val);
    if (!t->ch_val) {
        rc = -ENOMEM;
        snprintf(why, sizeof why, "out of memory");
        goto fail;
    }
    if (t->cfg.model_path && t->cfg.model_path[0]) {
        rc = pact__live_model_open(t->cfg.model_path, &t->model, why,
                                   sizeof why);
        if (rc < 0)
            goto fail;
    }
    rc = pact__accounting_new(&t->cfg, pact__sources_channels(t->src), nch,
                              &t->acc, why, sizeof why);
    if (rc < 0)
        goto fail;
    t->live.total_power_w = NAN;
    t->live.psu_power_w = NAN;
    t->live.cpu_power_w = NAN;
    t->live.gpu_power_w = NAN;
    *out = t;
    return 0;
fail:
    pact_tracker_free(t);
fail_early:
    if (err && errlen)
        snprintf(err, errlen, "%s", why[0] ? why : pact_strerror(rc));
    return rc;
}

/* ---- Windows ---- */

static void sum_role(const struct pact_channel *ch, const double *v, int n,
                     int role, double *sum, int *count, int *estimated)
{
    *sum = 0;
    *count = 0;
    for (int i = 0; i < n; i++) {
        if (ch[i].role != role || isnan(v[i]))
            continue;
        *sum += v[i];
        (*count)++;
        if (estimated && ch[i].estimated)
            *estimated = 1;
    }
}

/* Close the window ending now.  Caller holds t->mu. */
static void close_window(struct pact_tracker *t, int64_t now)
{
    double dur = (double)(now - t->win_start_ns) / 1e9;
    int nch = pact__sources_count(t->src);
    const struct pact_channel *ch = nch ? pact__sources_channels(t->src)
                                        : NULL;
    pact__sources_window(t->src, now, dur, t->ch_val);

    struct pact__row r;
    memset(&r, 0, sizeof r);
    r.index = t->rows;
    r.unix_start = t->unix0 + (double)(t->win_start_ns - t->t0_ns) / 1e9;
    r.duration_s = dur;
    r.nch = nch;
    r.ch = ch;
    r.ch_value = t->ch_val;
    r.nctr = pact__counters_count(t->ctr);
    r.ctr_name = t->ctr ? pact__counters_columns(t->ctr) : NULL;
    r.ctr_value = t->ctr_val;
    r.ctr_running_pct = NAN;
    r.perf_period_s = t->cfg.perf_period_s;
    if (t->ctr)
        pact__counters_window(t->ctr, t->ctr_val, &r.ctr_running_pct);
    r.region = t->region;

    double s;
    int n, est = 0;
    sum_role(ch, t->ch_val, nch, PACT_ROLE_PSU_TOTAL, &s, &n, NULL);
    r.psu_total_w = n ? s : NAN;
    sum_role(ch, t->ch_val, nch, PACT_ROLE_GPU_POWER, &s, &n, NULL);
    r.gpu_power_w = n ? s : NAN;
    sum_role(ch, t->ch_val, nch, PACT_ROLE_CPU_POWER, &s, &n, &est);
    r.cpu_power_w = n ? s : NAN;
    r.cpu_estimated = est;
    sum_role(ch, t->ch_val, nch, PACT_ROLE_GPU_UTIL_SM, &s, &n, NULL);
    r.gpu_util_sm = n ? s / n : NAN;
    sum_role(ch, t->ch_val, nch, PACT_ROLE_GPU_UTIL_MEM, &s, &n, NULL);
    r.gpu_util_mem = n ? s / n : NAN;
    est = 0;
    sum_role(ch, t->ch_val, nch, PACT_ROLE_WALL_POWER, &s, &n, &est);
    r.wall_power_w = n ? s : NAN;
    r.wall_estimated = est;
    sum_role(ch, t->ch_val, nch, PACT_ROLE_OTHER_POWER, &s, &n, NULL);
    r.other_power_w = n ? s : NAN;
    r.predicted_total_w =
        t->model ? pact__live_model_predict(t->model, &r) : NAN;
    if (!isnan(r.predicted_total_w))
        t->pred_energy_j += r.predicted_total_w * dur;
    r.predicted_energy_cum_j = t->model ? t->pred_energy_j : NAN;

    pact__accounting_add(t->acc, &r);
    pact__snapshot_publish(t->snap, &r, t->acc);

    int first_err = 0;
    int rc = pact__csv_row(t->csv, &r, &first_err);
    if (rc < 0 && first_err)
        pact__log(PACT_LOG_ERROR,
                  "cannot write %s: %s; rows are kept in memory and "
                  "written when space returns (free disk space)",
                  t->cfg.output_path, pact_strerror(rc));

    t->rows++;
    t->win_start_ns = now;
    t->live.rows = t->rows;
    t->live.elapsed_s = (double)(now - t->t0_ns) / 1e9;
    t->live.total_power_w = r.total_power_w;
    t->live.psu_power_w = r.psu_total_w;
    t->live.cpu_power_w = r.cpu_power_w;
    t->live.cpu_estimated = r.cpu_estimated;
    t->live.gpu_power_w = r.gpu_power_w;
    t->live.energy_j = r.energy_cum_j;
}

static void note_jitter(struct pact_tracker *t, int64_t late_ns)
{
    if (!t->jitter || t->njitter >= JITTER_MAX)
        return;
    if (late_ns < 0)
        late_ns = -late_ns;
    t->jitter[t->njitter++] =
        late_ns > UINT32_MAX ? UINT32_MAX : (uint32_t)late_ns;
}

static void *sampler(void *arg)
{
    struct pact_tracker *t = arg;
    /* Wake on the deadline, not up to 50 us after it (the default timer
     * slack), and, where permitted, ahead of the workload's threads: the
     * thread is awake for microseconds per wake-up.  Both are best effort
     * and change nothing else. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    if (!getenv("PACT_NO_RT")) {
        struct sched_param sp = {.sched_priority = 1};
        pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
    }
    int64_t next_tick = t->t0_ns + t->perf_ns;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        int64_t edge = t->t0_ns + (int64_t)t->edge * t->period_ns;
        int64_t target = edge;
        if (t->ticking && next_tick < edge)
            target = next_tick;
        /* The mutex is free while the thread sleeps, for stop() and
         * region changes; stop() wakes it at once. */
        if (pact__wait_until_ns(&t->wake, &t->mu, target, &t->stopping))
            break;
        int64_t now = pact__now_ns();
        note_jitter(t, now - target);
        if (target == edge) {
            close_window(t, now);
            /* An overrun skips the edges already past, keeping the grid. */
            do
                t->edge++;
            while (t->t0_ns + (int64_t)t->edge * t->period_ns <= now);
            next_tick = edge + t->perf_ns;
        } else {
            pact__counters_tick(t->ctr);
            pact__sources_tick(t->src, now);
            next_tick += t->perf_ns;
        }
        while (t->ticking && next_tick <= now)
            next_tick += t->perf_ns;
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

/* One warning per distinct reason, naming every event it applies to
 * ("cache-misses, cycles: not supported on this machine ..."). */
static void warn_unavailable(const struct pact__counters *c)
{
    int n = pact__counters_count(c);
    char done[PACT_MAX_EVENTS] = {0};
    for (int i = 0; i < n; i++) {
        const char *wi;
        if (done[i] || pact__counters_available(c, i, &wi))
            continue;
        const char *ri = strstr(wi, ": ");
        ri = ri ? ri + 2 : wi;
        char names[512] = "";
        size_t off = 0;
        for (int j = i; j < n; j++) {
            const char *wj;
            if (done[j] || pact__counters_available(c, j, &wj))
                continue;
            const char *rj = strstr(wj, ": ");
            if (strcmp(rj ? rj + 2 : wj, ri) != 0)
                continue;
            done[j] = 1;
            int k = snprintf(names + off, sizeof names - off, "%s%s",
                             off ? ", " : "", pact__counters_column(c, j));
            if (k > 0 && (size_t)k < sizeof names - off)
                off += (size_t)k;
        }
        pact__log(PACT_LOG_WARN, "%s: %s; %s", names, ri,
                  strchr(names, ',') ? "their columns stay empty"
                                     : "its column stays empty");
    }
}

int pact_tracker_start(struct pact_tracker *t)
{
    if (!t)
        return -EINVAL;
    if (t->state != T_NEW) {
        snprintf(t->errmsg, sizeof t->errmsg, "tracker already started");
        return PACT_ESTATE;
    }
    char why[512] = "", notice[512] = "";
    struct pact__counters_opts o = {
        .scope = t->cfg.scope,
        .mode = t->cfg.counter_mode,
        .pid = t->cfg.workload_pid,
    };
    int rc = pact__counters_open(t->cfg.events, &o, &t->ctr, notice,
                                 sizeof notice, why, sizeof why);
    if (rc < 0) {
        snprintf(t->errmsg, sizeof t->errmsg, "%s", why);
        return rc;
    }
    if (notice[0])
        pact__log(PACT_LOG_NOTICE, "%s", notice);
    warn_unavailable(t->ctr);

    struct pact__row layout;
    memset(&layout, 0, sizeof layout);
    layout.nch = pact__sources_count(t->src);
    layout.ch = layout.nch ? pact__sources_channels(t->src) : NULL;
    layout.nctr = pact__counters_count(t->ctr);
    layout.ctr_name = pact__counters_columns(t->ctr);
    rc = pact__csv_header(t->csv, &layout, t->model != NULL);
    if (rc < 0) {
        snprintf(t->errmsg, sizeof t->errmsg, "cannot write %s: %s",
                 t->cfg.output_path, pact_strerror(rc));
        return rc;
    }
    if (getenv("PACT_JITTER"))
        t->jitter = calloc(JITTER_MAX, sizeof *t->jitter);

    t->ticking = t->cfg.counter_mode == PACT_COUNTER_PACT ||
                 pact__sources_has_fast(t->src);
    t->t0_ns = pact__now_ns();
    t->unix0 = pact__unix_now();
    t->win_start_ns = t->t0_ns;
    t->edge = 1;
    pact__sources_begin(t->src, t->t0_ns);
    pact__counters_begin(t->ctr);
    rc = pthread_create(&t->thread, NULL, sampler, t);
    if (rc != 0) {
        snprintf(t->errmsg, sizeof t->errmsg,
                 "cannot start the sampling thread: %s", strerror(rc));
        return -rc;
    }
    t->state = T_RUNNING;
    return 0;
}

int pact_tracker_stop(struct pact_tracker *t)
{
    if (!t)
        return -EINVAL;
    if (t->state != T_RUNNING)
        return 0;
    /* The thread only ever waits with the mutex released, so it sees the
     * flag at once, never in the middle of a device transaction. */
    pthread_mutex_lock(&t->mu);
    t->stopping = 1;
    pthread_cond_signal(&t->wake);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_mutex_lock(&t->mu);
    int64_t now = pact__now_ns();
    /* The last, partial window: written unless it is empty. */
    if (now - t->win_start_ns > 1000000 || t->rows == 0)
        close_window(t, now);
    t->state = T_STOPPED;
    pthread_mutex_unlock(&t->mu);
    int rc = pact__csv_close(t->csv);
    t->csv = NULL;
    if (rc < 0) {
        snprintf(t->errmsg, sizeof t->errmsg,
                 "could not write all rows to %s: %s", t->cfg.output_path,
                 pact_strerror(rc));
        return rc;
    }
    return 0;
}

void pact_tracker_free(struct pact_tracker *t)
{
    if (!t)
        return;
    pact_tracker_stop(t);
    pact__csv_close(t->csv);
    pact__counters_close(t->ctr);
    pact__sources_close(t->src);
    pact__accounting_free(t->acc);
    pact__live_model_close(t->model);
    pact__snapshot_free(t->snap);
    free(t->ch_val);
    free(t->jitter);
    for (int i = 0; i < t->nowned; i++)
        free(t->owned[i]);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->wake);
    free(t);
}

const char *pact_tracker_errmsg(const struct pact_tracker *t)
{
    return t ? t->errmsg : "no tracker";
}

int pact_tracker_set_region(struct pact_tracker *t, const char *region)
{
    if (!t)
        return -EINVAL;
    pthread_mutex_lock(&t->mu);
    const char *r = region ? region : "";
    if (strcmp(r, t->region) != 0) {
        /* Split the window at the change, so a region's energy is exact;
         * the grid of later windows is unchanged. */
        if (t->state == T_RUNNING) {
            int64_t now = pact__now_ns();
            if (now - t->win_start_ns > 1000000)
                close_window(t, now);
        }
        snprintf(t->region, sizeof t->region, "%s", r);
    }
    pthread_mutex_unlock(&t->mu);
    return 0;
}

int pact_tracker_summary(const struct pact_tracker *t,
                         struct pact_summary *out)
{
    if (!t || !out)
        return -EINVAL;
    pthread_mutex_t *mu = (pthread_mutex_t *)&t->mu;
    pthread_mutex_lock(mu);
    pact__accounting_summary(t->acc, out);
    out->rows = t->rows;
    out->predicted_energy_j = t->model ? t->pred_energy_j : NAN;
    pthread_mutex_unlock(mu);
    return 0;
}

int pact_tracker_source_count(const struct pact_tracker *t)
{
    if (!t)
        return -EINVAL;
    return pact__accounting_source_count(t->acc);
}

int pact_tracker_source_get(const struct pact_tracker *t, int i,
                            struct pact_source_summary *out)
{
    if (!t || !out)
        return -EINVAL;
    pthread_mutex_t *mu = (pthread_mutex_t *)&t->mu;
    pthread_mutex_lock(mu);
    int rc = pact__accounting_source_get(t->acc, i, out);
    pthread_mutex_unlock(mu);
    return rc;
}

double pact_tracker_region_energy(const struct pact_tracker *t,
                                  const char *region)
{
    if (!t || !region)
        return NAN;
    pthread_mutex_t *mu = (pthread_mutex_t *)&t->mu;
    pthread_mutex_lock(mu);
    double e = pact__accounting_region_energy(t->acc, region);
    pthread_mutex_unlock(mu);
    return e;
}

int pact_tracker_live(const struct pact_tracker *t, struct pact_live *out)
{
    if (!t || !out)
        return -EINVAL;
    pthread_mutex_t *mu = (pthread_mutex_t *)&t->mu;
    pthread_mutex_lock(mu);
    *out = t->live;
    pthread_mutex_unlock(mu);
    return 0;
}

/* ---- Internal views for the CLI and benchmarks ---- */

int pact__tracker_scope(const struct pact_tracker *t)
{
    return t->ctr ? pact__counters_scope(t->ctr) : t->cfg.scope;
}

void pact__tracker_sources(const struct pact_tracker *t, char *buf,
                           size_t len)
{
    pact__sources_names(t->src, buf, len);
}

struct pact__snapshot *pact__tracker_snapshot(struct pact_tracker *t)
{
    return t->snap;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int pact__tracker_jitter(struct pact_tracker *t, double *p50_us,
                         double *p99_us, double *max_us, size_t *n)
{
    if (!t->jitter || t->njitter == 0)
        return -ENODATA;
    pthread_mutex_lock(&t->mu);
    qsort(t->jitter, t->njitter, sizeof *t->jitter, cmp_u32);
    size_t k = t->njitter;
    *p50_us = t->jitter[k / 2] / 1e3;
    *p99_us = t->jitter[(k * 99) / 100] / 1e3;
    *max_us = t->jitter[k - 1] / 1e3;
    *n = k;
    pthread_mutex_unlock(&t->mu);
    return 0;
}
