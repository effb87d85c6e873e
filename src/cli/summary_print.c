/* SPDX-License-Identifier: MIT */
/*
 * summary_print.c - formats the tracker's run summary for people (stderr)
 * and for programs (JSON).
 */
#include "cli/summary_print.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static void line_j(const char *label, double j)
{
    if (isnan(j))
        return;
    fprintf(stderr, "  %-22s %12.1f J  (%.6f kWh)\n", label, j, j / 3.6e6);
}

static void print_text(struct pact_tracker *t, const struct pact_summary *sp);
static int write_json(const struct pact_summary *sp, const char *json_path);

int summary_print(struct pact_tracker *t, int text, const char *json_path)
{
    struct pact_summary s;
    if (pact_tracker_summary(t, &s) < 0)
        return 1;
    if (text)
        print_text(t, &s);
    if (!json_path)
        return 0;
    return write_json(&s, json_path);
}

static void print_text(struct pact_tracker *t, const struct pact_summary *sp)
{
    struct pact_summary s = *sp;
    fprintf(stderr, "pact: summary over %.2f s (%llu rows)\n", s.duration_s,
            (unsigned long long)s.rows);
    int n = pact_tracker_source_count(t);
    for (int i = 0; i < n; i++) {
        struct pact_source_summary src;
        if (pact_tracker_source_get(t, i, &src) < 0)
            continue;
        fprintf(stderr, "  %-22s %12.1f J  avg %.2f W  peak %.2f W%s\n",
                src.name, src.energy_j, src.avg_power_w, src.peak_power_w,
                src.estimated ? "  (estimated)" : "");
    }
    line_j("total", s.energy_j);
    fprintf(stderr, "  total basis: %s\n", s.total_basis);
    if (!isnan(s.co2_g))
        fprintf(stderr, "  CO2: %.3f g at %.1f gCO2/kWh (%s)\n", s.co2_g,
                s.carbon_intensity_g_per_kwh, s.carbon_intensity_source);
}

static int write_json(const struct pact_summary *sp, const char *json_path)
{
    struct pact_summary s = *sp;
    FILE *f = fopen(json_path, "w");
    if (!f) {
        fprintf(stderr, "pact: cannot write %s: %s\n", json_path,
                strerror(errno));
        return 1;
    }
    fprintf(f, "{\"duration_s\": %.6f, \"energy_j\": {\"total\": %.6f}, "
            "\"co2_g\": %.6f}\n", s.duration_s, s.energy_j, s.co2_g);
    return fclose(f) == 0 ? 0 : 1;
}
