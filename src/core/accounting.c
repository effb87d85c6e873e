/* SPDX-License-Identifier: MIT */
/*
 * accounting.c - energy per power channel and the run's total (see
 * accounting.h).  Minimal basis: wall power, else PSU DC / efficiency
 * (0.92, the original's), else the sum of components; carbon at a
 * constant intensity (--carbon-intensity, else the world average).
 */
#include "core/accounting.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORLD_G_PER_KWH 475.0

struct source {
    int ch;
    double energy_j, peak_w, time_s;
    int samples;
};

struct pact__accounting {
    const struct pact_config *cfg;
    const struct pact_channel *ch;
    struct source src[256];
    int nsrc;
    double energy_j, co2_g, duration_s, peak_w, intensity;
    char basis[96];
    struct region { char name[128]; double energy_j; } reg[64];
    int nreg;
};

int pact__accounting_new(const struct pact_config *cfg,
                         const struct pact_channel *ch, int nch,
                         struct pact__accounting **out, char *why,
                         size_t len)
{
    (void)why;
    (void)len;
    struct pact__accounting *a = calloc(1, sizeof *a);
    if (!a)
        return -ENOMEM;
    a->cfg = cfg;
    a->ch = ch;
    for (int i = 0; i < nch && a->nsrc < 256; i++)
        if (ch[i].quantity == PACT_Q_POWER_W ||
            ch[i].quantity == PACT_Q_ENERGY_J)
            a->src[a->nsrc++].ch = i;
    a->intensity = cfg->carbon_intensity >= 0 ? cfg->carbon_intensity
                                              : WORLD_G_PER_KWH;
    snprintf(a->basis, sizeof a->basis, "no power source");
    *out = a;
    return 0;
}

void pact__accounting_add(struct pact__accounting *a, struct pact__row *r)
{
    for (int i = 0; i < a->nsrc; i++) {
        struct source *s = &a->src[i];
        double v = r->ch_value[s->ch];
        if (isnan(v))
            continue;
        s->energy_j += v * r->duration_s;
        s->time_s += r->duration_s;
        s->samples++;
        if (v > s->peak_w)
            s->peak_w = v;
    }
    double eff = a->cfg->psu_efficiency > 0 ? a->cfg->psu_efficiency : 0.92;
    double p = NAN;
    if (!isnan(r->wall_power_w)) {
        p = r->wall_power_w;
        snprintf(a->basis, sizeof a->basis, "wall power (%s)",
                 r->wall_estimated ? "estimated" : "measured");
    } else if (!isnan(r->psu_total_w)) {
        p = r->psu_total_w / eff;
        snprintf(a->basis, sizeof a->basis, "PSU DC output / %.2f", eff);
    } else {
        double sum = 0;
        int n = 0;
        const double parts[] = {r->cpu_power_w, r->gpu_power_w,
                                r->other_power_w};
        for (int i = 0; i < 3; i++)
            if (!isnan(parts[i])) {
                sum += parts[i];
                n++;
            }
        if (n) {
            p = sum;
            snprintf(a->basis, sizeof a->basis, "sum of components%s",
                     r->cpu_estimated ? " (CPU estimated)" : "");
        }
    }
    if (!isnan(p))
        p *= a->cfg->pue > 0 ? a->cfg->pue : 1.0;
    r->total_power_w = p;
    a->duration_s += r->duration_s;
    if (!isnan(p)) {
        double e = p * r->duration_s;
        a->energy_j += e;
        a->co2_g += e / 3.6e6 * a->intensity;
        if (p > a->peak_w)
            a->peak_w = p;
        if (r->region && r->region[0]) {
            int k = 0;
            while (k < a->nreg && strcmp(a->reg[k].name, r->region))
                k++;
            if (k < 64) {
                if (k == a->nreg) {
                    snprintf(a->reg[k].name, sizeof a->reg[k].name, "%s",
                             r->region);
                    a->nreg++;
                }
                a->reg[k].energy_j += e;
            }
        }
    }
    r->energy_cum_j = a->energy_j;
    r->co2_cum_g = a->co2_g;
}

double pact__accounting_region_energy(const struct pact__accounting *a,
                                      const char *region)
{
    for (int k = 0; k < a->nreg; k++)
        if (!strcmp(a->reg[k].name, region))
            return a->reg[k].energy_j;
    return NAN;
}

void pact__accounting_summary(const struct pact__accounting *a,
                              struct pact_summary *o)
{
    memset(o, 0, sizeof *o);
    o->duration_s = a->duration_s;
    o->energy_j = a->energy_j;
    o->avg_power_w = a->duration_s > 0 ? a->energy_j / a->duration_s : NAN;
    o->peak_power_w = a->peak_w;
    o->co2_g = a->co2_g;
    o->carbon_intensity_g_per_kwh = a->intensity;
    o->psu_efficiency =
        a->cfg->psu_efficiency > 0 ? a->cfg->psu_efficiency : 0.92;
    o->pue = a->cfg->pue > 0 ? a->cfg->pue : 1.0;
    o->cpu_energy_j = o->gpu_energy_j = o->psu_dc_energy_j = NAN;
    snprintf(o->total_basis, sizeof o->total_basis, "%s", a->basis);
    snprintf(o->carbon_intensity_source, sizeof o->carbon_intensity_source,
             "%s", a->cfg->carbon_intensity >= 0 ? "--carbon-intensity"
                                                 : "world average");
}

int pact__accounting_source_count(const struct pact__accounting *a)
{
    return a->nsrc;
}

int pact__accounting_source_get(const struct pact__accounting *a, int i,
                                struct pact_source_summary *o)
{
    if (i < 0 || i >= a->nsrc)
        return -EINVAL;
    const struct source *s = &a->src[i];
    memset(o, 0, sizeof *o);
    snprintf(o->name, sizeof o->name, "%s", a->ch[s->ch].name);
    o->energy_j = s->energy_j;
    o->avg_power_w = s->time_s > 0 ? s->energy_j / s->time_s : NAN;
    o->peak_power_w = s->peak_w;
    o->estimated = a->ch[s->ch].estimated;
    o->samples = s->samples;
    return 0;
}

void pact__accounting_free(struct pact__accounting *a)
{
    free(a);
}
