/* SPDX-License-Identifier: MIT */
/*
 * summary_json.c - the run summary as one JSON object (--summary-json).
 * Keys: duration_s, rows, energy_j {total, <source>...}, energy_kwh,
 * energy_uncertainty_j, avg_power_w, peak_power_w, sources {...},
 * cpu/gpu/psu_dc energies, total_basis, co2_g, carbon intensity and its
 * source, psu_efficiency, pue, equivalents.  Unknown numbers are null.
 */
#include "output/summary.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "core/numfmt.h"

static void str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void number(FILE *f, double v)
{
    char buf[32];
    if (isfinite(v)) {
        /* Shortest of %.15g / %.17g that reads back exactly. */
        snprintf(buf, sizeof buf, "%.15g", v);
        if (pact__strtod(buf, NULL) != v)
            snprintf(buf, sizeof buf, "%.17g", v);
        fputs(buf, f);
    } else
        fputs("null", f);
}

/* ", "key": value */
static void key_num(FILE *f, const char *key, double v)
{
    fputs(", ", f);
    str(f, key);
    fputs(": ", f);
    number(f, v);
}

/* "name: why" lines as [{"name": ..., "why": ...}, ...]. */
static void dropped(FILE *f, const char *lines)
{
    fputs(", \"dropped_sources\": [", f);
    const char *p = lines;
    int first = 1;
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char line[512], *sep;
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        sep = strstr(line, ": ");
        if (sep)
            *sep = '\0';
        fputs(first ? "{\"name\": " : ", {\"name\": ", f);
        str(f, line);
        fputs(", \"why\": ", f);
        str(f, sep ? sep + 2 : "");
        fputc('}', f);
        first = 0;
        p = nl ? nl + 1 : NULL;
    }
    fputc(']', f);
}

static int summary_json_c(FILE *f, const struct pact_summary *s,
                          const struct pact_source_summary *src, int nsrc,
                          const char *command, const char *host)
{
    fputc('{', f);
    if (command) {
        fputs("\"command\": ", f);
        str(f, command);
        fputs(", ", f);
    }
    if (host) {
        fputs("\"host\": ", f);
        str(f, host);
        fputs(", ", f);
    }
    fputs("\"duration_s\": ", f);
    number(f, s->duration_s);
    fprintf(f, ", \"rows\": %llu", (unsigned long long)s->rows);

    fputs(", \"energy_j\": {\"total\": ", f);
    number(f, s->energy_j);
    for (int i = 0; i < nsrc; i++)
        key_num(f, src[i].name, src[i].energy_j);
    fputc('}', f);
    key_num(f, "energy_kwh", s->energy_j / 3.6e6);
    key_num(f, "energy_uncertainty_j", s->energy_uncertainty_j);
    key_num(f, "avg_power_w", s->avg_power_w);
    key_num(f, "peak_power_w", s->peak_power_w);

    fputs(", \"sources\": {", f);
    for (int i = 0; i < nsrc; i++) {
        fputs(i ? ", " : "", f);
        str(f, src[i].name);
        fputs(": {\"energy_j\": ", f);
        number(f, src[i].energy_j);
        key_num(f, "avg_power_w", src[i].avg_power_w);
        key_num(f, "peak_power_w", src[i].peak_power_w);
        fprintf(f, ", \"estimated\": %s, \"samples\": %d}",
                src[i].estimated ? "true" : "false", src[i].samples);
    }
    fputc('}', f);
    key_num(f, "cpu_energy_j", s->cpu_energy_j);
    key_num(f, "gpu_energy_j", s->gpu_energy_j);
    key_num(f, "psu_dc_energy_j", s->psu_dc_energy_j);
    key_num(f, "predicted_energy_j", s->predicted_energy_j);
    fprintf(f, ", \"wall_clock_jumps\": %u", s->wall_clock_jumps);
    key_num(f, "wall_clock_jump_s", s->wall_clock_jump_s);
    fputs(", \"total_basis\": ", f);
    str(f, s->total_basis);
    fputs(", \"basis\": ", f);
    str(f, s->basis[0] ? s->basis : "none");
    fprintf(f, ", \"basis_lower_bound\": %s",
            s->basis_lower_bound ? "true" : "false");
    fputs(", \"basis_why\": ", f);
    str(f, s->basis_why);
    key_num(f, "uncertainty_k", s->uncertainty_k);
    fprintf(f, ", \"gap_windows\": %llu",
            (unsigned long long)s->gap_windows);
    dropped(f, s->dropped_sources);

    key_num(f, "co2_g", s->co2_g);
    key_num(f, "carbon_intensity_g_per_kwh", s->carbon_intensity_g_per_kwh);
    fputs(", \"carbon_intensity_source\": ", f);
    str(f, s->carbon_intensity_source);
    key_num(f, "psu_efficiency", s->psu_efficiency);
    key_num(f, "pue", s->pue);
    fputs(", \"equivalents\": {\"car_km\": ", f);
    number(f, s->co2_g / PACT__CAR_G_PER_MILE * PACT__M_PER_MILE / 1000);
    key_num(f, "smartphone_charges", s->co2_g / PACT__PHONE_G_PER_CHARGE);
    fputs("}}\n", f);
    return ferror(f) ? -EIO : 0;
}

/* Numbers in the C locale whatever the host program set. */
int pact__summary_json(FILE *f, const struct pact_summary *s,
                       const struct pact_source_summary *src, int nsrc)
{
    return pact__summary_json_run(f, s, src, nsrc, NULL, NULL);
}

int pact__summary_json_run(FILE *f, const struct pact_summary *s,
                           const struct pact_source_summary *src, int nsrc,
                           const char *command, const char *host)
{
    locale_t old = pact__c_locale_push();
    int rc = summary_json_c(f, s, src, nsrc, command, host);
    pact__c_locale_pop(old);
    return rc;
}
