/* SPDX-License-Identifier: MIT */
/*
 * snapshot.c - the state a scrape is answered from (see snapshot.h).  The
 * sampler updates a private copy, then swaps it into the published one
 * under a mutex held only for the copy; readers copy it out the same way.
 */
#include "core/snapshot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/accounting.h"
#include "core/log.h"
#include "output/prometheus.h"

struct pact__snapshot {
    pthread_mutex_t mu;
    struct pact__snap cur;  /* published; guarded by mu */
    struct pact__snap work; /* sampler's own */
    int counting;           /* counters are event counts (window mode) */
    char *textfile_dir;
    int textfile_failing;
    char gpus[256];
};

/* "gpu0", "package0": letters then digits. */
static int device_token(const char *t, size_t *split)
{
    size_t i = 0;
    while (isalpha((unsigned char)t[i]))
        i++;
    size_t d = i;
    while (isdigit((unsigned char)t[i]))
        i++;
    *split = d;
    return d > 0 && i > d && t[i] == '\0';
}

static void append(char *buf, size_t len, const char *t)
{
    size_t n = strlen(buf);
    if (n < len)
        snprintf(buf + n, len - n, "%s%s", n ? "_" : "", t);
}

void pact__channel_labels(const char *name, char *source, size_t slen,
                          char *component, size_t clen, char *device,
                          size_t dlen)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", name);
    size_t n = strlen(buf);
    if (n > 2 && !strcmp(buf + n - 2, "_w"))
        buf[n - 2] = '\0';
    source[0] = device[0] = component[0] = '\0';
    /* An estimate is its own source: cpu_estimated_w -> estimate/cpu. */
    char *est = strstr(buf, "_estimated");
    if (est) {
        *est = '\0';
        snprintf(source, slen, "estimate");
        snprintf(component, clen, "%s", buf);
        return;
    }
    char *save = NULL, *t = strtok_r(buf, "_", &save);
    size_t split;
    if (t && device_token(t, &split)) {
        /* NVML's gpu0_power_w: the GPU index leads. */
        snprintf(device, dlen, "%s", t + split);
        t[split] = '\0';
        snprintf(source, slen, "%s", strcmp(t, "gpu") ? t : "nvml");
        append(component, clen, t);
        for (t = strtok_r(NULL, "_", &save); t; t = strtok_r(NULL, "_", &save))
            if (strcmp(t, "power") != 0)
                append(component, clen, t);
        return;
    }
    snprintf(source, slen, "%s", t ? t : name);
    /* rapl_package0_w: the first letters+digits token names the device. */
    for (t = strtok_r(NULL, "_", &save); t; t = strtok_r(NULL, "_", &save)) {
        if (!device[0] && device_token(t, &split)) {
            snprintf(device, dlen, "%s", t + split);
            t[split] = '\0';
        }
        append(component, clen, t);
    }
    if (!component[0])
        snprintf(component, clen, "%s", source);
}

int pact__elected(const struct pact__labels *lb)
{
    return lb->local_rank <= 0;
}

static int check_dir(const char *dir, char *why, size_t len)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(why, len, "--textfile %s: not a directory; give the "
                 "node_exporter textfile collector's directory", dir);
        return PACT_EBADCONFIG;
    }
    if (access(dir, W_OK) != 0) {
        snprintf(why, len, "--textfile %s: %s; give a directory this user "
                 "can write", dir, strerror(errno));
        return PACT_EBADCONFIG;
    }
    return 0;
}

int pact__snapshot_new(struct pact_config *cfg, struct pact__snapshot **out,
                       char *why, size_t len)
{
    *out = NULL;
    struct pact__snapshot *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(why, len, "out of memory");
        return -ENOMEM;
    }
    int rc = pact__labels_init(&s->work.labels, cfg->labels, why, len);
    if (rc == 0 && cfg->textfile_dir && cfg->textfile_dir[0]) {
        rc = check_dir(cfg->textfile_dir, why, len);
        if (rc == 0 && !(s->textfile_dir = strdup(cfg->textfile_dir)))
            rc = -ENOMEM;
    }
    if (rc < 0) {
        free(s);
        return rc;
    }
    struct pact__labels *lb = &s->work.labels;
    if (!pact__elected(lb)) {
        if (cfg->output_path && cfg->output_path[0])
            pact__log(PACT_LOG_NOTICE,
                      "local rank %d: local rank 0 tracks this node's "
                      "shared sources, so this rank writes no CSV",
                      lb->local_rank);
        cfg->output_path = "";
    }
    const char *g = cfg->gpus ? NULL : pact__gpu_scope_env();
    if (g) {
        snprintf(s->gpus, sizeof s->gpus, "%s", g);
        cfg->gpus = s->gpus;
    }
    s->counting = cfg->counter_mode == PACT_COUNTER_WINDOW;
    s->work.window_s = cfg->measure_period_s;
    s->work.total_energy_j = s->work.total_power_w = NAN;
    s->work.co2_g = s->work.intensity = NAN;
    snprintf(s->work.basis, sizeof s->work.basis, "none");
    pthread_mutex_init(&s->mu, NULL);
    s->cur = s->work;
    *out = s;
    return 0;
}

static int is_power(const struct pact_channel *c)
{
    return (c->quantity == PACT_Q_POWER_W || c->quantity == PACT_Q_ENERGY_J) &&
           c->role != PACT_ROLE_GPU_UTIL_SM &&
           c->role != PACT_ROLE_GPU_UTIL_MEM;
}

static void first_layout(struct pact__snap *w, const struct pact__row *r,
                         int counting)
{
    for (int i = 0; i < r->nch && w->nch < PACT__SNAP_CH; i++) {
        if (!is_power(&r->ch[i]))
            continue;
        struct pact__snap_chan *c = &w->ch[w->nch++];
        snprintf(c->name, sizeof c->name, "%s", r->ch[i].name);
        pact__channel_labels(c->name, c->source, sizeof c->source,
                             c->component, sizeof c->component, c->device,
                             sizeof c->device);
        c->estimated = r->ch[i].estimated;
        c->power_w = NAN;
        int k = 0;
        while (k < w->nsrc && strcmp(w->src[k].name, c->source))
            k++;
        if (k == w->nsrc && w->nsrc < PACT__SNAP_SRC) {
            struct pact__snap_src *d = &w->src[w->nsrc++];
            memcpy(d->name, c->source, sizeof d->name);
        }
    }
    if (counting)
        for (int i = 0; i < r->nctr && w->nctr < PACT__SNAP_CTR; i++)
            snprintf(w->ctr_name[w->nctr++], sizeof w->ctr_name[0], "%s",
                     r->ctr_name[i]);
}

static void write_textfile(struct pact__snapshot *s)
{
    size_t n = 0;
    char *text = pact__prom_format(&s->work, 0, -1, &n);
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/pact.prom", s->textfile_dir);
    snprintf(tmp, sizeof tmp, "%s/.pact.prom.%ld", s->textfile_dir,
             (long)getpid());
    int err = text ? 0 : -ENOMEM;
    int fd = err ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                             0644);
    if (!err && fd < 0)
        err = -errno;
    for (size_t off = 0; !err && off < n;) {
        ssize_t k = write(fd, text + off, n - off);
        if (k < 0 && errno != EINTR)
            err = -errno;
        else if (k > 0)
            off += (size_t)k;
    }
    if (fd >= 0 && close(fd) != 0 && !err)
        err = -errno;
    /* rename(2) is atomic: the collector sees the old or the new file. */
    if (!err && rename(tmp, path) != 0)
        err = -errno;
    if (err && fd >= 0)
        unlink(tmp);
    free(text);
    if (err && !s->textfile_failing)
        pact__log(PACT_LOG_ERROR, "--textfile: cannot write %s: %s; the "
                  "exporter file is stale until this clears", path,
                  pact_strerror(err));
    else if (!err && s->textfile_failing)
        pact__log(PACT_LOG_NOTICE, "--textfile: %s written again", path);
    s->textfile_failing = err != 0;
}

void pact__snapshot_publish(struct pact__snapshot *s,
                            const struct pact__row *r,
                            const struct pact__accounting *acc)
{
    if (!s)
        return;
    struct pact__snap *w = &s->work;
    if (w->windows == 0)
        first_layout(w, r, s->counting);
    for (int k = 0; k < w->nsrc; k++)
        w->src[k].up = 0;
    /* GPU utilisation, by device and kind, as the last edge read it. */
    w->nutil = 0;
    for (int i = 0; i < r->nch && w->nutil < 32; i++) {
        int role = r->ch[i].role;
        if (role != PACT_ROLE_GPU_UTIL_SM && role != PACT_ROLE_GPU_UTIL_MEM)
            continue;
        struct pact__snap_util *u = &w->util[w->nutil++];
        char src[32], comp[48];
        pact__channel_labels(r->ch[i].name, src, sizeof src, comp,
                             sizeof comp, u->device, sizeof u->device);
        snprintf(u->kind, sizeof u->kind, "%s",
                 role == PACT_ROLE_GPU_UTIL_SM ? "sm" : "memory");
        u->percent = r->ch_value[i];
    }
    /* Channels keep the row's order; first_layout kept only power ones. */
    int j = 0;
    for (int i = 0; i < r->nch && j < w->nch; i++) {
        if (strcmp(r->ch[i].name, w->ch[j].name) != 0)
            continue;
        struct pact__snap_chan *c = &w->ch[j++];
        double v = r->ch_value[i];
        c->power_w = v;
        if (isnan(v))
            continue;
        c->energy_j += v * r->duration_s;
        c->seen = 1;
        for (int k = 0; k < w->nsrc; k++)
            if (!strcmp(w->src[k].name, c->source))
                w->src[k].up = 1;
    }
    for (int i = 0; i < w->nctr && i < r->nctr; i++)
        if (!isnan(r->ctr_value[i])) {
            w->ctr_total[i] += r->ctr_value[i];
            w->ctr_seen[i] = 1;
        }
    /* Counters only go up: a basis switch never makes them fall. */
    if (isfinite(r->energy_cum_j) &&
        (isnan(w->total_energy_j) || r->energy_cum_j >= w->total_energy_j))
        w->total_energy_j = r->energy_cum_j;
    if (isfinite(r->co2_cum_g) && (isnan(w->co2_g) || r->co2_cum_g >= w->co2_g))
        w->co2_g = r->co2_cum_g;
    w->total_power_w = r->total_power_w;
    struct pact_summary sum;
    pact__accounting_summary(acc, &sum);
    /* The accounting's own name for the run's basis. */
    snprintf(w->basis, sizeof w->basis, "%s",
             sum.basis[0] ? sum.basis : "none");
    w->intensity = sum.carbon_intensity_g_per_kwh;
    w->unix_time = r->unix_start + r->duration_s;
    w->windows++;

    pthread_mutex_lock(&s->mu);
    s->cur = *w;
    pthread_mutex_unlock(&s->mu);
    if (s->textfile_dir)
        write_textfile(s);
}

void pact__snapshot_get(struct pact__snapshot *s, struct pact__snap *out)
{
    pthread_mutex_lock(&s->mu);
    *out = s->cur;
    pthread_mutex_unlock(&s->mu);
}

const struct pact__labels *pact__snapshot_labels(
    const struct pact__snapshot *s)
{
    return &s->work.labels;
}

void pact__snapshot_free(struct pact__snapshot *s)
{
    if (!s)
        return;
    pthread_mutex_destroy(&s->mu);
    free(s->textfile_dir);
    free(s);
}
