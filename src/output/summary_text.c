/* SPDX-License-Identifier: MIT */
/*
 * summary_text.c - the run summary people read on stderr: duration,
 * energy per source and in total (J and kWh) with its uncertainty, power,
 * what "total" means, PSU efficiency and PUE, CO2 with the intensity and
 * its origin, and the CO2 as car distance and phone charges.
 */
#include "output/summary.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "core/numfmt.h"

#define J_PER_KWH 3.6e6

/* "12.3 W" or "-" when unknown. */
static const char *num(char *buf, size_t len, const char *fmt, double v)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, fmt, v);
    return buf;
}

/* A distance in the unit that reads best. */
static void distance(char *buf, size_t len, double m)
{
    if (m >= 1000)
        snprintf(buf, len, "%.2f km", m / 1000);
    else if (m >= 0.01)
        snprintf(buf, len, "%.2f m", m);
    else
        snprintf(buf, len, "%.2f mm", m * 1000);
}

static int summary_text_c(FILE *f, const struct pact_summary *s,
                       const struct pact_source_summary *src, int nsrc)
{
    char a[32], b[32], c[32], d[32];

    fprintf(f, "pact: summary: %.2f s, %llu windows\n", s->duration_s,
            (unsigned long long)s->rows);
    if (s->wall_clock_jumps)
        fprintf(f, "  wall clock: %u jump%s, %+.3f s in all (suspend or "
                "clock step); unix_time follows it, durations do not\n",
                s->wall_clock_jumps, s->wall_clock_jumps == 1 ? "" : "s",
                s->wall_clock_jump_s);
    if (nsrc > 0)
        fprintf(f, "  %-26s %12s %12s %9s %9s\n", "source", "energy J",
                "kWh", "avg W", "peak W");
    for (int i = 0; i < nsrc; i++) {
        const struct pact_source_summary *p = &src[i];
        fprintf(f, "  %-26s %12s %12s %9s %9s%s%s%s%s\n", p->name,
                num(a, sizeof a, "%.1f", p->energy_j),
                num(b, sizeof b, "%.6f", p->energy_j / J_PER_KWH),
                num(c, sizeof c, "%.2f", p->avg_power_w),
                num(d, sizeof d, "%.2f", p->peak_power_w),
                p->estimated ? "  (estimated)" : "",
                p->method[0] ? "  [" : "", p->method,
                p->method[0] ? "]" : "");
    }
    if (isnan(s->energy_j)) {
        fprintf(f, "  total: unknown, %s (run 'pact list' to see why)\n",
                s->total_basis);
        fprintf(f, "  CO2: unknown; intensity %.0f g/kWh (%s)\n",
                s->carbon_intensity_g_per_kwh, s->carbon_intensity_source);
        return ferror(f) ? -EIO : 0;
    }
    double rel = s->energy_j > 0 ? 100.0 * s->energy_uncertainty_j /
                                       s->energy_j
                                 : 0;
    if (s->basis_lower_bound)
        fprintf(f, "  total: >= %.1f J (a lower bound%s), %.6f kWh; avg %s W, "
                "peak %s W\n", s->energy_j,
                strstr(s->total_basis, "estimated") ? ", estimated" : "",
                s->energy_j / J_PER_KWH,
                num(a, sizeof a, "%.2f", s->avg_power_w),
                num(b, sizeof b, "%.2f", s->peak_power_w));
    else
        fprintf(f, "  total: %.1f \u00b1 %.1f J (%.1f %%, k=%g), %.6f kWh; "
                "avg %s W, peak %s W\n", s->energy_j,
                s->energy_uncertainty_j, rel, s->uncertainty_k,
                s->energy_j / J_PER_KWH,
                num(a, sizeof a, "%.2f", s->avg_power_w),
                num(b, sizeof b, "%.2f", s->peak_power_w));
    fprintf(f, "  total is: %s\n", s->total_basis);
    if (s->basis_why[0])
        fprintf(f, "  basis %s: %s\n", s->basis, s->basis_why);
    if (s->gap_windows)
        fprintf(f, "  %llu window%s without a basis reading: estimated "
                "(basis_gap column), uncertainty widened\n",
                (unsigned long long)s->gap_windows,
                s->gap_windows == 1 ? "" : "s");
    for (const char *p = s->dropped_sources; *p;) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(f, "  dropped: %.*s\n", n, p);
        p = nl ? nl + 1 : p + n;
    }
    if (!isnan(s->predicted_energy_j))
        fprintf(f, "  model-predicted total: %.1f J (%.6f kWh)\n",
                s->predicted_energy_j, s->predicted_energy_j / J_PER_KWH);
    if (!isnan(s->psu_efficiency))
        fprintf(f, "  PSU efficiency %.3f, PUE %.2f\n", s->psu_efficiency,
                s->pue);
    else
        fprintf(f, "  PSU efficiency not applied, PUE %.2f\n", s->pue);
    fprintf(f, "  CO2: %.4g g at %.1f g/kWh (%s)\n", s->co2_g,
            s->carbon_intensity_g_per_kwh, s->carbon_intensity_source);
    double car_m = s->co2_g / PACT__CAR_G_PER_MILE * PACT__M_PER_MILE;
    distance(a, sizeof a, car_m);
    fprintf(f, "  = driving %s in an average car (EPA: %.0f g/mile), or "
            "%.3g smartphone charges (EPA: %.2f g each)\n", a,
            PACT__CAR_G_PER_MILE, s->co2_g / PACT__PHONE_G_PER_CHARGE,
            PACT__PHONE_G_PER_CHARGE);
    return ferror(f) ? -EIO : 0;
}

/* Numbers in the C locale whatever the host program set. */
int pact__summary_text(FILE *f, const struct pact_summary *s,
                       const struct pact_source_summary *src, int nsrc)
{
    locale_t old = pact__c_locale_push();
    int rc = summary_text_c(f, s, src, nsrc);
    pact__c_locale_pop(old);
    return rc;
}
