/* SPDX-License-Identifier: MIT */
/*
 * hwmon.c - power meters exposed through hwmon: any
 * /sys/class/hwmon/hwmonN with power*_input / power*_average (uW) or
 * energy*_input (uJ), in hwmonN/ or hwmonN/device/ (older drivers, such as
 * acpi_power_meter).  An energy counter is preferred to a power reading of
 * the same index.  corsair-psu is left to the PSU driver and nouveau to
 * NVML; power_meter (ACPI) is wall power, everything else an extra column.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/numfmt.h"
#include "core/path.h"
#include "core/putf.h"
#include "sensors/sensor.h"

#define CLASS "/sys/class/hwmon"
#define MAX_INDEX 32 /* powerY / energyY indices looked at */
#define MAX_DEVICES 64
#define ROOT_ONLY                                                              \
    " (root-only on some CPU energy drivers since PLATYPUS, "                  \
    "CVE-2020-8694; run as root)"

/* What a hwmon device name means to PACT: skipped (read by another
 * PACT driver: same hardware, other column) or the role its power
 * channels feed. */
static const struct {
    const char *name;
    const char *skip; /* why it is skipped, or NULL */
    int role;         /* enum pact_role of its power channels */
} names_table[] = {
    {"corsair-psu", "read by the psu driver", 0},
    {"corsairpsu", "read by the psu driver", 0}, /* the kernel's name */
    {"nouveau", "NVIDIA GPUs are read through NVML", 0},
    {"power_meter", NULL, PACT_ROLE_WALL_POWER}, /* ACPI power meter */
};

static int lookup(const char *name)
{
    for (size_t i = 0; i < sizeof names_table / sizeof names_table[0]; i++)
        if (strcmp(names_table[i].name, name) == 0)
            return (int)i;
    return -1;
}

struct hw_chan {
    char path[256];
    int energy;        /* 1: energyY_input (uJ); 0: power (uW) */
    int err;           /* -errno of the last failed read */
};

struct hw_state {
    int n;
    struct hw_chan c[PACT_MAX_CHANNELS];
};

static void sanitise(char *dst, size_t len, const char *src)
{
    size_t j = 0;
    for (size_t i = 0; src[i] && j + 1 < len; i++) {
        char c = src[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        dst[j++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c : '_';
    }
    dst[j] = '\0';
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The attributes of one device directory, by index. */
struct attrs {
    char energy[MAX_INDEX + 1], input[MAX_INDEX + 1], average[MAX_INDEX + 1];
};

static void list_attrs(const char *dir, struct attrs *a, int which)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        int y, used = 0;
        char *slot = NULL;
        if (sscanf(e->d_name, "energy%d_input%n", &y, &used) == 1 &&
            !e->d_name[used])
            slot = a->energy;
        else if (sscanf(e->d_name, "power%d_input%n", &y, &used) == 1 &&
                 !e->d_name[used])
            slot = a->input;
        else if (sscanf(e->d_name, "power%d_average%n", &y, &used) == 1 &&
                 !e->d_name[used])
            slot = a->average;
        if (slot && y >= 0 && y <= MAX_INDEX && !slot[y])
            slot[y] = (char)which; /* 1: hwmonN/, 2: hwmonN/device/ */
    }
    closedir(d);
}

/* "95.0%" or "95.0" in powerY_accuracy -> relative uncertainty 5 %. */
static double accuracy(const char *dir, int y)
{
    char p[PATH_MAX], buf[32];
    if (snprintf(p, sizeof p, "%s/power%d_accuracy", dir, y) >= (int)sizeof p ||
        pact__read_text(p, buf, sizeof buf) <= 0)
        return 0;
    double v = pact__strtod(buf, NULL);
    return v > 0 && v <= 100 ? 100 - v : 0;
}

/*
 * Find every channel under root.  st and ch may be NULL (probe).  Returns
 * the number of channels (at most max); why lists them, what was skipped,
 * and the first unreadable file.
 */
static int scan(const char *root, struct hw_state *st, struct pact_channel *ch,
                int max, char *why, size_t len)
{
    char base[PATH_MAX];
    size_t off = 0;
    if (len)
        why[0] = '\0';
    pact__path(base, sizeof base, root, CLASS);
    DIR *d = opendir(base);
    if (!d) {
        pact__putf(why, len, &off, "%s: %s (no hwmon devices)", base, strerror(errno));
        return -ENODEV;
    }
    int idx[MAX_DEVICES], ndev = 0;
    struct dirent *e;
    while ((e = readdir(d)) && ndev < MAX_DEVICES) {
        int k, used = 0;
        if (sscanf(e->d_name, "hwmon%d%n", &k, &used) == 1 && !e->d_name[used])
            idx[ndev++] = k;
    }
    closedir(d);
    qsort(idx, (size_t)ndev, sizeof idx[0], cmp_int);

    char names[MAX_DEVICES][32];
    for (int i = 0; i < ndev; i++) {
        char p[PATH_MAX];
        names[i][0] = '\0';
        pact__path(p, sizeof p, root, CLASS "/hwmon%d/name", idx[i]);
        if (pact__read_text(p, names[i], sizeof names[i]) <= 0) {
            pact__path(p, sizeof p, root, CLASS "/hwmon%d/device/name", idx[i]);
            if (pact__read_text(p, names[i], sizeof names[i]) <= 0)
                snprintf(names[i], sizeof names[i], "hwmon%d", idx[i]);
        }
    }

    int n = 0, first_bad = -1, bad_err = 0;
    char bad_path[sizeof((struct hw_chan *)0)->path] = "";
    for (int i = 0; i < ndev; i++) {
        int known = lookup(names[i]);
        const char *why_skip = known >= 0 ? names_table[known].skip : NULL;
        if (why_skip) {
            pact__putf(why, len, &off, "%s%s skipped (%s)", off ? "; " : "", names[i],
                why_skip);
            continue;
        }
        char dir[2][PATH_MAX];
        pact__path(dir[0], sizeof dir[0], root, CLASS "/hwmon%d", idx[i]);
        pact__path(dir[1], sizeof dir[1], root, CLASS "/hwmon%d/device",
                   idx[i]);
        struct attrs a;
        memset(&a, 0, sizeof a);
        list_attrs(dir[0], &a, 1);
        list_attrs(dir[1], &a, 2);

        /* Same driver twice (two GPUs, two meters): number them. */
        int same = 0, nth = 0;
        for (int k = 0; k < ndev; k++)
            if (strcmp(names[k], names[i]) == 0) {
                same++;
                if (k < i)
                    nth++;
            }
        char tag[40], clean[24];
        sanitise(clean, sizeof clean, names[i]);
        if (same > 1)
            snprintf(tag, sizeof tag, "%s%d", clean, nth);
        else
            snprintf(tag, sizeof tag, "%s", clean);
        int role = known >= 0 ? names_table[known].role : PACT_ROLE_NONE;
        int wall = role == PACT_ROLE_WALL_POWER;
        int listed = 0;
        for (int y = 0; y <= MAX_INDEX && n < max; y++) {
            int energy = a.energy[y] != 0;
            int where = energy       ? a.energy[y]
                        : a.input[y] ? a.input[y]
                                     : a.average[y];
            if (!where)
                continue;
            const char *attr = energy       ? "energy%d_input"
                               : a.input[y] ? "power%d_input"
                                            : "power%d_average";
            char file[64], path[sizeof((struct hw_chan *)0)->path];
            snprintf(file, sizeof file, attr, y);
            if (snprintf(path, sizeof path, "%s/%s", dir[where - 1], file) >=
                (int)sizeof path)
                continue;
            char val[64];
            int rc = pact__read_text(path, val, sizeof val);
            if (rc < 0 && first_bad < 0) {
                first_bad = n;
                bad_err = rc;
                snprintf(bad_path, sizeof bad_path, "%s", path);
            }
            if (st) {
                struct hw_chan *c = &st->c[n];
                memset(c, 0, sizeof *c);
                snprintf(c->path, sizeof c->path, "%s", path);
                c->energy = energy;
                c->err = rc < 0 ? rc : 0;
            }
            if (ch) {
                struct pact_channel *c = &ch[n];
                memset(c, 0, sizeof *c);
                char nm[96];
                snprintf(nm, sizeof nm, "hwmon_%s_%s%d_w", tag,
                         energy ? "energy" : "power", y);
                snprintf(c->name, sizeof c->name, "%.*s",
                         (int)sizeof c->name - 1, nm);
                c->quantity = energy ? PACT_Q_ENERGY_J : PACT_Q_POWER_W;
                c->role = role;
                c->estimated = 0;
                /* An instantaneous reading is sampled and integrated by
                 * the core; averages and counters need no help. */
                c->fast = !energy && a.input[y];
                c->accuracy_pct = energy ? 0 : accuracy(dir[where - 1], y);
                c->resolution = 1e-6;
            }
            pact__putf(why, len, &off, "%s%s",
                listed ? ", "
                : off  ? "; "
                       : "",
                listed ? "" : names[i]);
            pact__putf(why, len, &off, "%s%s%s", listed ? "" : ": ", file,
                wall ? " (wall)" : "");
            listed = 1;
            n++;
        }
    }
    if (first_bad >= 0) {
        pact__putf(why, len, &off, "%s%s: %s", off ? "; " : "", bad_path,
            strerror(-bad_err));
        if (bad_err == -EACCES || bad_err == -EPERM)
            pact__putf(why, len, &off, "%s", ROOT_ONLY);
    }
    if (n == 0) {
        pact__putf(why, len, &off,
            "%sno hwmon device with power*_input, "
            "power*_average or energy*_input in %s",
            off ? "; " : "", base);
        return -ENODEV;
    }
    return n;
}

static int hw_probe(const struct pact_sensor_env *env, char *why, size_t len)
{
    return scan(env->sysroot, NULL, NULL, PACT_MAX_CHANNELS, why, len);
}

static int hw_open(const struct pact_sensor_env *env, void **state,
                   struct pact_channel *ch, int max, char *why, size_t len)
{
    struct hw_state *st = calloc(1, sizeof *st);
    *state = st;
    if (!st)
        return -ENOMEM;
    if (max > PACT_MAX_CHANNELS)
        max = PACT_MAX_CHANNELS;
    int n = scan(env->sysroot, st, ch, max, why, len);
    st->n = n > 0 ? n : 0;
    return st->n;
}

static int hw_read(void *state, int64_t t_ns, struct pact_sample *out, int n,
                   char *why, size_t len)
{
    (void)t_ns;
    struct hw_state *st = state;
    int nok = 0;
    const struct hw_chan *bad = NULL;
    for (int i = 0; i < n && i < st->n; i++) {
        struct hw_chan *c = &st->c[i];
        int rc;
        out[i].ok = 0;
        out[i].value = NAN;
        if (c->energy) {
            /* The raw counter: the core unwraps it (core/counter.h). */
            uint64_t raw;
            rc = pact__read_u64(c->path, &raw);
            if (rc == 0)
                out[i].value = (double)raw * 1e-6;
        } else {
            double uw;
            rc = pact__read_double(c->path, &uw);
            if (rc == 0)
                out[i].value = uw * 1e-6;
        }
        if (rc == 0) {
            if (c->err)
                pact__log(PACT_LOG_NOTICE, "hwmon: %s readable again", c->path);
            out[i].ok = 1;
            nok++;
        } else {
            if (rc != c->err)
                pact__log(PACT_LOG_WARN,
                          "hwmon: %s: %s; its cell stays "
                          "empty until it comes back",
                          c->path, strerror(-rc));
            if (!bad)
                bad = c;
        }
        c->err = rc;
    }
    if (nok || !bad)
        return 0;
    if (len)
        snprintf(why, len, "hwmon: %s: %s%s", bad->path, strerror(-bad->err),
                 bad->err == -EACCES || bad->err == -EPERM ? ROOT_ONLY : "");
    return bad->err ? bad->err : -EIO;
}

static void hw_close(void *state)
{
    free(state);
}

const struct pact_sensor_ops pact_sensor_hwmon = {
    .abi = PACT_SENSOR_ABI,
    .name = "hwmon",
    .probe = hw_probe,
    .open = hw_open,
    .read = hw_read,
    .close = hw_close,
};
