/* SPDX-License-Identifier: MIT */
/*
 * basis.c - containment, the run's basis and the row aggregates
 * (basis.h).
 */
#include "core/basis.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_power(const struct pact_channel *c)
{
    return c->quantity == PACT_Q_POWER_W || c->quantity == PACT_Q_ENERGY_J;
}

static int is_component(int role)
{
    return role == PACT_ROLE_CPU_POWER || role == PACT_ROLE_GPU_POWER ||
           role == PACT_ROLE_OTHER_POWER;
}

const char *pact__basis_name(int kind)
{
    static const char *const n[] = {"none", "wall", "psu_dc", "psys",
                                    "components"};
    return kind >= 0 && kind <= PACT__BASIS_COMPONENTS ? n[kind] : "none";
}

const char *pact__basis_label(const struct pact__basis *b)
{
    if (!b)
        return "none";
    if (b->kind == PACT__BASIS_WALL && b->wall_estimated)
        return "psu_dc";
    return pact__basis_name(b->kind);
}

static void list(char *buf, size_t len, const struct pact_channel *ch,
                 int nch, const unsigned char *pick)
{
    size_t off = strlen(buf);
    int first = 1;
    for (int i = 0; i < nch && off < len; i++) {
        if (!pick[i])
            continue;
        int k = snprintf(buf + off, len - off, "%s%s", first ? "" : " + ",
                         ch[i].name);
        if (k > 0)
            off += (size_t)k;
        first = 0;
    }
}

int pact__basis_choose(struct pact__basis *b, const struct pact_channel *ch,
                       int nch, const unsigned char *dropped)
{
    size_t n = (size_t)(nch > 0 ? nch : 1);
    memset(b, 0, sizeof *b);
    b->nch = nch;
    b->use = calloc(n, 1);
    b->in_basis = calloc(n, 1);
    b->blank = calloc(n, 1);
    if (!b->use || !b->in_basis || !b->blank) {
        pact__basis_free(b);
        return -ENOMEM;
    }
    /* Which roles have a live measured channel (fallbacks stand aside). */
    int live[16] = {0}, wall_meas = 0, wall_est = 0, psu = 0, psys = 0,
        comps = 0;
    for (int i = 0; i < nch; i++)
        if (!dropped[i] && is_power(&ch[i]) && !ch[i].fallback_for &&
            ch[i].role >= 0 && ch[i].role < 16)
            live[ch[i].role] = 1;
    for (int i = 0; i < nch; i++) {
        const struct pact_channel *c = &ch[i];
        if (dropped[i]) {
            b->blank[i] = 1;
            continue;
        }
        if (c->fallback_for > 0 && c->fallback_for < 16 &&
            live[c->fallback_for]) {
            b->blank[i] = 1; /* a measurement covers what it estimates */
            continue;
        }
        b->use[i] = 1;
        if (!is_power(c))
            continue;
        if (c->role == PACT_ROLE_WALL_POWER && !c->estimated)
            wall_meas++;
        else if (c->role == PACT_ROLE_WALL_POWER)
            wall_est++;
        else if (c->role == PACT_ROLE_PSU_TOTAL)
            psu++;
        else if (c->role == PACT_ROLE_PLATFORM_POWER)
            psys++;
        else if (is_component(c->role))
            comps++;
    }
    /* Of two wall sources the measured one wins: the estimate stays a
     * column but leaves the wall aggregate. */
    for (int i = 0; i < nch; i++)
        if (wall_meas && b->use[i] && ch[i].role == PACT_ROLE_WALL_POWER &&
            ch[i].estimated)
            b->use[i] = 0;
    for (int i = 0; i < nch; i++) {
        if (!b->use[i] || !is_power(&ch[i]))
            continue;
        int r = ch[i].role;
        if (wall_meas || wall_est)
            b->in_basis[i] = r == PACT_ROLE_WALL_POWER;
        else if (psu)
            b->in_basis[i] = r == PACT_ROLE_PSU_TOTAL;
        else if (psys)
            b->in_basis[i] = r == PACT_ROLE_PLATFORM_POWER;
        else
            b->in_basis[i] = is_component(r);
    }
    const char *what;
    if (wall_meas || wall_est) {
        b->kind = PACT__BASIS_WALL;
        b->wall_estimated = !wall_meas;
        what = wall_meas ? "measured wall power: "
                         : "PSU DC output / the unit's own efficiency "
                           "curve (the PSU's input estimate): ";
    } else if (psu) {
        b->kind = PACT__BASIS_PSU_DC;
        what = "PSU DC output / efficiency: ";
    } else if (psys) {
        b->kind = PACT__BASIS_PSYS;
        what = "RAPL platform (psys) energy: ";
    } else if (comps) {
        b->kind = PACT__BASIS_COMPONENTS;
        what = "sum of components, a lower bound (no wall, PSU or psys "
               "reading): ";
    } else {
        b->kind = PACT__BASIS_NONE;
        what = "no power reading";
    }
    snprintf(b->why, sizeof b->why, "%s", what);
    list(b->why, sizeof b->why, ch, nch, b->in_basis);
    if (wall_meas && wall_est) {
        size_t off = strlen(b->why);
        snprintf(b->why + off, sizeof b->why - off,
                 " (the PSU's input estimate is not added)");
    }
    return 0;
}

void pact__basis_row(struct pact__basis *b, struct pact__row *r,
                     double *values)
{
    const struct pact_channel *ch = r->ch;
    /* Sums and counts by role (the original's aggregate columns). */
    double sum[16] = {0}, basis = 0, comps = 0;
    int cnt[16] = {0}, nbasis = 0, ncomps = 0, basis_missing = 0,
        comps_missing = 0;
    double u2 = 0;
    r->cpu_estimated = 0;
    r->wall_estimated = 0;
    for (int i = 0; i < r->nch && i < b->nch; i++) {
        if (b->blank[i])
            values[i] = NAN;
        if (!b->use[i])
            continue;
        double v = values[i];
        int have = !isnan(v);
        int role = ch[i].role;
        if (b->in_basis[i]) {
            basis_missing |= !have;
            basis += have ? v : 0;
            nbasis += have;
            if (have && r->ch_u)
                u2 += r->ch_u[i] * r->ch_u[i];
        }
        if (is_power(&ch[i]) && is_component(role)) {
            comps_missing |= !have;
            comps += have ? v : 0;
            ncomps += have;
        }
        if (!have || role < 0 || role >= 16)
            continue;
        sum[role] += v;
        cnt[role]++;
        if (role == PACT_ROLE_CPU_POWER)
            r->cpu_estimated |= ch[i].estimated;
        if (role == PACT_ROLE_WALL_POWER)
            r->wall_estimated |= ch[i].estimated;
    }
#define TOTAL(role) (cnt[role] ? sum[role] : NAN)
#define MEAN(role) (cnt[role] ? sum[role] / cnt[role] : NAN)
    r->psu_total_w = TOTAL(PACT_ROLE_PSU_TOTAL);
    r->gpu_power_w = TOTAL(PACT_ROLE_GPU_POWER);
    r->cpu_power_w = TOTAL(PACT_ROLE_CPU_POWER);
    r->gpu_util_sm = MEAN(PACT_ROLE_GPU_UTIL_SM);
    r->gpu_util_mem = MEAN(PACT_ROLE_GPU_UTIL_MEM);
    r->wall_power_w = TOTAL(PACT_ROLE_WALL_POWER);
    r->other_power_w = TOTAL(PACT_ROLE_OTHER_POWER);
#undef TOTAL
#undef MEAN
    r->basis_u_extra_w = sqrt(u2);
    double bw = nbasis && !basis_missing ? basis : NAN;
    double cw = ncomps && !comps_missing ? comps : NAN;
    if (b->kind == PACT__BASIS_NONE) {
        r->basis_power_w = NAN;
        r->basis_gap = 0;
        r->gap_u_rel = 0;
        return;
    }
    r->basis_power_w = pact__gap_fill(&b->gap, bw, cw, &r->basis_gap,
                                      &r->gap_u_rel);
}

void pact__basis_free(struct pact__basis *b)
{
    free(b->use);
    free(b->in_basis);
    free(b->blank);
    b->use = b->in_basis = b->blank = NULL;
}
