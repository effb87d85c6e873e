/* SPDX-License-Identifier: MIT */
/*
 * sources.c - drives the registered power-source drivers (see sources.h).
 * The tracker only ever sees channels and window values; which chip or
 * library a value came from stays inside the driver, and every policy
 * (counters, bounds, integration, liveness) is the core's.
 */
#include "core/sources.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/integrate.h"
#include "core/liveness.h"
#include "core/log.h"
#include "core/plausible.h"
#include "sensors/registry.h"

#define MAX_CH (PACT_MAX_CHANNELS * 4)

struct chan_state {
    struct pact__integ g;
    struct pact__counter_spec spec;
    struct pact__alive alive;
    double edge_value; /* last reading at an edge (values) */
    int edge_ok;
    int dropped;
    char dropped_why[96];
    int twin;          /* channel index of the sampled twin, or -1 */
    unsigned warned;   /* bit per warning kind, each given once */
    int implausible;   /* readings left out as implausible */
};

struct driver {
    const struct pact_sensor_ops *ops;
    void *state;
    int first, n; /* channel range in the flat table */
    int ticks;    /* read between edges */
    int failing;  /* last read failed (to log once per change) */
    char last_why[512];
};

struct pact__sources {
    struct driver drv[32];
    int ndrv;
    struct pact_channel ch[MAX_CH];
    struct chan_state st[MAX_CH];
    struct pact_sample tmp[PACT_MAX_CHANNELS];
    int nch;
    int implausible; /* all channels' implausible readings */
    int64_t last_edge_ns; /* the previous window edge */
};

int pact__sources_open(const struct pact_config *cfg, const char *sysroot,
                       struct pact__sources **out, char *ewhy, size_t elen)
{
    *out = NULL;
    struct pact__sources *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    struct pact_sensor_env env = {.sysroot = sysroot, .cfg = cfg};
    for (int i = 0; pact__sensors[i] && s->ndrv < 32; i++) {
        const struct pact_sensor_ops *ops = pact__sensors[i];
        if (ops->abi != PACT_SENSOR_ABI)
            continue;
        struct driver *d = &s->drv[s->ndrv];
        char why[512] = "";
        int room = MAX_CH - s->nch;
        if (room > PACT_MAX_CHANNELS)
            room = PACT_MAX_CHANNELS;
        int n = ops->open(&env, &d->state, &s->ch[s->nch], room, why,
                          sizeof why);
        if (n == PACT_EBADCONFIG) {
            snprintf(ewhy, elen, "%s: %s", ops->name, why);
            pact__sources_close(s);
            return n;
        }
        if (n < 0) {
            if (why[0])
                pact__log(PACT_LOG_NOTICE, "%s: %s", ops->name, why);
            continue;
        }
        if (n == 0) {
            ops->close(d->state);
            continue;
        }
        d->ops = ops;
        d->first = s->nch;
        d->n = n;
        s->nch += n;
        s->ndrv++;
    }
    for (int i = 0; i < s->nch; i++) {
        const struct pact_channel *c = &s->ch[i];
        struct chan_state *st = &s->st[i];
        st->spec.range_j = c->counter_range_j;
        st->spec.max_power_w = pact__plausible_max_w(c);
        st->spec.update_period_s = c->update_period_s;
        st->twin = -1;
        for (int k = 0; c->twin[0] && k < s->nch; k++)
            if (k != i && strcmp(s->ch[k].name, c->twin) == 0)
                st->twin = k;
    }
    /* A device the user named (--psu-device) that no PSU driver took:
     * running without it is not what they asked for (docs/psu.md). */
    if (cfg && cfg->psu_device && *cfg->psu_device &&
        !(cfg->psu && strcmp(cfg->psu, "none") == 0)) {
        int psu = 0;
        for (int i = 0; i < s->nch; i++)
            psu |= s->ch[i].role == PACT_ROLE_PSU_TOTAL;
        if (!psu) {
            snprintf(ewhy, elen,
                     "--psu-device %s: no supported PSU answers there "
                     "(Corsair HXi/RMi or NZXT E); check the device with "
                     "'pact list', or leave --psu-device out",
                     cfg->psu_device);
            pact__sources_close(s);
            return PACT_EBADCONFIG;
        }
    }
    *out = s;
    return 0;
}

int pact__sources_count(const struct pact__sources *s)
{
    return s ? s->nch : 0;
}

const struct pact_channel *pact__sources_channels(const struct pact__sources *s)
{
    return s->ch;
}

void pact__sources_names(const struct pact__sources *s, char *buf, size_t len)
{
    size_t off = 0;
    if (len)
        buf[0] = '\0';
    for (int i = 0; i < s->ndrv && off < len; i++) {
        int n = snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
                         s->drv[i].ops->name);
        if (n < 0)
            break;
        off += (size_t)n;
    }
}

double pact__sources_default_sample_period(double measure_period_s)
{
    double p = measure_period_s / 10.0;
    if (p > 0.1)
        p = 0.1;
    if (p < 0.01)
        p = 0.01;
    return p;
}

double pact__sources_tick_period(struct pact__sources *s,
                                 double measure_period_s,
                                 double sample_period_s)
{
    double best = 0;
    if (!(sample_period_s > 0))
        sample_period_s = pact__sources_default_sample_period(
            measure_period_s);
    for (int i = 0; i < s->ndrv; i++) {
        struct driver *d = &s->drv[i];
        double need = 0;
        for (int c = 0; c < d->n; c++) {
            const struct pact_channel *ch = &s->ch[d->first + c];
            const struct chan_state *st = &s->st[d->first + c];
            if (ch->fast && ch->quantity == PACT_Q_POWER_W &&
                sample_period_s < measure_period_s)
                need = need > 0 && need < sample_period_s ? need
                                                          : sample_period_s;
            if (ch->quantity == PACT_Q_ENERGY_J && st->spec.range_j > 0) {
                /* Read a wrapping counter at least twice per wrap at
                 * its maximum power, or a wrap cannot be counted. */
                double safe = st->spec.range_j / st->spec.max_power_w / 4;
                if (safe < measure_period_s && (need == 0 || safe < need))
                    need = safe;
            }
        }
        d->ticks = need > 0;
        if (need > 0 && (best == 0 || need < best))
            best = need;
    }
    return best;
}

enum { W_IMPLAUSIBLE = 1, W_COUNTER = 2, W_TWIN = 4 };

/* Read one driver, stamp its samples, and feed each channel.  edge: this
 * read closes a window (values and edge_ok are updated). */
static void read_driver(struct pact__sources *s, struct driver *d, int edge)
{
    char why[512] = "";
    for (int c = 0; c < d->n; c++) {
        s->tmp[c].ok = 0;
        s->tmp[c].value = NAN;
        s->tmp[c].t_ns = 0;
    }
    int64_t t0 = pact__now_ns();
    int rc = d->ops->read(d->state, t0, s->tmp, d->n, why, sizeof why);
    int64_t t1 = pact__now_ns();
    int bad = rc < 0;
    if (bad && (!d->failing || strcmp(why, d->last_why) != 0)) {
        pact__log(PACT_LOG_WARN, "%s: %s; its cells stay empty until it "
                  "recovers", d->ops->name, why[0] ? why : "read failed");
        snprintf(d->last_why, sizeof d->last_why, "%s", why);
    } else if (!bad && d->failing) {
        pact__log(PACT_LOG_NOTICE, "%s: readings are back", d->ops->name);
        d->last_why[0] = '\0';
    }
    d->failing = bad;
    /* A read's time is its middle, unless the driver stamped it. */
    int64_t mid = t0 + (t1 - t0) / 2;
    for (int c = 0; c < d->n; c++) {
        const struct pact_channel *ch = &s->ch[d->first + c];
        struct chan_state *st = &s->st[d->first + c];
        struct pact_sample *sm = &s->tmp[c];
        int ok = !bad && sm->ok && isfinite(sm->value);
        int64_t t = sm->t_ns > 0 ? sm->t_ns : mid;
        if (ch->quantity == PACT_Q_ENERGY_J) {
            double dj = 0;
            int step = pact__integ_energy(&st->g, &st->spec, ok, sm->value,
                                          t, &dj);
            if (step == PACT__CTR_IMPLAUSIBLE ||
                step == PACT__CTR_OUT_OF_RANGE) {
                st->implausible++;
                s->implausible++;
            }
            if (step != PACT__CTR_DELTA && step != PACT__CTR_BASELINE &&
                step != PACT__CTR_WAIT && step != PACT__CTR_FAILED &&
                !(st->warned & W_COUNTER)) {
                st->warned |= W_COUNTER;
                pact__log(PACT_LOG_WARN, "%s: %s: %s (raw %.6g J); that "
                          "window's cell is left empty, counting goes on "
                          "from the new value (said once per channel)",
                          d->ops->name, ch->name,
                          pact__counter_step_text(step), sm->value);
            }
            pact__alive_note(&st->alive, step == PACT__CTR_DELTA, dj);
            if (edge)
                st->edge_ok = ok && step != PACT__CTR_OUT_OF_RANGE;
        } else if (ch->quantity == PACT_Q_POWER_W) {
            if (ok && !pact__plausible_power(ch, sm->value)) {
                if (!(st->warned & W_IMPLAUSIBLE))
                    pact__log(PACT_LOG_WARN, "%s: %s read %.6g W, outside "
                              "the plausible 0..%g W; the reading is left "
                              "out (said once per channel)", d->ops->name,
                              ch->name, sm->value,
                              pact__plausible_max_w(ch));
                st->warned |= W_IMPLAUSIBLE;
                st->implausible++;
                s->implausible++;
                ok = 0;
            }
            pact__alive_note(&st->alive, ok, sm->value);
            if (ch->fast)
                pact__integ_power(&st->g, ok, sm->value, t);
            if (edge) {
                st->edge_ok = ok;
                st->edge_value = sm->value;
            }
        } else if (edge) {
            st->edge_ok = ok;
            st->edge_value = sm->value;
        }
    }
}

void pact__sources_begin(struct pact__sources *s)
{
    for (int i = 0; i < s->ndrv; i++)
        read_driver(s, &s->drv[i], 0);
}

void pact__sources_tick(struct pact__sources *s)
{
    for (int i = 0; i < s->ndrv; i++)
        if (s->drv[i].ticks)
            read_driver(s, &s->drv[i], 0);
}

void pact__sources_window(struct pact__sources *s, double *values,
                          double *u)
{
    int waited[MAX_CH];
    int64_t edge_ns = pact__now_ns();
    double win_s = s->last_edge_ns ? (double)(edge_ns - s->last_edge_ns) / 1e9
                                    : 0;
    s->last_edge_ns = edge_ns;
    for (int i = 0; i < s->ndrv; i++)
        read_driver(s, &s->drv[i], 1);
    for (int i = 0; i < s->nch; i++) {
        const struct pact_channel *ch = &s->ch[i];
        struct chan_state *st = &s->st[i];
        double v = NAN, uv = 0;
        waited[i] = 0;
        if (ch->quantity == PACT_Q_ENERGY_J) {
            waited[i] = st->g.e_wait && st->g.e_s == 0;
            v = pact__integ_energy_close(&st->g, st->edge_ok);
            /* A delta over more than this window (reads failed before
             * it): its mean is the window's only as far as the window
             * fills that span. */
            if (!isnan(v) && win_s > 0 && st->g.span_s > 1.1 * win_s)
                uv = fabs(v) * (1.0 - win_s / st->g.span_s);
        } else if (ch->quantity == PACT_Q_POWER_W && ch->fast) {
            v = pact__integ_power_close_u(&st->g, &uv);
        } else if (st->edge_ok) {
            v = st->edge_value;
        }
        values[i] = st->dropped ? NAN : v;
        if (u)
            u[i] = uv;
    }
    /* A window shorter than an energy counter's update period saw no
     * refresh: not 0 W, but the same device's sampled power, said once. */
    for (int i = 0; i < s->nch; i++) {
        struct chan_state *st = &s->st[i];
        if (!waited[i] || !isnan(values[i]) || st->dropped)
            continue;
        if (st->twin >= 0 && !isnan(values[st->twin])) {
            values[i] = values[st->twin];
            if (!(st->warned & W_TWIN))
                pact__log(PACT_LOG_NOTICE, "%s: window shorter than the "
                          "energy counter's %g s update period: its power "
                          "is taken from %s for such windows",
                          s->ch[i].name, s->ch[i].update_period_s,
                          s->ch[st->twin].name);
            st->warned |= W_TWIN;
        }
    }
}

int pact__sources_settle(struct pact__sources *s, double elapsed_s)
{
    int n = 0;
    for (int i = 0; i < s->nch; i++) {
        struct chan_state *st = &s->st[i];
        if (st->dropped || !pact__alive_dead(&st->alive, &s->ch[i], elapsed_s,
                                             st->dropped_why,
                                             sizeof st->dropped_why))
            continue;
        st->dropped = 1;
        n++;
        pact__log(PACT_LOG_WARN, "%s: present but not counting (%s): "
                  "dropped, its column stays empty and the fallbacks take "
                  "over", s->ch[i].name, st->dropped_why);
    }
    return n;
}

int pact__sources_dropped(const struct pact__sources *s, int i,
                          const char **why)
{
    if (!s || i < 0 || i >= s->nch || !s->st[i].dropped)
        return 0;
    if (why)
        *why = s->st[i].dropped_why;
    return 1;
}

int pact__sources_implausible(const struct pact__sources *s, int i)
{
    if (!s)
        return 0;
    if (i < 0)
        return s->implausible;
    return i < s->nch ? s->st[i].implausible : 0;
}

void pact__sources_close(struct pact__sources *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ndrv; i++)
        s->drv[i].ops->close(s->drv[i].state);
    free(s);
}
