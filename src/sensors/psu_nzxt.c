/* SPDX-License-Identifier: MIT */
/*
 * psu_nzxt.c - power from NZXT E-series PSUs (E500, E650, E850) over USB
 * HID (hidraw, or "unix:PATH" for the emulator).  The PSU reports no
 * total: like the original's NZXT_850 mode, Total_PSU_Power(W) is the sum
 * of READ_POUT on the five pages (+12V peripherals, +12V EPS/ATX12V,
 * +12V motherboard/PCI-e, +5V, +3.3V), each also its own column: five
 * round trips per sample.  --psu-detail adds per-page volts and amps,
 * temperature and fan.  There is no kernel driver and no wall estimate.
 */
#include "sensors/psu.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "hid/discover.h"
#include "hid/nzxt.h"
#include "hid/psu_link.h"

#define NP PACT_NZXT_PAGES

enum chan_id {
    CH_OUT,
    CH_W0, /* + page: rail power */
    CH_V0 = CH_W0 + NP,
    CH_A0 = CH_V0 + NP,
    CH_TEMP = CH_A0 + NP,
    CH_FAN,
    CH_COUNT
};

static const char *const page_key[NP] = {
    "12v_peripheral", "12v_eps", "12v_pcie", "5v", "3v3",
};

struct nz {
    char *sysroot;
    char *forced;
    int detail;
    struct pact__hid *hid;
    struct pact__nzxt proto;
    const struct pact__nzxt_model *model;
    char who[192];
    int slot[CH_COUNT];
    int nch;
    int vexp[NP]; /* VOUT_MODE exponent per page; INT_MIN = unread */
    struct pact__psu_health health;
    int zero_logged;
    unsigned strays_seen; /* proto.strays already accounted for */
};

static int scan(const char *sysroot, struct pact__hid_dev *dev)
{
    int n;
    const uint16_t *pids = pact__nzxt_pids(&n);
    return pact__hid_scan(sysroot, PACT_NZXT_VID, pids, n, dev, 1);
}

/* Is the configured PSU choice ours?  0 = not selected (why says so),
 * 1 = yes; < 0 bad value.  *choice gets the parsed value. */
static int selected(const struct pact_config *cfg, int *choice, char *why,
                    size_t len)
{
    *choice = pact__psu_choice(cfg ? cfg->psu : NULL, why, len);
    if (*choice < 0)
        return *choice;
    if (*choice == PACT_PSU_NONE || *choice == PACT_PSU_CORSAIR) {
        snprintf(why, len, "not selected (--psu %s)", cfg->psu);
        return 0;
    }
    return 1;
}

static const char *forced_dev(const struct pact_config *cfg)
{
    return cfg && cfg->psu_device && *cfg->psu_device ? cfg->psu_device
                                                      : NULL;
}

/* With a forced device and --psu auto: is it an NZXT?  1, 0, or < 0. */
static int forced_is_nzxt(const char *dev, const char *root, char *why,
                          size_t len)
{
    struct pact__psu_id id;
    int r = pact__psu_identify(dev, root, &id);
    if (r < 0) {
        pact__psu_open_why(r, dev, id.vid, id.pid, why, len);
        return r;
    }
    if (id.family != PACT_EMU_NZXT) {
        snprintf(why, len, "%s does not answer the NZXT E-series protocol",
                 dev);
        return 0;
    }
    return 1;
}

static int probe(const struct pact_sensor_env *env, char *why, size_t len)
{
    int choice;
    int r = selected(env->cfg, &choice, why, len);
    if (r <= 0)
        return r;
    const char *dev = forced_dev(env->cfg);
    if (dev) {
        if (choice == PACT_PSU_AUTO)
            return forced_is_nzxt(dev, env->sysroot, why, len);
        snprintf(why, len, "NZXT E-series PSU on %s (forced by "
                 "--psu-device)", dev);
        return 1;
    }
    struct pact__hid_dev d;
    if (scan(env->sysroot, &d) > 0) {
        struct pact__hid *h;
        r = pact__hid_open(d.spec, env->sysroot, &h);
        if (r < 0) {
            pact__psu_open_why(r, d.spec, d.vid, d.pid, why, len);
            return r;
        }
        pact__hid_close(h);
        snprintf(why, len, "NZXT %s (7793:%04X) on %s, read over USB HID",
                 pact__nzxt_model_by_pid(d.pid)->name, d.pid, d.spec);
        return 1;
    }
    snprintf(why, len, "no NZXT E-series PSU found: no hidraw device with "
             "vendor 7793 and product 5911, 5912 or 2500 (is its USB cable "
             "plugged into a motherboard header?)");
    return choice == PACT_PSU_NZXT ? PACT_ENODEVICE : 0;
}

static void drop(struct nz *s)
{
    pact__hid_close(s->hid);
    s->hid = NULL;
    s->proto.hid = NULL;
}

static int connect_nz(struct nz *s, char *why, size_t len)
{
    const char *spec = s->forced;
    uint16_t pid = 0, vid = 0;
    struct pact__hid_dev d;
    if (spec) {
        if (strncmp(spec, "unix:", 5) != 0)
            pact__hid_node_ids(s->sysroot, spec, &vid, &pid);
    } else {
        if (scan(s->sysroot, &d) <= 0) {
            snprintf(why, len, "no NZXT E-series PSU found");
            return PACT_ENODEVICE;
        }
        spec = d.spec;
        pid = d.pid;
    }
    int r = pact__hid_open(spec, s->sysroot, &s->hid);
    if (r < 0) {
        pact__psu_open_why(r, spec, PACT_NZXT_VID, pid, why, len);
        return r;
    }
    s->proto.hid = s->hid;
    s->proto.timeout_ms = PACT_NZXT_TIMEOUT_MS;
    s->proto.pause_us = PACT_NZXT_PAUSE_US;
    if (pid)
        s->model = pact__nzxt_model_by_pid(pid);
    snprintf(s->who, sizeof s->who, "NZXT %s (%.160s)",
             s->model ? s->model->name : "E-series", spec);
    for (int p = 0; p < NP; p++)
        s->vexp[p] = INT_MIN; /* a replugged unit may differ */
    return 0;
}

static void close_nz(void *state)
{
    struct nz *s = state;
    if (!s)
        return;
    drop(s);
    free(s->sysroot);
    free(s->forced);
    free(s);
}

static void add(struct nz *s, struct pact_channel *ch, int max, int id,
                const char *name, int quantity, int role, double acc)
{
    if (s->nch >= max)
        return;
    struct pact_channel *c = &ch[s->nch];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->quantity = quantity;
    c->role = role;
    c->accuracy_pct = acc;
    c->resolution = 0; /* LINEAR11 step grows with the value */
    /* Power is instantaneous: the core samples and integrates it; the
     * model's rating bounds what is plausible (and gives the load the
     * efficiency curve needs when --psu-rating names no wattage). */
    c->fast = quantity == PACT_Q_POWER_W;
    if (quantity == PACT_Q_POWER_W && s->model && s->model->rated_w)
        c->max_power_w = s->model->rated_w;
    s->slot[id] = s->nch++;
}

static void declare(struct nz *s, struct pact_channel *ch, int max)
{
    char n[PACT_CHANNEL_NAME];
    for (int i = 0; i < CH_COUNT; i++)
        s->slot[i] = -1;
    /* 5 % assumed: the PSU's telemetry accuracy is not published. */
    add(s, ch, max, CH_OUT, "psu_output_w", PACT_Q_POWER_W,
        PACT_ROLE_PSU_TOTAL, 5);
    for (int p = 0; p < NP; p++) {
        snprintf(n, sizeof n, "psu_%s_power_w", page_key[p]);
        add(s, ch, max, CH_W0 + p, n, PACT_Q_POWER_W, PACT_ROLE_DETAIL_POWER,
            5);
    }
    if (!s->detail)
        return;
    for (int p = 0; p < NP; p++) {
        snprintf(n, sizeof n, "psu_%s_voltage_v", page_key[p]);
        add(s, ch, max, CH_V0 + p, n, PACT_Q_VALUE, PACT_ROLE_NONE, 2);
        snprintf(n, sizeof n, "psu_%s_current_a", page_key[p]);
        add(s, ch, max, CH_A0 + p, n, PACT_Q_VALUE, PACT_ROLE_NONE, 5);
    }
    add(s, ch, max, CH_TEMP, "psu_case_temp_c", PACT_Q_VALUE, PACT_ROLE_NONE,
        0);
    add(s, ch, max, CH_FAN, "psu_fan_rpm", PACT_Q_VALUE, PACT_ROLE_NONE, 0);
}

static int open_nz(const struct pact_sensor_env *env, void **state,
                   struct pact_channel *ch, int max, char *why, size_t len)
{
    *state = NULL;
    int choice;
    int r = selected(env->cfg, &choice, why, len);
    if (r <= 0)
        return r;
    const char *dev = forced_dev(env->cfg);
    if (dev && choice == PACT_PSU_AUTO &&
        (r = forced_is_nzxt(dev, env->sysroot, why, len)) <= 0)
        return r < 0 ? PACT_EBADCONFIG : 0; /* a named device is missing */
    struct nz *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->sysroot = strdup(env->sysroot ? env->sysroot : "");
    s->forced = dev ? strdup(dev) : NULL;
    s->detail = env->cfg->psu_detail;
    if (!s->sysroot || (dev && !s->forced)) {
        close_nz(s);
        return -ENOMEM;
    }
    r = connect_nz(s, why, len);
    if (r < 0) {
        close_nz(s);
        /* A named device (--psu-device) must answer; a PSU not found is
         * only noted (see psu_corsair.c). */
        if (dev)
            return PACT_EBADCONFIG;
        return r == PACT_ENODEVICE && choice == PACT_PSU_AUTO ? 0 : r;
    }
    /* No initialisation exists for these units; the firmware read proves
     * the bridge answers and names the firmware in the log. */
    char fw[16] = "?";
    r = pact__nzxt_read_fw(&s->proto, fw, sizeof fw);
    if (r < 0 && r != PACT_EPROTO) {
        snprintf(why, len, "%s: firmware read failed: %s", s->who,
                 pact__psu_err_text(r));
        close_nz(s);
        return dev ? PACT_EBADCONFIG : r;
    }
    /* A named device that floods (not a PSU) stops the run here, before
     * the workload, not at the first sample. */
    if (dev && (r = pact__hid_drain(s->hid)) == -EOVERFLOW) {
        snprintf(why, len, "%s: %s", s->who, pact__psu_err_text(r));
        close_nz(s);
        return PACT_EBADCONFIG;
    }
    declare(s, ch, max);
    pact__log(PACT_LOG_NOTICE, "psu: %s, firmware %s: reading %d rail "
              "powers over USB HID, %d round trips per sample", s->who, fw,
              NP, s->detail ? 5 + 5 * 2 + 5 + 2 : 5);
    *state = s;
    return s->nch;
}

/* Errors that end a sample's burst: a dead, gone or foreign-talking PSU
 * (each already waited out the timeout).  Busy pages (after 3 attempts)
 * only empty their own cell. */
static int fatal(int r)
{
    return r == -ETIMEDOUT || r == -ENODEV || r == PACT_EPROTO;
}

static int read_pages(struct nz *s, struct pact_sample *out)
{
    int first = 0, r;
    double sum = 0, w[NP];
    int nok = 0, nzero = 0;
    for (int p = 0; p < NP; p++) {
        r = pact__nzxt_read_linear(&s->proto, p, PACT_NZ_POUT, &w[p]);
        if (r < 0) {
            if (!first)
                first = r;
            if (fatal(r))
                return first;
            continue;
        }
        pact__psu_put(out, s->slot, CH_W0 + p, w[p]);
        sum += w[p];
        nok++;
        nzero += w[p] == 0;
    }
    if (nok == NP && nzero == NP) {
        /* liquidctl #96: a unit answering 0 W on every page while its
         * voltages look normal.  Not a measurement of a running PC. */
        if (!s->zero_logged++)
            pact__log(PACT_LOG_WARN, "psu: %s reports 0 W on all five "
                      "rails; Total_PSU_Power(W) left empty while it does "
                      "(this unit may not measure output power)", s->who);
    } else if (nok == NP) {
        pact__psu_put(out, s->slot, CH_OUT, sum);
    }
    if (!s->detail)
        return first;
    for (int p = 0; p < NP; p++) {
        double v;
        r = pact__nzxt_read_vout(&s->proto, p, &s->vexp[p], &v);
        if (r == 0)
            pact__psu_put(out, s->slot, CH_V0 + p, v);
        else if (fatal(r))
            return first ? first : r;
        r = pact__nzxt_read_linear(&s->proto, p, PACT_NZ_IOUT, &v);
        if (r == 0)
            pact__psu_put(out, s->slot, CH_A0 + p, v);
        else if (fatal(r))
            return first ? first : r;
    }
    double v;
    r = pact__nzxt_read_linear(&s->proto, -1, PACT_NZ_TEMP2, &v);
    if (r == 0)
        pact__psu_put(out, s->slot, CH_TEMP, v);
    else if (fatal(r))
        return first ? first : r;
    if (pact__nzxt_read_linear(&s->proto, -1, PACT_NZ_FAN_RPM, &v) == 0)
        pact__psu_put(out, s->slot, CH_FAN, v);
    return first;
}

static int read_nz(void *state, int64_t t_ns, struct pact_sample *out, int n,
                   char *why, size_t len)
{
    (void)t_ns;
    struct nz *s = state;
    for (int i = 0; i < n; i++) {
        out[i].value = 0;
        out[i].ok = 0;
    }
    int r = 0, conn_failed = 0;
    if (!s->hid && (r = connect_nz(s, why, len)) < 0)
        conn_failed = 1;
    /* Still gone: the same words as when it went, so the tracker logs the
     * unplug once, not once more per reconnect attempt.  Permission
     * problems keep their own message (it holds the fix). */
    if (conn_failed && r != -EACCES && r != -EPERM) {
        r = -ENODEV;
        conn_failed = 0;
    }
    if (r == 0) {
        r = pact__hid_drain(s->hid);
        if (r >= 0)
            r = read_pages(s, out);
    }
    if (r == -ENODEV)
        drop(s); /* unplugged: re-open or re-discover next time */
    if (r < 0 && !conn_failed)
        snprintf(why, len, "%s: %s", s->who, pact__psu_err_text(r));
    int any = 0;
    for (int i = 0; i < n; i++)
        any |= out[i].ok;
    return pact__psu_read_done(&s->health, s->who, r, any, 1,
                               s->proto.strays, &s->strays_seen, why, len);
}

const struct pact_sensor_ops pact_sensor_psu_nzxt = {
    .abi = PACT_SENSOR_ABI,
    .name = "psu_nzxt",
    .probe = probe,
    .open = open_nz,
    .read = read_nz,
    .close = close_nz,
};
