/* SPDX-License-Identifier: MIT */
/*
 * integrate.c - window values from timestamped samples (integrate.h).
 */
#include "core/integrate.h"

#include <math.h>
#include <stddef.h>

int pact__integ_energy(struct pact__integ *g,
                       const struct pact__counter_spec *spec, int ok,
                       double raw_j, int64_t t_ns, double *delta_j)
{
    double d = 0, dt = 0;
    int st = pact__counter_step(&g->ctr, spec, ok, raw_j, t_ns, &d, &dt);
    *delta_j = 0;
    if (st == PACT__CTR_DELTA) {
        g->e_j += d;
        g->e_s += dt;
        *delta_j = d;
    } else if (st == PACT__CTR_RESET || st == PACT__CTR_IMPLAUSIBLE ||
               st == PACT__CTR_AMBIGUOUS) {
        g->e_broken = 1;
    } else if (st == PACT__CTR_WAIT) {
        g->e_wait = 1;
    }
    return st;
}

double pact__integ_energy_close(struct pact__integ *g, int edge_ok)
{
    double v = NAN;
    if (edge_ok && !g->e_broken && g->e_s > 0)
        v = g->e_j / g->e_s;
    g->span_s = isnan(v) ? 0 : g->e_s;
    g->e_j = g->e_s = 0;
    g->e_broken = 0;
    g->e_wait = 0;
    return v;
}

void pact__integ_power(struct pact__integ *g, int ok, double w, int64_t t_ns)
{
    if (!ok || !isfinite(w)) {
        g->have_last = 0;
        return;
    }
    if (g->area_s == 0 && g->nsamples == 0)
        g->ref_w = g->have_last ? g->last_w : w;
    if (g->have_last && t_ns > g->last_ns) {
        double dt = (double)(t_ns - g->last_ns) / 1e9;
        g->area_j += 0.5 * ((w - g->ref_w) + (g->last_w - g->ref_w)) * dt;
        g->area_s += dt;
    }
    g->last_w = w;
    g->last_ns = t_ns;
    g->have_last = 1;
    g->nsamples++;
    g->s1 += w - g->ref_w;
    g->s2 += (w - g->ref_w) * (w - g->ref_w);
}

double pact__integ_power_close_u(struct pact__integ *g, double *u_w)
{
    double v = NAN, u = 0;
    if (g->area_s > 0)
        v = g->ref_w + g->area_j / g->area_s;
    else if (g->nsamples > 0)
        v = g->last_w;
    if (g->nsamples >= 2) {
        double n = g->nsamples;
        double var = (g->s2 - g->s1 * g->s1 / n) / (n - 1);
        u = var > 0 ? sqrt(var / n) : 0;
    }
    if (u_w)
        *u_w = u;
    g->area_j = g->area_s = 0;
    g->nsamples = 0;
    g->s1 = g->s2 = 0;
    return v;
}

double pact__integ_power_close(struct pact__integ *g)
{
    return pact__integ_power_close_u(g, NULL);
}
