/* SPDX-License-Identifier: MIT */
/*
 * psu_corsair.c - power from Corsair HXi/RMi PSUs (HX1500i ...).  Reads
 * the kernel corsair-psu hwmon attributes when that driver is bound,
 * else talks USB HID itself (hidraw, or "unix:PATH" for the emulator).
 * A default sample is two round trips: 0xEE total DC output (the
 * original's Total_PSU_Power(W)) and 0x88 input voltage, from which wall
 * power is estimated with the model's efficiency curve.  --psu-detail
 * adds rails, temperatures and fan (18 round trips).
 */
#include "sensors/psu.h"

#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/path.h"
#include "hid/corsair.h"
#include "hid/corsair_models.h"
#include "hid/discover.h"
#include "hid/psu_link.h"

enum chan_id {
    CH_OUT, CH_VIN, CH_EST,
    CH_R12_V, CH_R12_A, CH_R12_W,
    CH_R5_V, CH_R5_A, CH_R5_W,
    CH_R3_V, CH_R3_A, CH_R3_W,
    CH_TEMP1, CH_TEMP2, CH_FAN,
    CH_COUNT
};

/*
 * Accuracy: Corsair publishes none for its telemetry; 5 % is assumed for
 * readings and 8 % for the curve estimate (liquidctl warns the fits are
 * poor below 10 % load).  Resolutions are the LINEAR11 steps real units
 * use (protocol notes sec. 7.1); hwmon only truncates them further.
 */
static const struct chan_def {
    const char *name;
    int quantity;
    int role;
    int estimated;
    double accuracy_pct;
    double resolution;
    const char *hwmon;   /* kernel corsair-psu attribute */
    double hwmon_scale;  /* attribute unit -> channel unit */
} defs[CH_COUNT] = {
    {"psu_output_w", PACT_Q_POWER_W, PACT_ROLE_PSU_TOTAL, 0, 5, 2.0,
     "power1_input", 1e-6},
    {"psu_input_voltage_v", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 2, 0.5,
     "in0_input", 1e-3},
    {"psu_input_estimated_w", PACT_Q_POWER_W, PACT_ROLE_WALL_POWER, 1, 8, 0,
     NULL, 0},
    {"psu_12v_voltage_v", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 2, 1.0 / 64,
     "in1_input", 1e-3},
    {"psu_12v_current_a", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 5, 0.25,
     "curr2_input", 1e-3},
    {"psu_12v_power_w", PACT_Q_POWER_W, PACT_ROLE_DETAIL_POWER, 0, 5, 2.0,
     "power2_input", 1e-6},
    {"psu_5v_voltage_v", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 2, 1.0 / 64,
     "in2_input", 1e-3},
    {"psu_5v_current_a", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 5, 1.0 / 16,
     "curr3_input", 1e-3},
    {"psu_5v_power_w", PACT_Q_POWER_W, PACT_ROLE_DETAIL_POWER, 0, 5, 0.5,
     "power3_input", 1e-6},
    {"psu_3v3_voltage_v", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 2, 1.0 / 64,
     "in3_input", 1e-3},
    {"psu_3v3_current_a", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 5, 1.0 / 16,
     "curr4_input", 1e-3},
    {"psu_3v3_power_w", PACT_Q_POWER_W, PACT_ROLE_DETAIL_POWER, 0, 5, 0.5,
     "power4_input", 1e-6},
    {"psu_vrm_temp_c", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 0, 0.25,
     "temp1_input", 1e-3},
    {"psu_case_temp_c", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 0, 0.25,
     "temp2_input", 1e-3},
    {"psu_fan_rpm", PACT_Q_VALUE, PACT_ROLE_NONE, 0, 0, 1.0, "fan1_input",
     1.0},
};

struct cs {
    char *sysroot;
    char *forced;      /* --psu-device, or NULL */
    int detail;
    int via_hwmon;     /* 1: kernel attributes, 0: HID */
    char hwmon[4096];  /* hwmon dir, "" when not found */
    char node[256];    /* HID device string in use */
    struct pact__hid *hid;
    struct pact__corsair proto;
    const struct pact__corsair_model *model;
    char who[192];
    int slot[CH_COUNT]; /* channel id -> output index, -1 if absent */
    int nch;
    struct pact__psu_health health;
    int vin_logged;
    unsigned conflicts_seen; /* proto.conflicts already accounted for */
};

/* ---- Discovery ---- */

/* The hwmon dir of a bound corsair-psu driver ("corsairpsu" is the name
 * the kernel registers; "corsair-psu" is the driver's).  0 or -ENOENT. */
static int find_hwmon(const char *sysroot, char *dir, size_t len,
                      uint16_t *pid)
{
    char base[4096];
    if (pact__path(base, sizeof base, sysroot, "/sys/class/hwmon") < 0)
        return -ENOENT;
    DIR *d = opendir(base);
    if (!d)
        return -ENOENT;
    struct dirent *e;
    int found = -ENOENT;
    while ((e = readdir(d)) && found < 0) {
        if (strncmp(e->d_name, "hwmon", 5) != 0)
            continue;
        char p[4096], name[64];
        if (pact__path(p, sizeof p, sysroot, "/sys/class/hwmon/%s/name",
                       e->d_name) < 0 ||
            pact__read_text(p, name, sizeof name) < 0)
            continue;
        if (strcmp(name, "corsairpsu") != 0 && strcmp(name, "corsair-psu") != 0)
            continue;
        if (pact__path(dir, len, sysroot, "/sys/class/hwmon/%s", e->d_name) < 0)
            continue;
        uint16_t bus, vid;
        *pid = 0;
        if (pact__path(p, sizeof p, sysroot, "/sys/class/hwmon/%s/device/uevent",
                       e->d_name) >= 0)
            pact__hid_uevent_ids(p, &bus, &vid, pid);
        found = 0;
    }
    closedir(d);
    return found;
}

static int scan_hid(const char *sysroot, struct pact__hid_dev *dev)
{
    int n;
    const uint16_t *pids = pact__corsair_pids(&n);
    return pact__hid_scan(sysroot, PACT_CORSAIR_VID, pids, n, dev, 1);
}

static void set_who(struct cs *s, const char *where)
{
    snprintf(s->who, sizeof s->who, "Corsair %s (%.160s)",
             s->model ? s->model->name : "PSU", where);
}

/* ---- Connecting ---- */

static void drop(struct cs *s)
{
    pact__hid_close(s->hid);
    s->hid = NULL;
    s->proto.hid = NULL;
}

/* Open spec over HID and initialise.  pid = 0 when unknown. */
static int connect_hid(struct cs *s, const char *spec, uint16_t pid,
                       char *why, size_t len)
{
    int r = pact__hid_open(spec, s->sysroot, &s->hid);
    if (r < 0) {
        pact__psu_open_why(r, spec, PACT_CORSAIR_VID, pid, why, len);
        return r;
    }
    snprintf(s->node, sizeof s->node, "%s", spec);
    s->proto.hid = s->hid;
    s->proto.timeout_ms = PACT_CORSAIR_TIMEOUT_MS;
    /* No kernel driver did it for us: FE 03, once per connection. */
    char model[64] = "";
    r = pact__corsair_init(&s->proto, model, sizeof model);
    if (r < 0) {
        snprintf(why, len, "%s: initialisation (FE 03) failed: %s", spec,
                 pact__psu_err_text(r));
        drop(s);
        return r;
    }
    const struct pact__corsair_model *m =
        pid ? pact__corsair_model_by_pid(pid) : NULL;
    if (!m && !pact__corsair_model_by_string(model)) {
        char s9a[64] = "";
        if (pact__corsair_read_string(&s->proto, PACT_CS_MFR_MODEL, s9a,
                                      sizeof s9a) >= 0)
            snprintf(model, sizeof model, "%s", s9a);
    }
    if (!m)
        m = pact__corsair_model_by_string(model);
    if (m)
        s->model = m;
    s->via_hwmon = 0;
    set_who(s, spec);
    return 0;
}

/* (Re)connect by the configured route.  0 or < 0 with why. */
static int connect_any(struct cs *s, char *why, size_t len)
{
    if (s->forced) {
        uint16_t vid = 0, pid = 0;
        if (strncmp(s->forced, "unix:", 5) != 0)
            pact__hid_node_ids(s->sysroot, s->forced, &vid, &pid);
        return connect_hid(s, s->forced, pid, why, len);
    }
    uint16_t pid = 0;
    if (find_hwmon(s->sysroot, s->hwmon, sizeof s->hwmon, &pid) == 0) {
        s->via_hwmon = 1;
        if (pid && pact__corsair_model_by_pid(pid))
            s->model = pact__corsair_model_by_pid(pid);
        set_who(s, s->hwmon);
        return 0;
    }
    s->hwmon[0] = '\0';
    struct pact__hid_dev dev;
    if (scan_hid(s->sysroot, &dev) <= 0) {
        snprintf(why, len, "no Corsair HXi/RMi PSU found (no hidraw device "
                 "with vendor 1B1C and a known product id, no corsair-psu "
                 "hwmon)");
        return PACT_ENODEVICE;
    }
    return connect_hid(s, dev.spec, dev.pid, why, len);
}

/* ---- Probe ---- */

static int probe(const struct pact_sensor_env *env, char *why, size_t len)
{
    const struct pact_config *cfg = env->cfg;
    int choice = pact__psu_choice(cfg ? cfg->psu : NULL, why, len);
    if (choice < 0)
        return choice;
    if (choice == PACT_PSU_NONE || choice == PACT_PSU_NZXT) {
        snprintf(why, len, "not selected (--psu %s)", cfg->psu);
        return 0;
    }
    const char *forced = cfg && cfg->psu_device && *cfg->psu_device
                             ? cfg->psu_device : NULL;
    const char *root = env->sysroot;
    if (forced) {
        struct pact__psu_id id;
        int r = pact__psu_identify(forced, root, &id);
        if (r < 0) {
            pact__psu_open_why(r, forced, id.vid, id.pid, why, len);
            return r;
        }
        if (id.family != PACT_EMU_CORSAIR) {
            snprintf(why, len, "%s does not answer the Corsair HXi/RMi "
                     "protocol", forced);
            return choice == PACT_PSU_CORSAIR ? PACT_ENODEVICE : 0;
        }
        snprintf(why, len, "Corsair PSU \"%s\" on %s (USB HID, forced by "
                 "--psu-device)", id.model, forced);
        return 1;
    }
    char dir[4096];
    uint16_t pid = 0;
    if (find_hwmon(root, dir, sizeof dir, &pid) == 0) {
        const struct pact__corsair_model *m = pact__corsair_model_by_pid(pid);
        snprintf(why, len, "Corsair %s: kernel corsair-psu driver bound, "
                 "reading its hwmon attributes in %s (no HID traffic)",
                 m ? m->name : "PSU", dir);
        return 1;
    }
    struct pact__hid_dev dev;
    if (scan_hid(root, &dev) > 0) {
        const struct pact__corsair_model *m =
            pact__corsair_model_by_pid(dev.pid);
        struct pact__hid *h;
        int r = pact__hid_open(dev.spec, root, &h);
        if (r < 0) {
            pact__psu_open_why(r, dev.spec, dev.vid, dev.pid, why, len);
            return r;
        }
        pact__hid_close(h);
        snprintf(why, len, "Corsair %s (1B1C:%04X) on %s, read over USB "
                 "HID (no corsair-psu hwmon bound)", m->name, dev.pid,
                 dev.spec);
        return 1;
    }
    snprintf(why, len, "no Corsair HXi/RMi PSU found: no hidraw device with "
             "vendor 1B1C and a known product id (is its USB cable plugged "
             "into a motherboard header?)");
    return choice == PACT_PSU_CORSAIR ? PACT_ENODEVICE : 0;
}

/* ---- Open / close ---- */

static void close_cs(void *state)
{
    struct cs *s = state;
    if (!s)
        return;
    drop(s);
    free(s->sysroot);
    free(s->forced);
    free(s);
}

static int open_cs(const struct pact_sensor_env *env, void **state,
                   struct pact_channel *ch, int max, char *why, size_t len)
{
    *state = NULL;
    const struct pact_config *cfg = env->cfg;
    int choice = pact__psu_choice(cfg ? cfg->psu : NULL, why, len);
    if (choice < 0)
        return choice;
    if (choice == PACT_PSU_NONE || choice == PACT_PSU_NZXT) {
        snprintf(why, len, "not selected (--psu %s)", cfg->psu);
        return 0;
    }
    const char *forced = cfg->psu_device && *cfg->psu_device
                             ? cfg->psu_device : NULL;
    if (forced && choice == PACT_PSU_AUTO) {
        struct pact__psu_id id;
        int r = pact__psu_identify(forced, env->sysroot, &id);
        if (r < 0) {
            /* The user named this device: running without it is not
             * what they asked for. */
            pact__psu_open_why(r, forced, id.vid, id.pid, why, len);
            return PACT_EBADCONFIG;
        }
        if (id.family != PACT_EMU_CORSAIR) {
            snprintf(why, len, "%s does not answer the Corsair HXi/RMi "
                     "protocol", forced);
            return 0;
        }
    }
    struct cs *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->sysroot = strdup(env->sysroot ? env->sysroot : "");
    if (cfg->psu_device && *cfg->psu_device)
        s->forced = strdup(cfg->psu_device);
    s->detail = cfg->psu_detail;
    if (!s->sysroot || (cfg->psu_device && *cfg->psu_device && !s->forced)) {
        close_cs(s);
        return -ENOMEM;
    }
    int r = connect_any(s, why, len);
    if (r < 0) {
        close_cs(s);
        /* A device the user named (--psu-device) that does not answer
         * stops the run before it starts.  A PSU merely not found is
         * not fatal, even with --psu corsair (the original's default is
         * PSU="Corsair_1500i"): the tracker notes why, and the total
         * falls back to the other sources. */
        if (forced)
            return PACT_EBADCONFIG;
        return r == PACT_ENODEVICE && choice == PACT_PSU_AUTO ? 0 : r;
    }
    for (int i = 0; i < CH_COUNT; i++)
        s->slot[i] = -1;
    for (int i = 0; i < CH_COUNT; i++) {
        if (i == CH_EST && !(s->model && s->model->has_curve))
            continue;
        if (i > CH_EST && !s->detail)
            continue;
        if (s->nch >= max)
            break;
        struct pact_channel *c = &ch[s->nch];
        memset(c, 0, sizeof *c);
        snprintf(c->name, sizeof c->name, "%s", defs[i].name);
        c->quantity = defs[i].quantity;
        c->role = defs[i].role;
        /* An efficiency the user gave (--psu-efficiency, --psu-rating)
         * wins over the curve: the estimate stays a plain column. */
        if (i == CH_EST && (cfg->psu_efficiency > 0 ||
                            (cfg->psu_rating && *cfg->psu_rating)))
            c->role = PACT_ROLE_NONE;
        c->estimated = defs[i].estimated;
        c->accuracy_pct = defs[i].accuracy_pct;
        c->resolution = defs[i].resolution;
        /* Power is instantaneous: the core samples and integrates it;
         * the model's rating bounds what is plausible. */
        c->fast = c->quantity == PACT_Q_POWER_W;
        if (c->quantity == PACT_Q_POWER_W && s->model && s->model->rated_w)
            c->max_power_w = s->model->rated_w;
        s->slot[i] = s->nch++;
    }
    if (s->via_hwmon)
        pact__log(PACT_LOG_NOTICE, "psu: %s: kernel corsair-psu driver "
                  "bound; reading its hwmon attributes", s->who);
    else
        pact__log(PACT_LOG_NOTICE, "psu: %s: reading over USB HID, %d round "
                  "trips per sample", s->who, s->detail ? 18 : 2);
    if (s->slot[CH_EST] < 0)
        pact__log(PACT_LOG_NOTICE, "psu: %s: no efficiency curve for this "
                  "model; wall power is not estimated from it", s->who);
    *state = s;
    return s->nch;
}

/* ---- Reading ---- */

/* Errors that end a sample's burst: everything but "not supported".  A
 * mismatch (PACT_EPROTO) already waited out the timeout for our reply. */
static int fatal(int r)
{
    return r < 0 && r != -EOPNOTSUPP;
}

/* One LINEAR11 read into channel id; keeps the first error in *first. */
static int rd(struct cs *s, struct pact_sample *out, int id, uint8_t cmd,
              int *first)
{
    double v;
    int r = pact__corsair_read_linear(&s->proto, cmd, &v);
    if (r == 0)
        pact__psu_put(out, s->slot, id, v);
    else if (*first == 0 && r != -EOPNOTSUPP)
        *first = r;
    if (r == -EOPNOTSUPP && id == CH_VIN && !s->vin_logged) {
        s->vin_logged = 1;
        pact__log(PACT_LOG_WARN, "psu: %s does not report its input "
                  "voltage (0x88); wall power cannot be estimated", s->who);
    }
    return r;
}

static int read_hid(struct cs *s, struct pact_sample *out)
{
    int first = 0, r;
    r = pact__hid_drain(s->hid);
    if (r < 0)
        return r;
    r = rd(s, out, CH_OUT, PACT_CS_TOTAL_OUT, &first);
    if (fatal(r))
        return r;
    r = rd(s, out, CH_VIN, PACT_CS_VIN, &first);
    if (fatal(r))
        return first;
    if (!s->detail)
        return first;
    static const int rails[3][3] = {
        {CH_R12_V, CH_R12_A, CH_R12_W},
        {CH_R5_V, CH_R5_A, CH_R5_W},
        {CH_R3_V, CH_R3_A, CH_R3_W},
    };
    static const uint8_t cmds[3] = {PACT_CS_VOUT, PACT_CS_IOUT, PACT_CS_POUT};
    for (int rail = 0; rail < 3; rail++) {
        r = pact__corsair_select_rail(&s->proto, rail);
        if (r < 0) {
            if (!first)
                first = r;
            if (fatal(r))
                return first;
            continue; /* page unknown: skip this rail's readings */
        }
        for (int k = 0; k < 3; k++)
            if (fatal(rd(s, out, rails[rail][k], cmds[k], &first)))
                return first;
    }
    /* Leave page 0 selected, as liquidctl does. */
    r = pact__corsair_select_rail(&s->proto, PACT_CS_RAIL_12V);
    if (fatal(r))
        return first ? first : r;
    if (fatal(rd(s, out, CH_TEMP1, PACT_CS_TEMP1, &first)) ||
        fatal(rd(s, out, CH_TEMP2, PACT_CS_TEMP2, &first)))
        return first;
    rd(s, out, CH_FAN, PACT_CS_FAN_RPM, &first);
    return first;
}

static int read_hwmon(struct cs *s, struct pact_sample *out)
{
    int first = 0;
    for (int id = 0; id < CH_COUNT; id++) {
        if (s->slot[id] < 0 || !defs[id].hwmon)
            continue;
        char p[4200];
        double v;
        int r = pact__path(p, sizeof p, "", "%s/%s", s->hwmon, defs[id].hwmon);
        if (r >= 0)
            r = pact__read_double(p, &v);
        if (r == 0) {
            pact__psu_put(out, s->slot, id,
                          v * defs[id].hwmon_scale);
            continue;
        }
        if (!first && (id == CH_OUT || id == CH_VIN))
            first = r;
        if (id == CH_OUT && (r == -ENOENT || r == -ENODEV || r == -EIO))
            return -ENODEV; /* the hwmon device went away */
    }
    return first;
}

static int read_cs(void *state, int64_t t_ns, struct pact_sample *out, int n,
                   char *why, size_t len)
{
    (void)t_ns;
    struct cs *s = state;
    for (int i = 0; i < n; i++) {
        out[i].value = 0;
        out[i].ok = 0;
    }
    int r = 0, conn_failed = 0;
    if (!s->hid && !s->via_hwmon && (r = connect_any(s, why, len)) < 0)
        conn_failed = 1;
    /* Still gone: the same words as when it went, so the tracker logs the
     * unplug once, not once more per reconnect attempt.  Permission
     * problems keep their own message (it holds the fix). */
    if (conn_failed && r != -EACCES && r != -EPERM) {
        r = -ENODEV;
        conn_failed = 0;
    }
    if (r == 0)
        r = s->via_hwmon ? read_hwmon(s, out) : read_hid(s, out);
    if (r == -ENODEV) {
        /* Unplugged: re-open (or re-discover) on the next read. */
        drop(s);
        s->via_hwmon = 0;
    }
    int ok_out = s->slot[CH_OUT] >= 0 && out[s->slot[CH_OUT]].ok;
    int ok_vin = s->slot[CH_VIN] >= 0 && out[s->slot[CH_VIN]].ok;
    if (s->slot[CH_EST] >= 0 && ok_out && ok_vin) {
        double pin;
        if (pact__corsair_input_estimate(s->model,
                                         out[s->slot[CH_OUT]].value,
                                         out[s->slot[CH_VIN]].value,
                                         &pin) == 0)
            pact__psu_put(out, s->slot, CH_EST, pin);
    }
    if (r < 0 && !conn_failed)
        snprintf(why, len, "%s: %s", s->who, pact__psu_err_text(r));
    int any = 0;
    for (int i = 0; i < n; i++)
        any |= out[i].ok;
    return pact__psu_read_done(&s->health, s->who, r, any, !s->via_hwmon,
                               s->proto.conflicts, &s->conflicts_seen, why,
                               len);
}

const struct pact_sensor_ops pact_sensor_psu_corsair = {
    .abi = PACT_SENSOR_ABI,
    .name = "psu_corsair",
    .probe = probe,
    .open = open_cs,
    .read = read_cs,
    .close = close_cs,
};
