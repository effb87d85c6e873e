/* SPDX-License-Identifier: MIT */
/*
 * intensity.c - picks the carbon intensity for a run in the order of
 * precedence documented in docs/carbon.md and writes a one-line origin
 * for the summary.  It never guesses silently: every assumption (time
 * zone, world average, a table hole) is stated in the origin.
 */
#include "carbon/intensity.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "carbon/country.h"
#include "core/datafile.h"
#include "core/log.h"
#include "core/path.h"

#define TABLE "carbon_intensity_by_country.csv"

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void world(struct pact__intensity *in, const char *why)
{
    in->g_per_kwh = PACT__WORLD_G_PER_KWH;
    snprintf(in->source, sizeof in->source,
             "world average %.0f g/kWh (%.90s)", PACT__WORLD_G_PER_KWH, why);
    pact__log(PACT_LOG_NOTICE, "carbon intensity: %s; set --country or "
              "--carbon-intensity", in->source);
}

/* The table row for code; origin says how the country was chosen. */
static int from_country(const struct pact_config *cfg, const char *code,
                        const char *origin, struct pact__intensity *in,
                        char *why, size_t len)
{
    char path[4096], note[64];
    struct pact__country c;

    if (pact__data_path(cfg, TABLE, path, sizeof path) < 0) {
        snprintf(why, len, "cannot find %s (looked in %s); set "
                 "PACT_DATA_DIR or pass --carbon-intensity", TABLE, path);
        return -ENOENT;
    }
    int rc = pact__country_lookup(path, code, &c, why, len);
    if (rc < 0)
        return rc;
    if (isnan(c.g_per_kwh)) {
        snprintf(note, sizeof note, "table has no figure for %s", c.iso2);
        world(in, note);
        return 0;
    }
    in->g_per_kwh = c.g_per_kwh;
    snprintf(in->source, sizeof in->source,
             "%s (%s) %d average, Our World in Data/Ember; %s", c.name,
             c.iso2, c.year, origin);
    return 0;
}

int pact__intensity_open(const struct pact_config *cfg,
                         struct pact__intensity *in, char *why, size_t len)
{
    memset(in, 0, sizeof *in);
    in->g_per_kwh = NAN;
    if (cfg->carbon_intensity >= 0) {
        if (!isfinite(cfg->carbon_intensity)) {
            snprintf(why, len, "bad carbon intensity: give g/kWh >= 0, "
                     "e.g. --carbon-intensity 400");
            return PACT_EBADCONFIG;
        }
        in->g_per_kwh = cfg->carbon_intensity;
        snprintf(in->source, sizeof in->source,
                 "constant %g g/kWh (--carbon-intensity)",
                 cfg->carbon_intensity);
        return 0;
    }
    if (cfg->intensity_file && *cfg->intensity_file) {
        int rc = pact__series_load(cfg->intensity_file, &in->series, why,
                                   len);
        if (rc < 0)
            return rc;
        snprintf(in->source, sizeof in->source,
                 "time series %s (%d points)",
                 base_name(cfg->intensity_file), in->series.n);
        if (cfg->country && *cfg->country)
            pact__log(PACT_LOG_NOTICE, "--intensity-file given: "
                      "--country %s ignored", cfg->country);
        return 0;
    }
    if (cfg->country && *cfg->country)
        return from_country(cfg, cfg->country, "from --country", in, why,
                            len);

    char zone[256], cc[3], origin[300];
    const char *root = pact__sysroot(cfg->sysroot);
    if (pact__tz_country(root, zone, sizeof zone, cc) < 0) {
        if (zone[0])
            snprintf(origin, sizeof origin, "time zone %s names no country",
                     zone);
        else
            snprintf(origin, sizeof origin, "no time zone found");
        world(in, origin);
        return 0;
    }
    snprintf(origin, sizeof origin, "assumed from time zone %s", zone);
    int rc = from_country(cfg, cc, origin, in, why, len);
    if (rc == -ENOENT) {
        /* A zone1970.tab code the table lacks (e.g. AQ): not the user's
         * mistake, so fall back rather than fail. */
        snprintf(origin, sizeof origin, "no figure for %s of time zone %s",
                 cc, zone);
        world(in, origin);
        return 0;
    }
    if (rc == 0)
        pact__log(PACT_LOG_NOTICE, "carbon intensity: %s; set --country "
                  "if the machine is elsewhere", in->source);
    return rc;
}

double pact__intensity_integral(const struct pact__intensity *in, double t0,
                                double dur_s)
{
    if (in->series.n)
        return pact__series_integral(&in->series, t0, dur_s);
    return in->g_per_kwh * dur_s;
}

double pact__intensity_at(const struct pact__intensity *in, double t)
{
    if (in->series.n)
        return pact__series_at(&in->series, t);
    return in->g_per_kwh;
}

void pact__intensity_release(struct pact__intensity *in)
{
    if (in)
        pact__series_release(&in->series);
}
