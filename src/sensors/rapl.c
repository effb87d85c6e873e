/* SPDX-License-Identifier: MIT */
/*
 * rapl.c - CPU package, core, uncore, DRAM and platform energy from RAPL,
 * through the first of three doors that can read it: powercap sysfs, the
 * perf `power` PMU, then the MSRs.  When RAPL exists but no door can read
 * it, the first door that found it declares the columns and they stay
 * empty, with one line saying why and how to fix it.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/path.h"
#include "core/putf.h"
#include "sensors/rapl_door.h"
#include "sensors/sensor.h"

/* What one RAPL zone may draw, as a rating: the largest server CPUs'
 * TDP (AMD EPYC 9005, Intel Xeon 6900P: 500 W).  The core allows twice
 * that (core/plausible.h) and uses it to tell a wrap from a reset and
 * how often a wrapping counter must be read. */
#define RAPL_ZONE_RATED_W 500.0

static const struct pact__rapl_door *const doors[] = {
    &pact__rapl_powercap,
    &pact__rapl_perf,
    &pact__rapl_msr,
};
#define NDOORS (sizeof doors / sizeof doors[0])

/*
 * Scan the doors in order into *out: the first with a readable zone wins;
 * failing that the first that found zones at all (they will read empty).
 * why gets each tried door's clause.  Returns the readable zone count,
 * or < 0: the first zone's error (found but unreadable) or -ENODEV.
 */
static int choose(const char *root, struct pact__rapl_set *out, char *why,
                  size_t len)
{
    struct pact__rapl_set *tmp = malloc(sizeof *tmp);
    if (!tmp)
        return -ENOMEM;
    size_t off = 0;
    int have = 0;
    memset(out, 0, sizeof *out);
    if (len)
        why[0] = '\0';
    for (size_t i = 0; i < NDOORS; i++) {
        char part[512] = "";
        doors[i]->scan(root, tmp, part, sizeof part);
        pact__putf(why, len, &off, "%s%s", off ? "; " : "", part);
        if (tmp->readable > 0) {
            if (have)
                pact__rapl_set_release(out);
            *out = *tmp;
            free(tmp);
            return out->readable;
        }
        if (tmp->n > 0 && !have) {
            *out = *tmp;
            have = 1;
        } else {
            pact__rapl_set_release(tmp);
        }
    }
    free(tmp);
    if (!have)
        return -ENODEV;
    return out->z[0].err < 0 ? out->z[0].err : -EIO;
}

static int rapl_probe(const struct pact_sensor_env *env, char *why, size_t len)
{
    struct pact__rapl_set *set = malloc(sizeof *set);
    if (!set)
        return -ENOMEM;
    int rc = choose(env->sysroot, set, why, len);
    pact__rapl_set_release(set);
    free(set);
    return rc;
}

static int rapl_open(const struct pact_sensor_env *env, void **state,
                     struct pact_channel *ch, int max, char *why, size_t len)
{
    struct pact__rapl_set *set = malloc(sizeof *set);
    *state = set;
    if (!set)
        return -ENOMEM;
    int rc = choose(env->sysroot, set, why, len);
    if (rc == -ENOMEM)
        return rc;
    int n = set->n < max ? set->n : max;
    for (int i = 0; i < n; i++) {
        const struct pact__rapl_zone *z = &set->z[i];
        struct pact_channel *c = &ch[i];
        memset(c, 0, sizeof *c);
        snprintf(c->name, sizeof c->name, "%s", z->column);
        c->quantity = PACT_Q_ENERGY_J;
        c->role = pact__rapl_role(z->kind);
        c->estimated = 0;
        /* The raw counter goes to the core, which unwraps it and reads
         * it often enough to count every wrap (core/counter.h). */
        c->counter_range_j = (double)z->wrap * z->unit_j;
        c->max_power_w = RAPL_ZONE_RATED_W;
        c->fast = 0;
        c->accuracy_pct = 0; /* not stated by the vendors */
        c->resolution = z->unit_j;
    }
    set->n = n;
    return n;
}

static int rapl_read(void *state, int64_t t_ns, struct pact_sample *out, int n,
                     char *why, size_t len)
{
    (void)t_ns;
    struct pact__rapl_set *set = state;
    int nok = 0;
    const struct pact__rapl_zone *bad = NULL;
    for (int i = 0; i < n && i < set->n; i++) {
        struct pact__rapl_zone *z = &set->z[i];
        uint64_t raw;
        int rc = set->door->read_raw(z, &raw);
        if (rc == 0) {
            if (z->err)
                pact__log(PACT_LOG_NOTICE, "rapl: %s readable again", z->label);
            z->err = 0;
            out[i].value = (double)raw * z->unit_j;
            out[i].ok = 1;
            nok++;
        } else {
            /* The core keeps the counter's baseline across the failure. */
            if (rc != z->err)
                pact__log(PACT_LOG_WARN,
                          "rapl: %s (%s): %s; its cell stays "
                          "empty until it comes back",
                          z->label, z->path, strerror(-rc));
            z->err = rc;
            out[i].value = NAN;
            out[i].ok = 0;
            if (!bad)
                bad = z;
        }
    }
    if (nok || !bad)
        return 0;
    size_t off = 0;
    if (len)
        why[0] = '\0';
    if (bad->err == -EACCES || bad->err == -EPERM)
        pact__putf(why, len, &off, "%s: %s: permission denied (%s)",
                       set->door->name, bad->path, set->door->access_fix);
    else
        pact__putf(why, len, &off, "%s: %s: %s", set->door->name, bad->path,
                       strerror(-bad->err));
    return bad->err;
}

static void rapl_close(void *state)
{
    struct pact__rapl_set *set = state;
    if (!set)
        return;
    pact__rapl_set_release(set);
    free(set);
}

const struct pact_sensor_ops pact_sensor_rapl = {
    .abi = PACT_SENSOR_ABI,
    .name = "rapl",
    .probe = rapl_probe,
    .open = rapl_open,
    .read = rapl_read,
    .close = rapl_close,
};
