/* SPDX-License-Identifier: MIT */
/*
 * scan.c - the single pass over a run CSV (see scan.h).  Columns are
 * recognised by the names pact writes: total_power_w is the basis total;
 * rapl_packageN_w, rapl_dramN_w, gpuN_power_w and the *_estimated_w
 * estimates are parts that add up; psu_output_w, psu_input_estimated_w,
 * rapl_psys*_w and the original's Total_PSU_Power(W) read the whole
 * system.  A CSV with only the original tool's 12 columns has no
 * total_power_w: the total is then the PSU reading where there is one,
 * else the sum of the RAPL and GPU columns.
 */
#include "report/scan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/rcsv.h"

static int add(struct pact__scan *sc, const char *name, int col, int role,
               int gpu)
{
    if (sc->ns == PACT__SCAN_MAXS) {
        sc->cols_dropped++;
        return -1;
    }
    struct pact__sser *s = &sc->s[sc->ns];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->col = col;
    s->role = role;
    s->gpu = gpu;
    s->min = INFINITY;
    s->max = -INFINITY;
    s->estimated = strstr(name, "estimated") != NULL;
    s->ecol = -1;
    s->elast = NAN;
    return sc->ns++;
}

static int ends(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* Role of a pact channel column, or -1 when it is not a power column. */
static int channel_role(const char *n, int *gpu)
{
    unsigned k;
    char rest[64];
    *gpu = -1;
    if (sscanf(n, "gpu%u_%63s", &k, rest) == 2) {
        *gpu = (int)k;
        if (!strcmp(rest, "power_w"))
            return PACT__R_PART;
        if (!strcmp(rest, "util_sm") || !strcmp(rest, "util_mem") ||
            !strcmp(rest, "temp_c") || !strcmp(rest, "sm_clock_mhz") ||
            !strcmp(rest, "mem_used_mib"))
            return PACT__R_GPU;
        if (ends(rest, "_w"))
            return PACT__R_DETAIL;
        return -1;
    }
    if (!strncmp(n, "rapl_psys", 9) || !strcmp(n, "psu_output_w") ||
        !strcmp(n, "psu_input_estimated_w") || !strncmp(n, "wall", 4))
        return ends(n, "_w") ? PACT__R_WHOLE : -1;
    if ((!strncmp(n, "rapl_package", 12) || !strncmp(n, "rapl_dram", 9)) &&
        ends(n, "_w"))
        return PACT__R_PART;
    if (!strcmp(n, "cpu_estimated_w") || !strcmp(n, "memory_estimated_w"))
        return PACT__R_PART;
    if (ends(n, "_w") && strcmp(n, "total_power_w") &&
        strcmp(n, "total_power_u_w"))
        return PACT__R_DETAIL;
    return -1;
}

struct cols {
    int unix_t, dur, total, gap, mode, region, host, co2, energy, psu, rapl,
        nvsmi, runpct;
};

static int classify(struct pact__scan *sc, struct pact__rcsv *c, struct cols *k)
{
    int n = pact__rcsv_ncols(c), has_rapl_ch = 0, has_gpu_ch = 0;
    k->unix_t = pact__rcsv_col(c, "unix_time");
    k->dur = pact__rcsv_col(c, "duration(s)");
    k->total = pact__rcsv_col(c, "total_power_w");
    k->gap = pact__rcsv_col(c, "basis_gap");
    sc->has_gap_col = k->gap >= 0;
    k->mode = pact__rcsv_col(c, "counter_mode");
    k->region = pact__rcsv_col(c, "region");
    k->host = pact__rcsv_col(c, "host");
    if (k->host < 0)
        k->host = pact__rcsv_col(c, "node");
    k->co2 = pact__rcsv_col(c, "co2_g");
    k->energy = pact__rcsv_col(c, "energy_j");
    k->psu = pact__rcsv_col(c, "Total_PSU_Power(W)");
    k->rapl = pact__rcsv_col(c, "Intel_RAPL_Power(W)");
    k->nvsmi = pact__rcsv_col(c, "Nvidia_SMI_Power(W)");
    k->runpct = pact__rcsv_col(c, "counter_running_pct");
    sc->has_unix = k->unix_t >= 0;
    int job = pact__rcsv_col(c, "job_power_w");
    if (job >= 0) { /* pact merge: the job total and a column per node */
        sc->job = 1;
        k->total = job;
        k->energy = pact__rcsv_col(c, "job_energy_j");
        k->co2 = pact__rcsv_col(c, "job_co2_g");
        sc->total = add(sc, "total", job, PACT__R_TOTAL, -1);
        for (int i = 0; i < n; i++) {
            const char *name = pact__rcsv_name(c, i);
            size_t l = strlen(name);
            if (i != job && l > 8 && ends(name, "_power_w")) {
                char node[96];
                snprintf(node, sizeof node, "%.*s", (int)(l - 8), name);
                int k2 = add(sc, node, i, PACT__R_NODE, -1);
                char ecol[128];
                snprintf(ecol, sizeof ecol, "%s_energy_j", node);
                if (k2 >= 0)
                    sc->s[k2].ecol = pact__rcsv_col(c, ecol);
            }
        }
        return 0;
    }
    sc->total = add(sc, "total", k->total, PACT__R_TOTAL, -1);
    sc->total_derived = k->total < 0;
    int gpuutil = pact__rcsv_col(c, "GPU_Util_Memory(%)");
    int ctr_end = k->unix_t >= 0 ? k->unix_t : n;
    for (int i = 0; i < n; i++) {
        const char *name = pact__rcsv_name(c, i);
        int gpu, role = channel_role(name, &gpu);
        if (gpuutil >= 0 && i > gpuutil && i < ctr_end)
            add(sc, name, i, PACT__R_COUNTER, -1);
        else if (role >= 0) {
            add(sc, name, i, role, gpu);
            has_rapl_ch |= !strncmp(name, "rapl_", 5);
            has_gpu_ch |= gpu >= 0;
            sc->has_channels = 1;
        } else if (!strcmp(name, "Predicted_Total_Power(W)"))
            add(sc, "predicted", i, PACT__R_PRED, -1);
        else if (!strcmp(name, "counter_running_pct"))
            add(sc, name, i, PACT__R_RUNPCT, -1);
        else if (!strcmp(name, "total_power_u_w"))
            add(sc, name, i, PACT__R_UNC, -1);
    }
    /* The original's columns, named for what they hold, when the file
     * has nothing better (pact's own CSVs repeat them as channels). */
    if (sc->has_channels || k->total >= 0)
        k->psu = k->rapl = k->nvsmi = -1;
    if (k->psu >= 0)
        add(sc, "psu_total (Total_PSU_Power)", k->psu, PACT__R_WHOLE, -1);
    if (k->rapl >= 0 && !has_rapl_ch)
        add(sc, "cpu_rapl (Intel_RAPL_Power)", k->rapl, PACT__R_PART, -1);
    if (k->nvsmi >= 0 && !has_gpu_ch)
        add(sc, "gpu (Nvidia_SMI_Power)", k->nvsmi, PACT__R_PART, -2);
    if (!has_gpu_ch && k->nvsmi >= 0) {
        int a = pact__rcsv_col(c, "GPU_Util_SM(%)");
        if (a >= 0)
            add(sc, "gpu_util_sm (GPU_Util_SM)", a, PACT__R_GPU, -2);
        if (gpuutil >= 0)
            add(sc, "gpu_util_mem (GPU_Util_Memory)", gpuutil, PACT__R_GPU, -2);
    }
    sc->original12 = n == 12 && k->unix_t < 0;
    int power = k->total >= 0;
    for (int i = 0; i < sc->ns; i++)
        power |=
            sc->s[i].role == PACT__R_PART || sc->s[i].role == PACT__R_WHOLE;
    return power ? 0 : -1;
}

static void span_add(struct pact__span **list, int *n, int *dropped, double t0,
                     double t1, const char *label)
{
    /* Consecutive windows continue a span: the next one starts where the
     * last ended, give or take clock jitter (half a window allowed). */
    if (*n > 0 && !strcmp((*list)[*n - 1].label, label) &&
        (*list)[*n - 1].t1 >= t0 - fmax(1e-6, 0.5 * (t1 - t0))) {
        (*list)[*n - 1].t1 = t1;
        return;
    }
    if (*n >= 2000) {
        (*dropped)++;
        return;
    }
    struct pact__span *l = realloc(*list, (size_t)(*n + 1) * sizeof *l);
    if (!l)
        return;
    *list = l;
    l[*n].t0 = t0;
    l[*n].t1 = t1;
    snprintf(l[*n].label, sizeof l->label, "%s", label);
    (*n)++;
}

static void bin_merge(struct pact__scan *sc)
{
    int ns = sc->ns;
    for (int b = 0; b < sc->nb / 2; b++) {
        int a = 2 * b, c = 2 * b + 1;
        sc->bt0[b] = sc->bt0[a];
        sc->bt1[b] = sc->bt1[c];
        sc->bgap[b] = sc->bgap[a] | sc->bgap[c];
        sc->brows[b] = sc->brows[a] + sc->brows[c];
        for (int i = 0; i < ns; i++) {
            size_t o = (size_t)b * ns + i, p = (size_t)a * ns + i,
                   q = (size_t)c * ns + i;
            sc->vd[o] = sc->vd[p] + sc->vd[q];
            sc->dd[o] = sc->dd[p] + sc->dd[q];
            sc->mn[o] = fmin(sc->mn[p], sc->mn[q]);
            sc->mx[o] = fmax(sc->mx[p], sc->mx[q]);
        }
    }
    sc->nb /= 2;
    sc->group *= 2;
}

static void bin_new(struct pact__scan *sc, double t0)
{
    if (sc->nb == sc->cap)
        bin_merge(sc);
    int b = sc->nb++, ns = sc->ns;
    sc->bt0[b] = sc->bt1[b] = t0;
    sc->bgap[b] = 0;
    sc->brows[b] = 0;
    for (int i = 0; i < ns; i++) {
        size_t o = (size_t)b * ns + i;
        sc->vd[o] = sc->dd[o] = 0;
        sc->mn[o] = INFINITY;
        sc->mx[o] = -INFINITY;
    }
    sc->in_bin = 0;
}

static int scan(struct pact__scan *sc, const char *path, int bins,
                const char *host, char *why, size_t len)
{
    memset(sc, 0, sizeof *sc);
    snprintf(sc->path, sizeof sc->path, "%s", path);
    sc->co2_last = sc->energy_last = NAN;
    sc->dur_min = INFINITY;
    sc->dur_max = -INFINITY;
    struct pact__rcsv *c;
    int err = pact__rcsv_open(path, &c, why, len);
    if (err < 0)
        return err;
    struct cols k;
    if (classify(sc, c, &k) < 0) {
        snprintf(why, len,
                 "%s: no power column (total_power_w, Total_PSU_Power(W), "
                 "Intel_RAPL_Power(W), rapl_*_w, gpuN_power_w ...); give a "
                 "CSV written by pact run or pact stress",
                 path);
        pact__rcsv_close(c);
        return -EINVAL;
    }
    int ns = sc->ns;
    sc->cap = 2 * (bins > 8 ? bins : 8);
    size_t cells = (size_t)sc->cap * ns;
    sc->bt0 = malloc(sc->cap * sizeof *sc->bt0);
    sc->bt1 = malloc(sc->cap * sizeof *sc->bt1);
    sc->bgap = malloc(sc->cap);
    sc->brows = malloc(sc->cap * sizeof *sc->brows);
    sc->vd = malloc(cells * sizeof(double));
    sc->dd = malloc(cells * sizeof(double));
    sc->mn = malloc(cells * sizeof(double));
    sc->mx = malloc(cells * sizeof(double));
    if (!sc->bt0 || !sc->bt1 || !sc->bgap || !sc->brows || !sc->vd || !sc->dd ||
        !sc->mn || !sc->mx) {
        pact__rcsv_close(c);
        snprintf(why, len, "out of memory");
        return -ENOMEM;
    }
    sc->group = 1;
    char **f, region[96] = "";
    double t0 = NAN, tcum = 0, *v = malloc(ns * sizeof *v);
    if (!v) {
        pact__rcsv_close(c);
        return -ENOMEM;
    }
    int r;
    while ((r = pact__rcsv_next(c, &f, why, len)) > 0) {
        if (k.host >= 0) {
            int seen = 0;
            for (int h = 0; h < sc->nhosts; h++)
                seen |= !strcmp(sc->hosts[h], f[k.host]);
            if (!seen && sc->nhosts < 16 && f[k.host][0])
                snprintf(sc->hosts[sc->nhosts++], sizeof sc->hosts[0], "%s",
                         f[k.host]);
            if (host && strcmp(f[k.host], host))
                continue;
        }
        double d = k.dur >= 0 ? pact__rcsv_num(f[k.dur]) : NAN;
        double tu = k.unix_t >= 0 ? pact__rcsv_num(f[k.unix_t]) : NAN;
        if (!isfinite(d) || d < 0)
            d = 0;
        if (isnan(t0))
            t0 = isfinite(tu) ? tu : 0;
        double t = isfinite(tu) ? tu - t0 : tcum;
        tcum = t + d;
        if (isfinite(tu)) {
            if (sc->rows == 0)
                sc->t_start = tu;
            sc->t_end = tu + d;
        }
        if (sc->rows++) { /* the previous window: not the last */
            double p = sc->dur_pending, delta = p - sc->dur_mean;
            sc->ndur++;
            sc->dur_mean += delta / (double)sc->ndur;
            sc->dur_m2 += delta * (p - sc->dur_mean);
            sc->dur_min = fmin(sc->dur_min, p);
            sc->dur_max = fmax(sc->dur_max, p);
        }
        sc->dur_pending = d;
        double parts = 0;
        int nparts = 0;
        for (int i = 0; i < ns; i++) {
            struct pact__sser *s = &sc->s[i];
            v[i] = s->col >= 0 ? pact__rcsv_num(f[s->col]) : NAN;
            if (s->role == PACT__R_COUNTER)
                v[i] = d > 0 ? v[i] / d : NAN;
            if (s->role == PACT__R_PART && isfinite(v[i])) {
                parts += v[i];
                nparts++;
            }
        }
        if (sc->total_derived) { /* PSU where read, else the parts */
            double psu = k.psu >= 0 ? pact__rcsv_num(f[k.psu]) : NAN;
            v[sc->total] = isfinite(psu) ? psu : nparts ? parts : NAN;
        }
        if (!isfinite(v[sc->total]))
            sc->total_empty++;
        int gap = k.gap >= 0 && pact__rcsv_num(f[k.gap]) == 1;
        sc->gap_rows += gap;
        if (gap)
            span_add(&sc->gap, &sc->ngap, &sc->gap_dropped, t, t + d, "gap");
        if (k.region >= 0 && f[k.region][0]) {
            snprintf(region, sizeof region, "%s", f[k.region]);
            span_add(&sc->reg, &sc->nreg, &sc->reg_dropped, t, t + d, region);
        }
        if (k.mode >= 0 && f[k.mode][0])
            snprintf(sc->counter_mode, sizeof sc->counter_mode, "%s",
                     f[k.mode]);
        if (nparts && isfinite(v[sc->total]) && !sc->total_derived) {
            double u = v[sc->total] - parts;
            sc->un_vd += u * d;
            sc->un_d += d;
            sc->un_max = fmax(sc->un_max, u);
        }
        for (int i = 0; sc->job && i < ns; i++)
            if (sc->s[i].ecol >= 0) {
                double x = pact__rcsv_num(f[sc->s[i].ecol]);
                if (isfinite(x))
                    sc->s[i].elast = x;
            }
        if (k.co2 >= 0) {
            double x = pact__rcsv_num(f[k.co2]);
            if (isfinite(x))
                sc->co2_last = x;
        }
        if (k.energy >= 0) {
            double x = pact__rcsv_num(f[k.energy]);
            if (isfinite(x))
                sc->energy_last = x;
        }
        if (sc->nb == 0 || sc->in_bin == sc->group)
            bin_new(sc, t);
        int b = sc->nb - 1;
        sc->bt1[b] = t + d;
        sc->bgap[b] |= (unsigned char)gap;
        sc->brows[b]++;
        sc->in_bin++;
        for (int i = 0; i < ns; i++) {
            if (!isfinite(v[i]))
                continue;
            struct pact__sser *s = &sc->s[i];
            s->sum_vd += v[i] * d;
            s->sum_d += d;
            s->min = fmin(s->min, v[i]);
            s->max = fmax(s->max, v[i]);
            s->n++;
            size_t o = (size_t)b * ns + i;
            sc->vd[o] += v[i] * d;
            sc->dd[o] += d;
            sc->mn[o] = fmin(sc->mn[o], v[i]);
            sc->mx[o] = fmax(sc->mx[o], v[i]);
        }
    }
    free(v);
    if (sc->nhosts)
        snprintf(sc->host, sizeof sc->host, "%.127s%s",
                 host ? host : sc->hosts[0],
                 sc->nhosts > 1 && !host ? " and others" : "");
    pact__rcsv_close(c);
    if (r < 0)
        return r;
    if (sc->rows == 1) { /* a single window: it is all there is */
        sc->ndur = 1;
        sc->dur_mean = sc->dur_min = sc->dur_max = sc->dur_pending;
    }
    if (sc->rows == 0) {
        snprintf(why, len,
                 "%s: a header but no rows; the run wrote no "
                 "window (was it shorter than one measure period?)",
                 path);
        return -EINVAL;
    }
    int any = 0;
    for (int i = 0; i < ns; i++)
        any |=
            (sc->s[i].role == PACT__R_TOTAL || sc->s[i].role == PACT__R_PART ||
             sc->s[i].role == PACT__R_WHOLE) &&
            sc->s[i].n > 0;
    if (!any) {
        snprintf(why, len,
                 "%s: every power cell is empty; no power source "
                 "was read in this run (see 'pact list')",
                 path);
        return -EINVAL;
    }
    return 0;
}

int pact__scan_file(struct pact__scan *sc, const char *path, int bins,
                    const char *host, char *why, size_t len)
{
    int err = scan(sc, path, bins, host, why, len);
    if (err)
        pact__scan_release(sc);
    return err;
}

void pact__scan_release(struct pact__scan *sc)
{
    free(sc->reg);
    free(sc->gap);
    free(sc->bt0);
    free(sc->bt1);
    free(sc->bgap);
    free(sc->brows);
    free(sc->vd);
    free(sc->dd);
    free(sc->mn);
    free(sc->mx);
    memset(sc, 0, sizeof *sc);
}

double pact__scan_mean(const struct pact__scan *sc, int b, int i)
{
    size_t o = (size_t)b * sc->ns + i;
    if (sc->dd[o] > 0)
        return sc->vd[o] / sc->dd[o];
    return isfinite(sc->mx[o]) ? (sc->mn[o] + sc->mx[o]) / 2 : NAN;
}

double pact__scan_avg(const struct pact__scan *sc, int i)
{
    const struct pact__sser *s = &sc->s[i];
    return s->sum_d > 0 ? s->sum_vd / s->sum_d : NAN;
}

int pact__scan_find(const struct pact__scan *sc, const char *name)
{
    for (int i = 0; i < sc->ns; i++)
        if (!strcmp(sc->s[i].name, name))
            return i;
    return -1;
}

int pact__scan_hosts(const struct pact__scan *sc, char names[][128])
{
    for (int h = 0; h < sc->nhosts; h++)
        memcpy(names[h], sc->hosts[h], sizeof sc->hosts[h]);
    return sc->nhosts;
}

double pact__scan_duration(const struct pact__scan *sc)
{
    if (sc->has_unix && sc->t_end > sc->t_start)
        return sc->t_end - sc->t_start;
    return sc->dur_mean * (double)sc->ndur +
           (sc->rows > 1 ? sc->dur_pending : 0);
}
