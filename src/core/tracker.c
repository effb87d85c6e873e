/* SPDX-License-Identifier: MIT */
/*
 * tracker.c - the tracker object and its sampling thread.  Window k spans
 * [t0 + k*P, t0 + (k+1)*P) on CLOCK_MONOTONIC; every deadline is computed
 * from t0, never from the previous wake-up, so no drift accumulates.  The
 * thread wakes only when a result needs it: at window edges, every perf
 * period in the PACT counter mode, and every power sample period when an
 * instantaneous power channel (or a fast-wrapping counter) needs it.
 * The rows of the first seconds are held until the liveness check has
 * chosen the run's basis (core/basis.h), then written in order.
 * Everything the thread touches is guarded by one mutex, so the caller
 *
 * Locking: one mutex, mu, guards what callers read or ask for (state,
 * requests, the published live figures and the accounting).  The sampling
 * thread never holds it across device or file I/O, so no caller ever
 * waits on a device: it takes mu only to pick up requests and to publish
 * a closed window.  Region changes are requests (the caller records the
 * time; the thread closes the window at that time), and the last partial
 * window is closed by the thread itself on its way out.
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
#include <time.h>
#include <unistd.h>

#include "core/accounting.h"
#include "core/basis.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/log.h"
#include "core/path.h"
#include "core/liveness.h"
#include "core/row.h"
#include "core/rowq.h"
#include "core/snapshot.h"
#include "core/sources.h"
#include "counters/counters.h"
#include "model/live.h"
#include "model/model.h"
#include "output/csv.h"

#define JITTER_MAX 65536

enum { T_NEW, T_RUNNING, T_STOPPING, T_STOPPED };

/* Region changes waiting for the sampling thread. */
#define REGION_QUEUE 16

struct region_req {
    int64_t t_ns; /* CLOCK_MONOTONIC time of the set_region call */
    char name[128];
};

/* The realtime watchdog: every WD_PERIOD_NS it reads the sampling
 * thread's CPU clock; more than WD_MAX_SHARE of a CPU drops the thread to
 * SCHED_OTHER for the rest of the run. */
#define WD_PERIOD_NS 500000000LL
#define WD_MAX_SHARE 0.5

/* A wall-clock step larger than this, between two window edges, is a
 * jump (s): far above NTP slewing (<= 0.5 ms/s) and timer noise. */
#define WALL_JUMP_S 1.0

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
    pthread_cond_t wake; /* CLOCK_MONOTONIC; signalled by stop/region */
    pthread_cond_t done; /* state left T_STOPPING; a waiter left */
    int stopping;
    int poke;            /* stopping, or a region request queued */
    pthread_t thread;
    int state;
    int stop_rc;         /* the joiner's status, for every stop caller */
    int waiters;         /* stop callers waiting for the joiner */
    pid_t pid;           /* the process that created the tracker */
    int ticking; /* wake every perf period */
    int64_t samp_ns;  /* power sample period; 0 = no reads between edges */
    int settled;      /* liveness decided, basis chosen */
    struct pact__rowq held; /* rows of the probation, not yet written */
    struct pact__basis basis;
    int implausible_seen; /* sources' implausible count last reported */

    struct region_req req[REGION_QUEUE];
    int nreq;

    int watchdog_on;
    pthread_t watchdog;

    int64_t t0_ns, period_ns, perf_ns;
    double unix0;
    int64_t win_start_ns; /* actual time of the last window edge read */
    double win_start_unix; /* CLOCK_REALTIME at that edge */
    uint32_t wall_jumps;
    double wall_jump_s;
    uint64_t edge;        /* index of the next window edge */
    uint64_t rows;
    double *ch_val;
    double *ch_u;     /* their extra uncertainty (sources.h) */
    double ctr_val[PACT_MAX_EVENTS];
    char region[PACT_REGION_MAX + 1];
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
    pact__cond_init_monotonic(&t->done);
    t->pid = getpid();
    copy_config(t, cfg);
    t->sysroot = pact__sysroot(t->cfg.sysroot);
    /* In range after the config check (1 ms .. 1 day, 100 us ..), so the
     * conversion and every t0 + k * period below stay far from int64's
     * 292 years. */
    t->period_ns = pact__s_to_ns(t->cfg.measure_period_s);
    t->perf_ns = pact__s_to_ns(t->cfg.perf_period_s);

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
        /* No input is ever an output (compared by inode). */
        const char *inputs[] = {t->cfg.model_path, t->cfg.intensity_file,
                                NULL};
        if (!inputs[0])
            inputs[0] = inputs[1], inputs[1] = NULL;
        rc = pact__csv_open_checked(t->cfg.output_path, inputs, &t->csv,
                                    why, sizeof why);
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
    t->ch_u = calloc((size_t)(nch ? nch : 1), sizeof *t->ch_u);
    if (!t->ch_val || !t->ch_u) {
        rc = -ENOMEM;
        snprintf(why, sizeof why, "out of memory");
        goto fail;
    }
    if (t->cfg.model_path && t->cfg.model_path[0]) {
        rc = pact__live_model_open(t->cfg.model_path, &t->model, why,
                                   sizeof why);
        /* The measured GPU and RAPL power this run has: a model whose
         * Power_Other was fitted without (or with) them would count them
         * twice (or not at all). */
        char present[64] = "";
        const struct pact_channel *chs = pact__sources_channels(t->src);
        int gpu = 0, cpu = 0;
        for (int i = 0; i < nch; i++) {
            gpu |= chs[i].role == PACT_ROLE_GPU_POWER && !chs[i].estimated;
            cpu |= chs[i].role == PACT_ROLE_CPU_POWER && !chs[i].estimated;
        }
        snprintf(present, sizeof present, "%s%s%s",
                 gpu ? PACT__COL_GPU : "", gpu && cpu ? "," : "",
                 cpu ? PACT__COL_CPU : "");
        if (rc >= 0)
            rc = pact__live_model_check(t->model, t->cfg.counter_mode,
                                        t->cfg.perf_period_s, present, why,
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

/* The dropped-sources lines: liveness drops, then channels with
 * implausible readings left out. */
static void dropped_lines(struct pact_tracker *t, char *buf, size_t len)
{
    int nch = pact__sources_count(t->src);
    const struct pact_channel *ch = nch ? pact__sources_channels(t->src)
                                        : NULL;
    size_t off = 0;
    buf[0] = '\0';
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < nch; i++) {
            const char *why = NULL;
            int bad = pact__sources_implausible(t->src, i);
            int k = 0;
            if (pass == 0 && pact__sources_dropped(t->src, i, &why))
                k = snprintf(buf + off, len - off, "%s%s: %s",
                             off ? "\n" : "", ch[i].name, why);
            else if (pass == 1 && bad)
                k = snprintf(buf + off, len - off, "%s%s: %d implausible "
                             "reading%s left out", off ? "\n" : "",
                             ch[i].name, bad, bad == 1 ? "" : "s");
            if (k > 0 && (size_t)k < len - off)
                off += (size_t)k;
        }
    }
}

/* Account, publish and write one row whose window values are in values
 * (the basis blanks dropped and unused channels there).  Runs on the
 * sampling thread without t->mu: it takes mu only to publish, never
 * across the CSV write. */
static void emit_row(struct pact_tracker *t, struct pact__row *r,
                     double *values)
{
    pact__basis_row(&t->basis, r, values);
    int bad = pact__sources_implausible(t->src, -1);
    char lines[512];
    int dropped_changed = bad != t->implausible_seen;
    if (dropped_changed) {
        dropped_lines(t, lines, sizeof lines);
        t->implausible_seen = bad;
    }
    r->predicted_total_w =
        t->model ? pact__live_model_predict(t->model, r) : NAN;

    pthread_mutex_lock(&t->mu);
    if (dropped_changed)
        pact__accounting_set_dropped(t->acc, lines);
    if (!isnan(r->predicted_total_w))
        t->pred_energy_j += r->predicted_total_w * r->duration_s;
    r->predicted_energy_cum_j = t->model ? t->pred_energy_j : NAN;
    pact__accounting_add(t->acc, r);
    t->live.total_power_w = r->total_power_w;
    t->live.psu_power_w = r->psu_total_w;
    t->live.cpu_power_w = r->cpu_power_w;
    t->live.cpu_estimated = r->cpu_estimated;
    t->live.total_estimated =
        r->basis_gap ||
        (t->basis.kind == PACT__BASIS_WALL && t->basis.wall_estimated) ||
        (t->basis.kind == PACT__BASIS_COMPONENTS && r->cpu_estimated);
    t->live.gpu_power_w = r->gpu_power_w;
    t->live.energy_j = r->energy_cum_j;
    pthread_mutex_unlock(&t->mu);
    /* The fleet view (exporter, textfile): its own lock; the accounting
     * has only this thread as a writer, so it is read without mu. */
    pact__snapshot_publish(t->snap, r, t->acc);

    int first_err = 0;
    int rc = pact__csv_row(t->csv, r, &first_err);
    if (rc < 0 && first_err)
        pact__log(PACT_LOG_ERROR,
                  "cannot write %s: %s; rows are kept in memory and "
                  "written when space returns (free disk space)",
                  t->cfg.output_path, pact_strerror(rc));
}

/* End the liveness probation at now: drop sources present but not
 * counting, choose the basis once, and write the held rows.  Sampling
 * thread (or the only thread touching t), without t->mu. */
static void settle(struct pact_tracker *t, int64_t now)
{
    int nch = pact__sources_count(t->src);
    const struct pact_channel *ch = nch ? pact__sources_channels(t->src)
                                        : NULL;
    pact__sources_settle(t->src, (double)(now - t->t0_ns) / 1e9);
    unsigned char *dropped = calloc((size_t)(nch ? nch : 1), 1);
    char lines[512];
    for (int i = 0; dropped && i < nch; i++)
        dropped[i] = (unsigned char)pact__sources_dropped(t->src, i, NULL);
    dropped_lines(t, lines, sizeof lines);
    t->implausible_seen = pact__sources_implausible(t->src, -1);
    /* Out of memory: no basis (the total is unknown), never a guess. */
    if (!dropped || pact__basis_choose(&t->basis, ch, nch, dropped) < 0)
        memset(&t->basis, 0, sizeof t->basis);
    free(dropped);
    pact__log(PACT_LOG_NOTICE, "total: basis %s: %s",
              pact__basis_label(&t->basis), t->basis.why);
    pthread_mutex_lock(&t->mu);
    pact__accounting_set_basis(t->acc, &t->basis, lines);
    pthread_mutex_unlock(&t->mu);
    t->settled = 1;
    for (size_t i = 0; i < t->held.n; i++)
        emit_row(t, &t->held.rows[i], (double *)t->held.rows[i].ch_value);
    pact__rowq_clear(&t->held);
}


/* Close the window ending now.  Runs on the sampling thread (or, before
 * start and after the join, on the only thread that touches t), without
 * t->mu: it takes mu itself only to publish the row. */
static void close_window(struct pact_tracker *t, int64_t now)
{
    double dur = (double)(now - t->win_start_ns) / 1e9;
    int nch = pact__sources_count(t->src);
    const struct pact_channel *ch = nch ? pact__sources_channels(t->src)
                                        : NULL;
    pact__sources_window(t->src, t->ch_val, t->ch_u);

    /* The wall clock at this edge (read now, less the time since now),
     * and whether it moved other than with the monotonic clock. */
    double unix_end = pact__unix_now() - (double)(pact__now_ns() - now) / 1e9;
    double jump = unix_end - (t->win_start_unix + dur);
    int jumped = fabs(jump) > WALL_JUMP_S;

    struct pact__row r;
    memset(&r, 0, sizeof r);
    r.index = t->rows;
    r.unix_start = t->win_start_unix;
    r.duration_s = dur;
    r.nch = nch;
    r.ch = ch;
    r.ch_value = t->ch_val;
    r.ch_u = t->ch_u;
    r.nctr = pact__counters_count(t->ctr);
    r.ctr_name = t->ctr ? pact__counters_columns(t->ctr) : NULL;
    r.ctr_value = t->ctr_val;
    r.ctr_running_pct = NAN;
    r.perf_period_s = t->cfg.perf_period_s;
    r.counter_mode = t->cfg.counter_mode;
    if (t->ctr)
        pact__counters_window(t->ctr, t->ctr_val, &r.ctr_running_pct);
    r.region = t->region;

    /* Publish the window's bookkeeping (mu: callers read these). */
    pthread_mutex_lock(&t->mu);
    t->rows++;
    t->win_start_ns = now;
    t->win_start_unix = unix_end;
    if (jumped) {
        t->wall_jumps++;
        t->wall_jump_s += jump;
    }
    t->live.rows = t->rows;
    t->live.elapsed_s = (double)(now - t->t0_ns) / 1e9;
    pthread_mutex_unlock(&t->mu);
    if (jumped)
        pact__log(PACT_LOG_WARN,
                  "the wall clock jumped by %+.3f s (suspend, or a clock "
                  "step); unix_time follows it, durations and energy do not",
                  jump);

    if (!t->settled) {
        /* Held until the probation ends (the live view counts them;
         * totals wait for the basis); if memory runs out, the basis is
         * chosen now rather than a row lost. */
        if (pact__rowq_push(&t->held, &r) == 0) {
            if (now - t->t0_ns >= (int64_t)(PACT__LIVENESS_S * 1e9))
                settle(t, now);
            return;
        }
        settle(t, now);
    }
    emit_row(t, &r, t->ch_val);
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

/* Apply queued region changes in order: split the window at each call's
 * time (unless under 1 ms old), then relabel.  mu held on entry and on
 * return, released around the window's I/O. */
static void apply_regions(struct pact_tracker *t)
{
    while (t->nreq > 0) {
        struct region_req q = t->req[0];
        t->nreq--;
        memmove(t->req, t->req + 1, (size_t)t->nreq * sizeof *t->req);
        pthread_mutex_unlock(&t->mu);
        if (strcmp(q.name, t->region) != 0 &&
            q.t_ns - t->win_start_ns > 1000000)
            close_window(t, q.t_ns);
        pthread_mutex_lock(&t->mu);
        memcpy(t->region, q.name, sizeof t->region);
    }
    t->poke = t->stopping;
}

/* A point in (10 %, 90 %) of a slot of slot_ns, at random (xorshift64). */
static int64_t jitter_in(uint64_t *x, int64_t slot_ns)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    double u = (double)(*x >> 11) / 9007199254740992.0;
    return (int64_t)((0.1 + 0.8 * u) * (double)slot_ns);
}

static void *sampler(void *arg)
{
    struct pact_tracker *t = arg;
    /* Wake on the deadline, not up to 50 us after it (the default timer
     * slack).  Real-time priority is opt-in (cfg.realtime), set by
     * start(). */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    int64_t next_tick = t->t0_ns + t->perf_ns;
    /* Power samples: one in each slot of samp_ns, at a random point of
     * it (stratified sampling), so a load that repeats with the sample
     * period cannot alias into a wrong mean; the spread of the samples
     * is then an honest sampling uncertainty (integrate.h). */
    uint64_t rng = (uint64_t)t->t0_ns | 1;
    int64_t samp_slot = t->t0_ns;
    int64_t next_samp = samp_slot + jitter_in(&rng, t->samp_ns);
    pthread_mutex_lock(&t->mu);
    for (;;) {
        if (t->nreq > 0) {
            apply_regions(t);
            continue;
        }
        if (t->stopping)
            break;
        int64_t edge = t->t0_ns + (int64_t)t->edge * t->period_ns;
        int64_t target = edge;
        if (t->ticking && next_tick < target)
            target = next_tick;
        if (t->samp_ns && next_samp < target)
            target = next_samp;
        /* The mutex is free while the thread sleeps; stop() and region
         * changes poke it awake at once. */
        if (pact__wait_until_ns(&t->wake, &t->mu, target, &t->poke))
            continue;
        /* Device and file I/O happen with mu released. */
        pthread_mutex_unlock(&t->mu);
        int64_t now = pact__now_ns();
        note_jitter(t, now - target);
        if (target == edge) {
            close_window(t, now);
            /* An overrun skips the edges already past, keeping the grid
             * (the first edge after now, in O(1)). */
            t->edge = (uint64_t)((now - t->t0_ns) / t->period_ns) + 1;
            next_tick = edge + t->perf_ns;
            samp_slot = edge;
            next_samp = samp_slot + jitter_in(&rng, t->samp_ns);
        } else {
            if (t->ticking && next_tick <= target) {
                pact__counters_tick(t->ctr);
                next_tick += t->perf_ns;
            }
            if (t->samp_ns && next_samp <= target) {
                pact__sources_tick(t->src);
                samp_slot += t->samp_ns;
                next_samp = samp_slot + jitter_in(&rng, t->samp_ns);
            }
        }
        if (t->ticking && next_tick <= now)
            next_tick += ((now - next_tick) / t->perf_ns + 1) * t->perf_ns;
        if (t->samp_ns && next_samp <= now) {
            samp_slot += ((now - samp_slot) / t->samp_ns + 1) * t->samp_ns;
            next_samp = samp_slot + jitter_in(&rng, t->samp_ns);
        }
        pthread_mutex_lock(&t->mu);
    }
    pthread_mutex_unlock(&t->mu);
    /* The last, partial window: written unless it is empty; then the
     * rows still held for the liveness check. */
    int64_t now = pact__now_ns();
    if (now - t->win_start_ns > 1000000 || t->rows == 0)
        close_window(t, now);
    if (!t->settled)
        settle(t, now);
    return NULL;
}

static int64_t thread_cpu_ns(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) < 0)
        return -1;
    return (int64_t)ts.tv_sec * PACT_NS_PER_S + ts.tv_nsec;
}

/* With cfg.realtime: a SCHED_OTHER thread that checks, twice a second,
 * the CPU time the SCHED_FIFO sampler used.  A sampler that works for
 * microseconds per wake-up never comes near the bound; one caught in a
 * loop is dropped to normal priority, so it can never starve the
 * machine. */
static void *watchdog(void *arg)
{
    struct pact_tracker *t = arg;
    clockid_t id;
    if (pthread_getcpuclockid(t->thread, &id) != 0)
        return NULL;
    int64_t prev = thread_cpu_ns(id), used = 0;
    int64_t next = pact__now_ns() + WD_PERIOD_NS;
    int demoted = 0;
    pthread_mutex_lock(&t->mu);
    while (!pact__wait_until_ns(&t->done, &t->mu, next, &t->stopping)) {
        int64_t cpu = thread_cpu_ns(id);
        used = cpu - prev;
        prev = cpu;
        next += WD_PERIOD_NS;
        if (used > (int64_t)(WD_MAX_SHARE * WD_PERIOD_NS)) {
            struct sched_param sp = {.sched_priority = 0};
            pthread_setschedparam(t->thread, SCHED_OTHER, &sp);
            demoted = 1;
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    if (demoted)
        pact__log(PACT_LOG_WARN,
                  "the sampling thread used %.0f ms of CPU in %.0f ms at "
                  "real-time priority; it now runs at normal priority "
                  "(please report this as a bug)",
                  (double)used / 1e6, (double)WD_PERIOD_NS / 1e6);
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

/* In a forked child the tracker is a copy of the parent's: no sampling
 * thread, and mu may have been copied locked.  Such calls must touch
 * neither. */
static int forked(const struct pact_tracker *t)
{
    return t->pid != getpid();
}

static int refuse_forked(const struct pact_tracker *t)
{
    struct pact_tracker *w = (struct pact_tracker *)t;
    snprintf(w->errmsg, sizeof w->errmsg,
             "this tracker belongs to process %ld, the parent of this "
             "fork; create a new tracker in the child",
             (long)t->pid);
    return PACT_ESTATE;
}

int pact_tracker_start(struct pact_tracker *t)
{
    if (!t)
        return -EINVAL;
    if (forked(t))
        return refuse_forked(t);
    pthread_mutex_lock(&t->mu);
    int state = t->state;
    pthread_mutex_unlock(&t->mu);
    if (state != T_NEW) {
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

    t->ticking = t->cfg.counter_mode == PACT_COUNTER_PACT;
    t->samp_ns = (int64_t)llround(
        pact__sources_tick_period(t->src, t->cfg.measure_period_s,
                                  t->cfg.power_sample_period_s) * 1e9);
    t->t0_ns = pact__now_ns();
    t->unix0 = pact__unix_now();
    t->win_start_ns = t->t0_ns;
    t->win_start_unix = t->unix0;
    t->edge = 1;
    pact__sources_begin(t->src);
    pact__counters_begin(t->ctr);
    pthread_mutex_lock(&t->mu);
    rc = pthread_create(&t->thread, NULL, sampler, t);
    if (rc == 0)
        t->state = T_RUNNING;
    pthread_mutex_unlock(&t->mu);
    if (rc != 0) {
        snprintf(t->errmsg, sizeof t->errmsg,
                 "cannot start the sampling thread: %s", strerror(rc));
        return -rc;
    }
    if (t->cfg.realtime) {
        struct sched_param sp = {.sched_priority = 1};
        int e = pthread_setschedparam(t->thread, SCHED_FIFO, &sp);
        if (e != 0)
            pact__log(PACT_LOG_NOTICE,
                      "realtime: cannot use SCHED_FIFO (%s): it needs "
                      "CAP_SYS_NICE or an rtprio limit (ulimit -r); "
                      "sampling at normal priority",
                      strerror(e));
        else
            t->watchdog_on =
                pthread_create(&t->watchdog, NULL, watchdog, t) == 0;
    }
    return 0;
}

int pact_tracker_stop(struct pact_tracker *t)
{
    if (!t)
        return -EINVAL;
    if (forked(t))
        return 0; /* nothing runs here; the parent's output is its own */
    pthread_mutex_lock(&t->mu);
    if (t->state == T_NEW || t->state == T_STOPPED) {
        int rc = t->state == T_STOPPED ? t->stop_rc : 0;
        pthread_mutex_unlock(&t->mu);
        return rc;
    }
    if (pthread_equal(pthread_self(), t->thread)) {
        pthread_mutex_unlock(&t->mu);
        return PACT_ESTATE; /* from a log callback: cannot join itself */
    }
    if (t->state == T_STOPPING) {
        /* Another thread is joining: wait for its result. */
        t->waiters++;
        while (t->state == T_STOPPING)
            pthread_cond_wait(&t->done, &t->mu);
        int rc = t->stop_rc;
        t->waiters--;
        pthread_cond_broadcast(&t->done);
        pthread_mutex_unlock(&t->mu);
        return rc;
    }
    /* This caller joins.  The thread sees the flag at once when asleep,
     * or after the device read in progress. */
    t->state = T_STOPPING;
    t->stopping = 1;
    t->poke = 1;
    pthread_cond_broadcast(&t->wake);
    pthread_cond_broadcast(&t->done); /* the watchdog */
    pthread_mutex_unlock(&t->mu);
    if (t->watchdog_on)
        pthread_join(t->watchdog, NULL);
    pthread_join(t->thread, NULL);
    /* Only this thread touches the CSV now. */
    char lost[400] = "";
    int rc = pact__csv_finish(t->csv, lost, sizeof lost);
    t->csv = NULL;
    pthread_mutex_lock(&t->mu);
    if (rc < 0)
        snprintf(t->errmsg, sizeof t->errmsg,
                 "could not write all rows: %s", lost);
    t->stop_rc = rc < 0 ? rc : 0;
    t->state = T_STOPPED;
    pthread_cond_broadcast(&t->done);
    pthread_mutex_unlock(&t->mu);
    return rc < 0 ? rc : 0;
}

/* Drivers of trackers freed in a forked child: left open, kept here. */
#define PARKED_MAX 8
static struct pact__sources *volatile parked[PARKED_MAX];
static int nparked;

static void free_memory(struct pact_tracker *t)
{
    free(t->ch_val);
    free(t->ch_u);
    free(t->jitter);
    for (int i = 0; i < t->nowned; i++)
        free(t->owned[i]);
    free(t);
}

void pact_tracker_free(struct pact_tracker *t)
{
    if (!t)
        return;
    if (forked(t)) {
        /* The child's copy: release memory and the child's copies of
         * the file descriptors, write nothing.  The CSV's unwritten rows
         * are the parent's (discarded here, never flushed twice); mu may
         * be held by a thread that does not exist here (never touched);
         * the power-source drivers are left as they are (closing one may
         * talk to its device or library), kept reachable. */
        pact__csv_discard(t->csv);
        pact__counters_close(t->ctr);
        pact__accounting_free(t->acc);
        pact__live_model_close(t->model);
        if (t->src && nparked < PARKED_MAX)
            parked[nparked++] = t->src;
        free_memory(t);
        return;
    }
    pact_tracker_stop(t);
    /* Let stop callers still waiting on t->done return before t goes. */
    pthread_mutex_lock(&t->mu);
    while (t->waiters > 0)
        pthread_cond_wait(&t->done, &t->mu);
    pthread_mutex_unlock(&t->mu);
    pact__csv_close(t->csv);
    pact__counters_close(t->ctr);
    pact__sources_close(t->src);
    pact__accounting_free(t->acc);
    pact__rowq_clear(&t->held);
    pact__basis_free(&t->basis);
    pact__live_model_close(t->model);
    pact__snapshot_free(t->snap);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->wake);
    pthread_cond_destroy(&t->done);
    free_memory(t);
}

const char *pact_tracker_errmsg(const struct pact_tracker *t)
{
    return t ? t->errmsg : "no tracker";
}

int pact_tracker_set_region(struct pact_tracker *t, const char *region)
{
    if (!t)
        return -EINVAL;
    if (forked(t))
        return refuse_forked(t);
    const char *r = region ? region : "";
    if (strlen(r) > PACT_REGION_MAX) {
        /* Refused, never cut: a cut name would not match later lookups. */
        pthread_mutex_lock(&t->mu);
        snprintf(t->errmsg, sizeof t->errmsg,
                 "region name of %zu bytes is longer than %d bytes; "
                 "use a shorter name",
                 strlen(r), PACT_REGION_MAX);
        pthread_mutex_unlock(&t->mu);
        return -ENAMETOOLONG;
    }
    pthread_mutex_lock(&t->mu);
    if (t->state == T_RUNNING) {
        /* The latest label, queued or in force. */
        const char *cur = t->nreq ? t->req[t->nreq - 1].name : t->region;
        if (strncmp(r, cur, sizeof t->region - 1) != 0) {
            /* Full queue (the thread is in a slow device read): the
             * newest change replaces the last queued one. */
            if (t->nreq == REGION_QUEUE)
                t->nreq--;
            struct region_req *q = &t->req[t->nreq++];
            q->t_ns = pact__now_ns();
            snprintf(q->name, sizeof q->name, "%s", r);
            t->poke = 1;
            pthread_cond_broadcast(&t->wake);
        }
    } else if (t->state != T_STOPPING) {
        /* No thread: label the rows to come (or nothing, after stop). */
        snprintf(t->region, sizeof t->region, "%s", r);
    }
    pthread_mutex_unlock(&t->mu);
    return 0;
}

/* Refuse an out struct smaller than ours (written past its end). */
static int short_struct(const struct pact_tracker *t, size_t size,
                        size_t need, const char *name)
{
    if (size >= need)
        return 0;
    struct pact_tracker *w = (struct pact_tracker *)t;
    pthread_mutex_lock(&w->mu);
    snprintf(w->errmsg, sizeof w->errmsg,
             "struct %s is %zu bytes, this libpact needs %zu: rebuild "
             "against its pact.h",
             name, size, need);
    pthread_mutex_unlock(&w->mu);
    return PACT_EABI;
}

int pact_tracker_summary_sized(const struct pact_tracker *t,
                               struct pact_summary *out, size_t size)
{
    if (!t || !out)
        return -EINVAL;
    if (forked(t))
        return refuse_forked(t);
    if (short_struct(t, size, sizeof *out, "pact_summary"))
        return PACT_EABI;
    struct pact_summary s;
    memset(&s, 0, sizeof s);
    pthread_mutex_t *mu = (pthread_mutex_t *)&t->mu;
    pthread_mutex_lock(mu);
    pact__accounting_summary(t->acc, &s);
    s.rows = t->rows;
    s.predicted_energy_j = t->model ? t->pred_energy_j : NAN;
    s.wall_clock_jumps = t->wall_jumps;
    s.wall_clock_jump_s = t->wall_jump_s;
    pthread_mutex_unlock(mu);
    s.size = sizeof s;
    s.version = PACT_API_VERSION;
    memcpy(out, &s, sizeof s);
    return 0;
}

int pact_tracker_source_count(const struct pact_tracker *t)
{
    if (!t)
        return -EINVAL;
    if (forked(t))
        return refuse_forked(t);
    return pact__accounting_source_count(t->acc);
}

int pact_tracker_source_get_sized(const struct pact_tracker *t, int i,
                                  struct pact_source_summary *out,
                                  size_t size)
{
    if (!t || !out)
        return -EINVAL;
    if (forked(t))
        return refuse_forked(t);
    if (short_struct(t, size, sizeof *out, "pact_source_summary"))
        return PACT_EABI;
    struct pact_source_summary s;
    memset(&s, 0, sizeof s);
    pthread_mutex_t *mu = (pthread_mutex_t *)&t->mu;
    pthread_mutex_lock(mu);
    int rc = pact__accounting_source_get(t->acc, i, &s);
    pthread_mutex_unlock(mu);
    if (rc < 0)
        return rc;
    s.size = sizeof s;
    s.version = PACT_API_VERSION;
    memcpy(out, &s, sizeof s);
    return rc;
}

double pact_tracker_region_energy(const struct pact_tracker *t,
                                  const char *region)
{
    if (!t || !region || forked(t))
        return NAN;
    pthread_mutex_t *mu = (pthread_mutex_t *)&t->mu;
    pthread_mutex_lock(mu);
    double e = pact__accounting_region_energy(t->acc, region);
    pthread_mutex_unlock(mu);
    return e;
}

int pact_tracker_live_sized(const struct pact_tracker *t,
                            struct pact_live *out, size_t size)
{
    if (!t || !out)
        return -EINVAL;
    if (forked(t))
        return refuse_forked(t);
    if (short_struct(t, size, sizeof *out, "pact_live"))
        return PACT_EABI;
    struct pact_live l;
    pthread_mutex_t *mu = (pthread_mutex_t *)&t->mu;
    pthread_mutex_lock(mu);
    l = t->live;
    pthread_mutex_unlock(mu);
    l.size = sizeof l;
    l.version = PACT_API_VERSION;
    memcpy(out, &l, sizeof l);
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
