/* SPDX-License-Identifier: MIT */
/*
 * sources.c - drives the registered power-source drivers (see sources.h).
 * The tracker only ever sees channels and window values; which chip or
 * library a value came from stays inside the driver.
 */
#include "core/sources.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "sensors/registry.h"

struct chan_state {
    double energy_prev_j; /* last window-edge energy reading */
    int energy_prev_ok;
    double fast_sum;
    int fast_n;
};

struct driver {
    const struct pact_sensor_ops *ops;
    void *state;
    int first, n; /* channel range in the flat table */
    int has_fast;
    int failing;  /* last read failed (to log once per change) */
    char last_why[512];
};

struct pact__sources {
    struct driver drv[32];
    int ndrv;
    struct pact_channel ch[PACT_MAX_CHANNELS * 4];
    struct chan_state st[PACT_MAX_CHANNELS * 4];
    struct pact_sample tmp[PACT_MAX_CHANNELS];
    int nch;
    int has_fast;
};

int pact__sources_open(const struct pact_config *cfg, const char *sysroot,
                       struct pact__sources **out, char *ewhy, size_t elen)
{
    *out = NULL;
    struct pact__sources *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    struct pact_sensor_env env = {.sysroot = sysroot, .cfg = cfg};
    const int cap = (int)(sizeof s->ch / sizeof s->ch[0]);
    for (int i = 0; pact__sensors[i] && s->ndrv < 32; i++) {
        const struct pact_sensor_ops *ops = pact__sensors[i];
        if (ops->abi != PACT_SENSOR_ABI)
            continue;
        struct driver *d = &s->drv[s->ndrv];
        char why[512] = "";
        int room = cap - s->nch;
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
        for (int c = 0; c < n; c++)
            if (s->ch[s->nch + c].fast)
                d->has_fast = 1;
        s->has_fast |= d->has_fast;
        s->nch += n;
        s->ndrv++;
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

int pact__sources_has_fast(const struct pact__sources *s)
{
    return s && s->has_fast;
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

/* Read one driver; logs a failure or a recovery once per change. */
static int read_driver(struct pact__sources *s, struct driver *d,
                       int64_t t_ns)
{
    char why[512] = "";
    for (int c = 0; c < d->n; c++)
        s->tmp[c].ok = 0;
    int rc = d->ops->read(d->state, t_ns, s->tmp, d->n, why, sizeof why);
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
    if (bad)
        for (int c = 0; c < d->n; c++)
            s->tmp[c].ok = 0;
    return rc;
}

void pact__sources_begin(struct pact__sources *s, int64_t t_ns)
{
    for (int i = 0; i < s->ndrv; i++) {
        struct driver *d = &s->drv[i];
        read_driver(s, d, t_ns);
        for (int c = 0; c < d->n; c++) {
            struct chan_state *st = &s->st[d->first + c];
            st->energy_prev_ok = s->tmp[c].ok;
            st->energy_prev_j = s->tmp[c].value;
            st->fast_sum = 0;
            st->fast_n = 0;
        }
    }
}

void pact__sources_tick(struct pact__sources *s, int64_t t_ns)
{
    for (int i = 0; i < s->ndrv; i++) {
        struct driver *d = &s->drv[i];
        if (!d->has_fast)
            continue;
        read_driver(s, d, t_ns);
        for (int c = 0; c < d->n; c++) {
            const struct pact_channel *ch = &s->ch[d->first + c];
            struct chan_state *st = &s->st[d->first + c];
            if (ch->fast && ch->quantity != PACT_Q_ENERGY_J &&
                s->tmp[c].ok && isfinite(s->tmp[c].value)) {
                st->fast_sum += s->tmp[c].value;
                st->fast_n++;
            }
        }
    }
}

void pact__sources_window(struct pact__sources *s, int64_t t_ns,
                          double duration_s, double *values)
{
    for (int i = 0; i < s->ndrv; i++) {
        struct driver *d = &s->drv[i];
        read_driver(s, d, t_ns);
        for (int c = 0; c < d->n; c++) {
            const struct pact_channel *ch = &s->ch[d->first + c];
            struct chan_state *st = &s->st[d->first + c];
            const struct pact_sample *sm = &s->tmp[c];
            int ok = sm->ok && isfinite(sm->value);
            double v = NAN;
            if (ch->quantity == PACT_Q_ENERGY_J) {
                /* Power = energy delta over the exact window.  A counter
                 * that went backwards (driver reload) gives no value. */
                if (ok && st->energy_prev_ok && duration_s > 0 &&
                    sm->value >= st->energy_prev_j)
                    v = (sm->value - st->energy_prev_j) / duration_s;
                st->energy_prev_ok = ok;
                if (ok)
                    st->energy_prev_j = sm->value;
            } else if (ch->fast) {
                double sum = st->fast_sum;
                int n = st->fast_n;
                if (ok) {
                    sum += sm->value;
                    n++;
                }
                v = n ? sum / n : NAN;
            } else if (ok) {
                v = sm->value;
            }
            st->fast_sum = 0;
            st->fast_n = 0;
            values[d->first + c] = v;
        }
    }
}

void pact__sources_close(struct pact__sources *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->ndrv; i++)
        s->drv[i].ops->close(s->drv[i].state);
    free(s);
}
