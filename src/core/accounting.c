/* SPDX-License-Identifier: MIT */
/*
 * accounting.c - integrates closed rows into energy and CO2 (contract in
 * accounting.h).  Per row the total is the run's one basis (basis.h):
 * the basis power, divided by the PSU efficiency for a psu_dc basis, times
 * the PUE; a gap window's estimate is counted and widens the uncertainty.
 * It also keeps what the uncertainty needs: each channel's share of the
 * total and the efficiency's share.  The uncertainty model is described
 * in docs/energy.md.
 */
#include "core/accounting.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "carbon/intensity.h"
#include "carbon/psu_eff.h"
#include "core/basis.h"
#include "core/log.h"

#define J_PER_KWH 3.6e6
#define DEFAULT_EFF 0.92       /* the original tool's fixed figure */
#define U_REL_MEASURED 0.05    /* measured channel, no stated accuracy */
#define U_REL_ESTIMATED 0.30   /* estimated channel, no stated accuracy */
#define U_EFF_GIVEN 0.01       /* --psu-efficiency: a datasheet figure */
#define U_EFF_CURVE 0.02       /* 80 PLUS minimum vs. real unit */
#define U_EFF_DEFAULT 0.05     /* 0.92 for an unknown supply */

#define UNCERTAINTY_K 2.0     /* the printed band: about 95 % */

struct chan {
    int source;      /* a power or energy channel */
    double energy_j; /* its own integral */
    double time_s;   /* windows with a reading */
    double peak_w;
    int samples;
    double share_j;  /* contribution to the total, after eff and PUE */
    double raw_j;    /* the same windows before scaling */
    double share_d2; /* sum of (duration * scale)^2 for resolution */
};

struct region {
    char *name;
    double energy_j;
};

struct pact__accounting {
    const struct pact_config *cfg;
    const struct pact_channel *ch;
    int nch;
    struct chan *acc;
    struct pact__intensity in;
    struct pact__psu_rating rating;
    int have_rating;
    double pue;

    uint64_t rows, gaps;
    double first_t, duration_s, known_s, energy_j, co2_g, peak_w;
    double cpu_j, gpu_j, dc_j;
    int have_cpu, have_gpu, have_dc, have_other;
    const struct pact__basis *basis; /* set once the probation ends */
    struct pact__basis own;  /* without one: every channel, none dropped */
    int own_ready;
    double *scratch;         /* a copy of the row's values for it */
    uint64_t gap_windows;
    double gap_u_j;        /* gap estimates' uncertainty, added linearly */
    double extra_var_j2;   /* sampling/spread variance, J^2 */
    int warned_series;     /* carbon series does not cover the run */
    char dropped[512];
    double dc_in_psu_j, ac_in_psu_j; /* PSU-basis rows, before PUE */
    double dc_in_wall_j, ac_in_wall_j; /* wall rows that also had DC */
    double u_eff_j;        /* systematic: efficiency's share */
    double unattributed_j; /* total not traced to a channel */
    struct region *reg;
    int nreg;
};

static int is_source(const struct pact_channel *c)
{
    return c->quantity == PACT_Q_POWER_W || c->quantity == PACT_Q_ENERGY_J;
}

int pact__accounting_new(const struct pact_config *cfg,
                         const struct pact_channel *ch, int nch,
                         struct pact__accounting **out, char *why,
                         size_t len)
{
    *out = NULL;
    struct pact__accounting *a = calloc(1, sizeof *a);
    if (!a)
        return -ENOMEM;
    a->cfg = cfg;
    a->ch = ch;
    a->nch = nch > 0 ? nch : 0;
    a->acc = calloc((size_t)(a->nch ? a->nch : 1), sizeof *a->acc);
    if (!a->acc) {
        free(a);
        return -ENOMEM;
    }
    for (int i = 0; i < a->nch; i++) {
        a->acc[i].source = is_source(&ch[i]);
        a->acc[i].peak_w = NAN;
    }
    a->pue = cfg->pue > 0 && isfinite(cfg->pue) ? cfg->pue : 1.0;
    a->peak_w = NAN;
    a->first_t = NAN;
    if (cfg->psu_efficiency < 0 || cfg->psu_efficiency > 1 ||
        isnan(cfg->psu_efficiency)) {
        snprintf(why, len, "bad PSU efficiency %g: give a fraction in "
                 "(0, 1], e.g. --psu-efficiency 0.9", cfg->psu_efficiency);
        pact__accounting_free(a);
        return PACT_EBADCONFIG;
    }
    if (cfg->psu_rating && *cfg->psu_rating) {
        int rc = pact__psu_rating_parse(cfg->psu_rating, &a->rating, why,
                                        len);
        if (rc < 0) {
            pact__accounting_free(a);
            return rc;
        }
        a->have_rating = 1;
        /* "--psu-rating gold": the wattage from the PSU itself, where its
         * driver knows the model, so the curve sees the real load. */
        for (int i = 0; a->rating.rated_w <= 0 && i < a->nch; i++)
            if (ch[i].role == PACT_ROLE_PSU_TOTAL && ch[i].max_power_w > 0)
                a->rating.rated_w = ch[i].max_power_w;
    }
    int rc = pact__intensity_open(cfg, &a->in, why, len);
    if (rc < 0) {
        pact__accounting_free(a);
        return rc;
    }
    *out = a;
    return 0;
}

/* Efficiency for this row's DC power, and its standard uncertainty. */
static double efficiency(const struct pact__accounting *a, double dc_w,
                         double *u_abs)
{
    if (a->cfg->psu_efficiency > 0) {
        *u_abs = U_EFF_GIVEN;
        return a->cfg->psu_efficiency;
    }
    if (a->have_rating) {
        /* Below the curve's lowest point the light-load model adds its
         * own uncertainty (carbon/psu_eff.c). */
        /* Without the wattage the load is unknown: the 50 % point is
         * used, and the band must cover a light load (5 %) too. */
        double ul = pact__psu_eff_light_u(a->rating.level, a->rating.mains_v,
                                          a->rating.rated_w > 0
                                              ? dc_w / a->rating.rated_w
                                              : 0.05);
        *u_abs = sqrt(U_EFF_CURVE * U_EFF_CURVE + ul * ul);
        return pact__psu_eff(&a->rating, dc_w);
    }
    *u_abs = U_EFF_DEFAULT;
    return DEFAULT_EFF;
}

void pact__accounting_set_basis(struct pact__accounting *a,
                                const struct pact__basis *b,
                                const char *dropped)
{
    a->basis = b;
    snprintf(a->dropped, sizeof a->dropped, "%s", dropped ? dropped : "");
}

void pact__accounting_set_dropped(struct pact__accounting *a,
                                  const char *dropped)
{
    snprintf(a->dropped, sizeof a->dropped, "%s", dropped ? dropped : "");
}

static int in_basis(const struct pact__accounting *a, int i)
{
    return a->basis && i < a->basis->nch && a->basis->in_basis[i];
}

/* Relative standard uncertainty of the channels that make up this row's
 * basis power (their errors are independent of each other). */
static double basis_u_rel(const struct pact__accounting *a,
                          const struct pact__row *row)
{
    double var = 0, sum = 0;
    int n = row->nch < a->nch ? row->nch : a->nch;
    for (int i = 0; i < n; i++) {
        double v = row->ch_value ? row->ch_value[i] : NAN;
        if (!in_basis(a, i) || isnan(v))
            continue;
        const struct pact_channel *ch = &a->ch[i];
        double u = ch->accuracy_pct > 0 ? ch->accuracy_pct / 100.0
                   : ch->estimated ? U_REL_ESTIMATED : U_REL_MEASURED;
        /* A counter refreshed every T is up to T stale at each end of
         * its read interval: two uniform errors, T / sqrt(6) in their
         * difference, relative to the interval, which is at least T
         * (shorter windows wait or take the sampled twin).  It
         * telescopes away over the run: only the window carries it. */
        double T = ch->update_period_s;
        double q = ch->quantity == PACT_Q_ENERGY_J && T > 0
                       ? T / sqrt(6.0) /
                             (row->duration_s > T ? row->duration_s : T)
                       : 0;
        var += (u * v) * (u * v) + (q * v) * (q * v);
        sum += v;
    }
    return sum > 0 ? sqrt(var) / sum : U_REL_MEASURED;
}

/* Warn once when the carbon series does not cover [t, t + d]. */
static void check_series(struct pact__accounting *a, double t, double d)
{
    const struct pact__series *s = &a->in.series;
    if (a->warned_series || s->n <= 0)
        return;
    double held;
    if (t < s->t_s[0])
        held = s->g[0];
    else if (t + d > s->t_s[s->n - 1] + 3600.0)
        held = s->g[s->n - 1];
    else
        return;
    a->warned_series = 1;
    pact__log(PACT_LOG_WARN, "the carbon intensity series (unix %.0f .. %.0f "
              "s) does not cover this run (at %.0f): its %s value, %g "
              "g/kWh, is used outside it; give a series that covers the run",
              s->t_s[0], s->t_s[s->n - 1], t,
              t < s->t_s[0] ? "first" : "last", held);
}

static void add_region(struct pact__accounting *a, const char *name,
                       double e)
{
    for (int i = 0; i < a->nreg; i++) {
        if (strcmp(a->reg[i].name, name) == 0) {
            a->reg[i].energy_j += e;
            return;
        }
    }
    struct region *r = realloc(a->reg, (size_t)(a->nreg + 1) * sizeof *r);
    if (!r)
        return;
    a->reg = r;
    r[a->nreg].name = strdup(name);
    if (!r[a->nreg].name)
        return;
    r[a->nreg].energy_j = e;
    a->nreg++;
}

/* Per-channel integrals, and the channels' shares of this row's total. */
static void account_channels(struct pact__accounting *a,
                             const struct pact__row *row, int counted,
                             double scale, double total_j)
{
    int n = row->nch < a->nch ? row->nch : a->nch;
    double d = row->duration_s, traced = 0;

    for (int i = 0; i < n; i++) {
        struct chan *c = &a->acc[i];
        double v = row->ch_value ? row->ch_value[i] : NAN;
        if (!c->source || isnan(v))
            continue;
        c->energy_j += v * d;
        c->time_s += d;
        c->samples++;
        if (isnan(c->peak_w) || v > c->peak_w)
            c->peak_w = v;
        if (counted && in_basis(a, i)) {
            c->share_j += v * d * scale;
            c->raw_j += v * d;
            c->share_d2 += d * scale * d * scale;
            traced += v * d * scale;
        }
    }
    if (counted)
        a->unattributed_j += fabs(total_j - traced);
}

/* Rows from a caller that set no basis (tools, tests) go through one
 * chosen from all channels, none dropped, on a copy of their values. */
static void own_basis(struct pact__accounting *a, struct pact__row *row)
{
    static const unsigned char none[1];
    if (!a->own_ready) {
        unsigned char *no = calloc((size_t)(a->nch ? a->nch : 1), 1);
        a->scratch = calloc((size_t)(a->nch ? a->nch : 1), sizeof(double));
        if (pact__basis_choose(&a->own, a->ch, a->nch, no ? no : none) < 0 ||
            !no || !a->scratch) {
            free(no);
            return;
        }
        free(no);
        a->own_ready = 1;
    }
    int n = row->nch < a->nch ? row->nch : a->nch;
    for (int i = 0; i < n; i++)
        a->scratch[i] = row->ch_value ? row->ch_value[i] : NAN;
    struct pact__row r = *row;
    r.nch = n;
    pact__basis_row(&a->own, &r, a->scratch);
    *row = r;
    row->nch = n;
    row->ch_value = a->scratch;
    a->basis = &a->own;
}

void pact__accounting_add(struct pact__accounting *a, struct pact__row *row)
{
    if (!a->basis || (a->own_ready && a->basis == &a->own))
        own_basis(a, row);
    double d = row->duration_s > 0 ? row->duration_s : 0;
    double p = row->basis_power_w, scale = 1.0, u_rel = 0;
    int kind = a->basis ? a->basis->kind : PACT__BASIS_NONE;

    if (isnan(a->first_t))
        a->first_t = row->unix_start;
    if (kind == PACT__BASIS_NONE)
        p = NAN;
    if (!isnan(p) && kind == PACT__BASIS_PSU_DC) {
        double u_eff, eff = efficiency(a, p, &u_eff);
        double dc = p;
        p = dc / eff;
        scale = 1.0 / eff;
        a->dc_in_psu_j += dc * d;
        a->ac_in_psu_j += p * d;
        /* AC = DC / eff: relative error of eff carries over; the same
         * error applies to every window, so it adds linearly. */
        a->u_eff_j += p * d * a->pue * (u_eff / eff);
        u_rel = u_eff / eff;
    }
    if (kind == PACT__BASIS_WALL && !isnan(row->psu_total_w) &&
        !isnan(row->wall_power_w)) {
        a->dc_in_wall_j += row->psu_total_w * d;
        a->ac_in_wall_j += row->wall_power_w * d;
    }
    if (!isnan(row->cpu_power_w)) {
        a->cpu_j += row->cpu_power_w * d;
        a->have_cpu = 1;
    }
    if (!isnan(row->gpu_power_w)) {
        a->gpu_j += row->gpu_power_w * d;
        a->have_gpu = 1;
    }
    if (!isnan(row->other_power_w))
        a->have_other = 1;
    if (!isnan(row->psu_total_w)) {
        a->dc_j += row->psu_total_w * d;
        a->have_dc = 1;
    }

    a->rows++;
    a->duration_s += d;
    scale *= a->pue;
    if (isnan(p)) {
        a->gaps++;
        /* Said once, in the summary (basis_text), not per window. */
        row->total_power_w = NAN;
        row->total_power_u_w = NAN;
        account_channels(a, row, 0, scale, 0);
    } else {
        p *= a->pue;
        double e = p * d;
        double ub = row->basis_gap ? row->gap_u_rel : basis_u_rel(a, row);
        row->total_power_w = p;
        /* Sampling and spread counters (sources.h), scaled as the basis
         * is; random from window to window, so they add in quadrature
         * over the run. */
        double extra = !row->basis_gap && row->basis_u_extra_w > 0 &&
                               row->basis_power_w > 0
                           ? row->basis_u_extra_w * p / row->basis_power_w
                           : 0;
        row->total_power_u_w =
            sqrt(p * p * (ub * ub + u_rel * u_rel) + extra * extra);
        a->extra_var_j2 += extra * d * extra * d;
        a->known_s += d;
        a->energy_j += e;
        if (row->basis_gap) {
            a->gap_windows++;
            a->gap_u_j += row->gap_u_rel * e;
        }
        if (isnan(a->peak_w) || p > a->peak_w)
            a->peak_w = p;
        check_series(a, row->unix_start, d);
        a->co2_g += p * pact__intensity_integral(&a->in, row->unix_start, d)
                    / J_PER_KWH;
        if (row->region && row->region[0])
            add_region(a, row->region, e);
        /* A gap's estimate is not traced to the channels. */
        account_channels(a, row, !row->basis_gap, scale, e);
    }
    /* Before the first reading the energy is unknown, not 0. */
    int known = a->rows > a->gaps;
    row->energy_cum_j = known ? a->energy_j : NAN;
    row->co2_cum_g = known ? a->co2_g : NAN;
}

double pact__accounting_region_energy(const struct pact__accounting *a,
                                      const char *region)
{
    if (!region)
        return NAN;
    for (int i = 0; i < a->nreg; i++)
        if (strcmp(a->reg[i].name, region) == 0)
            return a->reg[i].energy_j;
    return NAN;
}

/* One standard uncertainty of the total energy (docs/energy.md). */
static double uncertainty(const struct pact__accounting *a)
{
    double var = 0;
    for (int i = 0; i < a->nch; i++) {
        const struct chan *c = &a->acc[i];
        const struct pact_channel *ch = &a->ch[i];
        if (!c->source || c->share_j == 0)
            continue;
        double u_rel = ch->accuracy_pct > 0 ? ch->accuracy_pct / 100.0
                       : ch->estimated ? U_REL_ESTIMATED : U_REL_MEASURED;
        double u_sys = u_rel * fabs(c->share_j);
        double u_res = 0;
        if (ch->resolution > 0) {
            /* A quantum q read by rounding is uniform: q / sqrt(12). */
            double q = ch->resolution / sqrt(12.0);
            if (ch->quantity == PACT_Q_ENERGY_J) {
                /* Counter deltas telescope: only the first and last
                 * readings' rounding is left. */
                double mean_scale = c->raw_j != 0 ? c->share_j / c->raw_j
                                                  : 1.0;
                u_res = q * sqrt(2.0) * fabs(mean_scale);
            } else {
                u_res = q * sqrt(c->share_d2);
            }
        }
        var += u_sys * u_sys + u_res * u_res;
    }
    /* Total not traced to a channel (e.g. a core column without one). */
    double u_un = U_REL_MEASURED * a->unattributed_j;
    var += u_un * u_un + a->u_eff_j * a->u_eff_j + a->gap_u_j * a->gap_u_j +
           a->extra_var_j2;
    return sqrt(var);
}

static void basis_text(const struct pact__accounting *a, char *buf,
                       size_t len)
{
    int kind = a->basis ? a->basis->kind : PACT__BASIS_NONE;
    int n = 0;
    if (kind == PACT__BASIS_WALL) {
        n = a->basis->wall_estimated
                ? snprintf(buf, len, "PSU DC output / its own efficiency "
                           "curve (estimated wall power)")
                : snprintf(buf, len, "wall power (measured)");
    } else if (kind == PACT__BASIS_PSU_DC) {
        if (a->cfg->psu_efficiency > 0)
            n = snprintf(buf, len, "PSU DC output / %.3g (--psu-efficiency)",
                         a->cfg->psu_efficiency);
        else if (a->have_rating)
            n = snprintf(buf, len, "PSU DC output / 80 PLUS %s curve, %d V",
                         pact__psu_level_name(a->rating.level),
                         a->rating.mains_v);
        else
            n = snprintf(buf, len, "PSU DC output / %.2f (default "
                         "efficiency)", DEFAULT_EFF);
    } else if (kind == PACT__BASIS_PSYS) {
        n = snprintf(buf, len, "RAPL platform energy (psys)");
    } else if (kind == PACT__BASIS_COMPONENTS) {
        int est = 0;
        for (int i = 0; i < a->nch && i < a->basis->nch; i++)
            est |= a->basis->in_basis[i] && a->ch[i].estimated;
        n = snprintf(buf, len, "sum of components (%s%s%s%s%s, DC side%s), "
                     "a lower bound",
                     a->have_cpu ? "CPU" : "",
                     a->have_cpu && a->have_gpu ? "+" : "",
                     a->have_gpu ? "GPU" : "",
                     (a->have_cpu || a->have_gpu) && a->have_other ? "+" : "",
                     a->have_other ? "other" : "", est ? ", estimated" : "");
    } else {
        n = snprintf(buf, len, "no power reading");
    }
    if (n >= 0 && (size_t)n < len && a->gap_windows)
        n += snprintf(buf + n, len - (size_t)n, "; %llu gap windows "
                      "estimated", (unsigned long long)a->gap_windows);
    if (n >= 0 && (size_t)n < len && a->gaps && a->rows > a->gaps)
        n += snprintf(buf + n, len - (size_t)n, "; %llu window%s without "
                      "any power reading (no energy)",
                      (unsigned long long)a->gaps, a->gaps == 1 ? "" : "s");
    if (n >= 0 && (size_t)n < len && a->pue != 1.0)
        snprintf(buf + n, len - (size_t)n, " x PUE %.3g", a->pue);
}

void pact__accounting_summary(const struct pact__accounting *a,
                              struct pact_summary *out)
{
    /* No window with a total: energy and CO2 are unknown, not 0. */
    double unknown = a->rows > a->gaps ? 0.0 : NAN;
    memset(out, 0, sizeof *out);
    out->duration_s = a->duration_s;
    out->rows = a->rows;
    out->energy_j = a->energy_j + unknown;
    out->energy_uncertainty_j = UNCERTAINTY_K * uncertainty(a) + unknown;
    out->uncertainty_k = UNCERTAINTY_K;
    int kind = a->basis ? a->basis->kind : PACT__BASIS_NONE;
    snprintf(out->basis, sizeof out->basis, "%s",
             a->basis ? pact__basis_label(a->basis) : pact__basis_name(kind));
    out->basis_lower_bound = kind == PACT__BASIS_COMPONENTS;
    out->gap_windows = a->gap_windows;
    snprintf(out->basis_why, sizeof out->basis_why, "%s",
             a->basis ? a->basis->why : "");
    snprintf(out->dropped_sources, sizeof out->dropped_sources, "%s",
             a->dropped);
    /* Over the windows with a reading (gaps would bias it low). */
    out->avg_power_w = a->known_s > 0 ? a->energy_j / a->known_s : NAN;
    out->peak_power_w = a->peak_w;
    out->co2_g = a->co2_g + unknown;
    double kwh = a->energy_j / J_PER_KWH;
    /* A series: the energy-weighted mean; else the constant itself. */
    out->carbon_intensity_g_per_kwh =
        kwh > 0 && a->in.series.n ? a->co2_g / kwh
                : pact__intensity_at(&a->in, isnan(a->first_t) ? 0
                                                              : a->first_t);
    if (a->ac_in_psu_j > 0)
        out->psu_efficiency = a->dc_in_psu_j / a->ac_in_psu_j;
    else if (a->ac_in_wall_j > 0)
        out->psu_efficiency = a->dc_in_wall_j / a->ac_in_wall_j;
    else
        out->psu_efficiency = NAN;
    out->pue = a->pue;
    out->cpu_energy_j = a->have_cpu ? a->cpu_j : NAN;
    out->gpu_energy_j = a->have_gpu ? a->gpu_j : NAN;
    out->psu_dc_energy_j = a->have_dc ? a->dc_j : NAN;
    basis_text(a, out->total_basis, sizeof out->total_basis);
    snprintf(out->carbon_intensity_source,
             sizeof out->carbon_intensity_source, "%s", a->in.source);
}

/* A source the summary lists: a fallback estimate that never counted
 * (a measurement covered it) is left out. */
static int listed(const struct pact__accounting *a, int k)
{
    return a->acc[k].source &&
           !(a->ch[k].fallback_for && a->acc[k].samples == 0);
}

int pact__accounting_source_count(const struct pact__accounting *a)
{
    int n = 0;
    for (int i = 0; i < a->nch; i++)
        n += listed(a, i);
    return n;
}

int pact__accounting_source_get(const struct pact__accounting *a, int i,
                                struct pact_source_summary *out)
{
    if (i < 0)
        return -EINVAL;
    for (int k = 0; k < a->nch; k++) {
        const struct chan *c = &a->acc[k];
        if (!listed(a, k) || i-- > 0)
            continue;
        memset(out, 0, sizeof *out);
        snprintf(out->name, sizeof out->name, "%s", a->ch[k].name);
        /* A channel that never gave a reading has no energy, not 0 J. */
        out->energy_j = c->samples ? c->energy_j : NAN;
        out->avg_power_w = c->time_s > 0 ? c->energy_j / c->time_s : NAN;
        out->peak_power_w = c->samples ? c->peak_w : NAN;
        out->estimated = a->ch[k].estimated;
        out->samples = c->samples;
        snprintf(out->method, sizeof out->method, "%s", a->ch[k].method);
        return 0;
    }
    return -ENOENT;
}

void pact__accounting_free(struct pact__accounting *a)
{
    if (!a)
        return;
    pact__intensity_release(&a->in);
    for (int i = 0; i < a->nreg; i++)
        free(a->reg[i].name);
    free(a->reg);
    free(a->acc);
    pact__basis_free(&a->own);
    free(a->scratch);
    free(a);
}
