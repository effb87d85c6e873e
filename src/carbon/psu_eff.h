/* SPDX-License-Identifier: MIT */
/*
 * psu_eff.h - PSU conversion efficiency from the 80 PLUS programme's
 * minimum efficiencies (115 V and 230 V EU internal), interpolated by
 * load, and the parser for --psu-rating ("gold", "gold:850W:230V").
 */
#ifndef PACT_CARBON_PSU_EFF_H
#define PACT_CARBON_PSU_EFF_H

#include <stddef.h>

enum pact__psu_level {
    PACT__PSU_WHITE = 0, /* "80 PLUS" (standard) */
    PACT__PSU_BRONZE,
    PACT__PSU_SILVER,
    PACT__PSU_GOLD,
    PACT__PSU_PLATINUM,
    PACT__PSU_TITANIUM,
    PACT__PSU_NLEVELS,
};

struct pact__psu_rating {
    int level;      /* enum pact__psu_level */
    double rated_w; /* nameplate DC output, W; 0 = unknown */
    int mains_v;    /* 115 or 230: which 80 PLUS table */
};

/* Parse "LEVEL[:WATTS W][:VOLTS V]" (separators ':' ',' '@' or space;
 * case-insensitive; "80plus"/"standard" = white).  Returns 0, or
 * PACT_EBADCONFIG with a one-line reason and fix in why. */
int pact__psu_rating_parse(const char *s, struct pact__psu_rating *out,
                           char *why, size_t len);

/* Level name ("gold"); "?" when out of range. */
const char *pact__psu_level_name(int level);

/* Efficiency (0..1) at load = DC output / rated output (0..), linear
 * between the programme's points, held flat above 100 %, and below the
 * lowest point the light-load model of psu_eff.c (falls with load).
 * NaN for a bad level. */
double pact__psu_eff_at_load(int level, int mains_v, double load);
/* The light-load model's standard uncertainty (absolute, on 0..1) at
 * load; 0 at and above the lowest published point. */
double pact__psu_eff_light_u(int level, int mains_v, double load);

/* Efficiency for a DC output power: load from rated_w, or the 50 % point
 * when the rating's wattage is unknown or dc_w is NaN. */
double pact__psu_eff(const struct pact__psu_rating *r, double dc_w);

#endif
