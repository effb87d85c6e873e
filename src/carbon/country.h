/* SPDX-License-Identifier: MIT */
/*
 * country.h - the grid carbon-intensity table by country
 * (data/carbon_intensity_by_country.csv) and the machine's country
 * guessed from its time zone (zone1970.tab / zone.tab).
 */
#ifndef PACT_CARBON_COUNTRY_H
#define PACT_CARBON_COUNTRY_H

#include <stddef.h>

/* World average life-cycle intensity, g/kWh, used when no country is
 * known (CodeCarbon's compilation of OWID/Ember figures; data/README). */
#define PACT__WORLD_G_PER_KWH 475.0

struct pact__country {
    char iso2[3];
    char iso3[4];
    char name[64];
    double g_per_kwh; /* NaN when the table has no usable figure (0) */
    int year;
};

/*
 * Look code up (ISO alpha-2 or alpha-3, or the English name; any case)
 * in the CSV at path.  Returns 0, -ENOENT with a one-line message in why
 * that says how to find the code (and close names, if any), or another
 * < 0 (unreadable file, PACT_EFORMAT) with the reason.
 */
int pact__country_lookup(const char *path, const char *code,
                         struct pact__country *out, char *why, size_t len);

/*
 * The country of the machine's time zone: $TZ if set, else the target
 * of <sysroot>/etc/localtime, else <sysroot>/etc/timezone, mapped
 * through <sysroot>/usr/share/zoneinfo/zone1970.tab (first code on the
 * line: tzdb lists the most populous country first), else zone.tab.
 * Writes the zone name into zone (may be "" if none) and the alpha-2
 * code into cc.  Returns 0, or -ENOENT (no zone, or a zone without a
 * country such as Etc/UTC).
 */
int pact__tz_country(const char *sysroot, char *zone, size_t zlen,
                     char cc[3]);

#endif
