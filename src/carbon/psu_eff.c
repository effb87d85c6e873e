/* SPDX-License-Identifier: MIT */
/*
 * psu_eff.c - 80 PLUS efficiency curves.  The figures are the programme's
 * published minimum efficiencies for internal (non-redundant) supplies
 * at 10/20/50/100 % of rated load, for 115 V and 230 V EU mains
 * (CLEAResult, "80 PLUS Program" certification levels).  The programme
 * sets no figure at 10 % below Titanium; real supplies do better than
 * the minimum, which the accounting reflects in its uncertainty.
 *
 * Below the lowest published point L0 (efficiency e0) a supply's fixed
 * losses (controller, fan, switching) dominate and efficiency falls with
 * load.  Two bounds: e0 held flat (losses shrinking with load) and the
 * constant-loss model, whose losses stay at their L0 value,
 *     eta_c(L) = L / (L + L0 (1/e0 - 1)),
 * which falls to 0 at no load.  A real supply lies between them: the
 * estimate is their midpoint and its standard uncertainty that of a
 * rectangular distribution over them, half-width / sqrt(3) (GUM 4.3.7).
 * See docs/energy.md.
 */
#include "carbon/psu_eff.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/numfmt.h"
#include "pact/pact.h"

static const double load_pts[4] = { 0.10, 0.20, 0.50, 1.00 };

/* [level][point]; NaN where the programme sets no figure. */
static const double eff_115v[PACT__PSU_NLEVELS][4] = {
    { NAN, 0.80, 0.80, 0.80 }, /* 80 PLUS (white) */
    { NAN, 0.82, 0.85, 0.82 }, /* bronze */
    { NAN, 0.85, 0.88, 0.85 }, /* silver */
    { NAN, 0.87, 0.90, 0.87 }, /* gold */
    { NAN, 0.90, 0.92, 0.89 }, /* platinum */
    { 0.90, 0.92, 0.94, 0.90 }, /* titanium */
};

static const double eff_230v_eu[PACT__PSU_NLEVELS][4] = {
    { NAN, 0.82, 0.85, 0.82 }, /* 80 PLUS (white) */
    { NAN, 0.85, 0.88, 0.85 }, /* bronze */
    { NAN, 0.87, 0.90, 0.87 }, /* silver */
    { NAN, 0.90, 0.92, 0.89 }, /* gold */
    { NAN, 0.92, 0.94, 0.90 }, /* platinum */
    { 0.90, 0.94, 0.96, 0.94 }, /* titanium */
};

static const char *const level_names[PACT__PSU_NLEVELS] = {
    "white", "bronze", "silver", "gold", "platinum", "titanium",
};

const char *pact__psu_level_name(int level)
{
    if (level < 0 || level >= PACT__PSU_NLEVELS)
        return "?";
    return level_names[level];
}

/* The lowest published point of a table: its load and efficiency. */
static void lowest(const double *e, double *l0, double *e0)
{
    int first = isnan(e[0]) ? 1 : 0;
    *l0 = load_pts[first];
    *e0 = e[first];
}

/* Constant-loss efficiency below l0 (see the top of the file). */
static double const_loss(double load, double l0, double e0)
{
    if (load <= 0)
        return 0;
    return load / (load + l0 * (1.0 / e0 - 1.0));
}

double pact__psu_eff_at_load(int level, int mains_v, double load)
{
    if (level < 0 || level >= PACT__PSU_NLEVELS || isnan(load))
        return NAN;
    const double *e = mains_v >= 200 ? eff_230v_eu[level] : eff_115v[level];
    int first = isnan(e[0]) ? 1 : 0;
    double l0, e0;
    lowest(e, &l0, &e0);

    if (load < l0)
        return 0.5 * (e0 + const_loss(load, l0, e0));
    if (load <= load_pts[first])
        return e[first];
    if (load >= load_pts[3])
        return e[3];
    for (int i = first; i < 3; i++) {
        if (load <= load_pts[i + 1]) {
            double f = (load - load_pts[i]) / (load_pts[i + 1] - load_pts[i]);
            return e[i] + f * (e[i + 1] - e[i]);
        }
    }
    return e[3];
}

double pact__psu_eff_light_u(int level, int mains_v, double load)
{
    if (level < 0 || level >= PACT__PSU_NLEVELS || isnan(load))
        return 0;
    const double *e = mains_v >= 200 ? eff_230v_eu[level] : eff_115v[level];
    double l0, e0;
    lowest(e, &l0, &e0);
    if (load >= l0)
        return 0;
    return 0.5 * (e0 - const_loss(load, l0, e0)) / sqrt(3.0);
}

double pact__psu_eff(const struct pact__psu_rating *r, double dc_w)
{
    if (r->rated_w > 0 && !isnan(dc_w) && dc_w >= 0)
        return pact__psu_eff_at_load(r->level, r->mains_v, dc_w / r->rated_w);
    return pact__psu_eff_at_load(r->level, r->mains_v, 0.50);
}

static int level_of(const char *tok)
{
    static const struct {
        const char *name;
        int level;
    } alias[] = {
        { "80plus", PACT__PSU_WHITE }, { "80+", PACT__PSU_WHITE },
        { "standard", PACT__PSU_WHITE }, { "basic", PACT__PSU_WHITE },
    };
    for (int i = 0; i < PACT__PSU_NLEVELS; i++)
        if (strcasecmp(tok, level_names[i]) == 0)
            return i;
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcasecmp(tok, alias[i].name) == 0)
            return alias[i].level;
    /* "80plus-gold", "80+gold" */
    if (strncasecmp(tok, "80plus", 6) == 0 || strncmp(tok, "80+", 3) == 0) {
        const char *rest = tok + (tok[2] == '+' ? 3 : 6);
        while (*rest == '-' || *rest == '_' || *rest == ' ')
            rest++;
        for (int i = 0; i < PACT__PSU_NLEVELS; i++)
            if (strcasecmp(rest, level_names[i]) == 0)
                return i;
    }
    return -1;
}

int pact__psu_rating_parse(const char *s, struct pact__psu_rating *out,
                           char *why, size_t len)
{
    char buf[128], *save = NULL;
    int level = -1;

    out->level = -1;
    out->rated_w = 0;
    out->mains_v = 115;
    if (!s || snprintf(buf, sizeof buf, "%s", s) >= (int)sizeof buf)
        goto bad;
    for (char *tok = strtok_r(buf, ":,@ ", &save); tok;
         tok = strtok_r(NULL, ":,@ ", &save)) {
        char *end;
        if (isdigit((unsigned char)tok[0]) && level_of(tok) < 0) {
            double v = pact__strtod(tok, &end);
            if (!(v > 0) || !isfinite(v))
                goto bad;
            if (*end == 'V' || *end == 'v') {
                if (end[1] || v < 90 || v > 277)
                    goto bad;
                out->mains_v = v >= 180 ? 230 : 115;
            } else if (*end == '\0' || ((*end == 'W' || *end == 'w') &&
                                        end[1] == '\0')) {
                out->rated_w = v;
            } else {
                goto bad;
            }
            continue;
        }
        int l = level_of(tok);
        if (l < 0 || level >= 0)
            goto bad;
        level = l;
    }
    if (level < 0)
        goto bad;
    out->level = level;
    return 0;
bad:
    snprintf(why, len,
             "bad PSU rating '%s': use white, bronze, silver, gold, "
             "platinum or titanium, optionally with the rated power and "
             "mains voltage, e.g. gold:850W:230V",
             s ? s : "(null)");
    return PACT_EBADCONFIG;
}
