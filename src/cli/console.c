/* SPDX-License-Identifier: MIT */
/*
 * console.c - see console.h.  The status line is redrawn in place with
 * "\r...\033[K" and erased before any other message, so the two never
 * interleave.  Silent when stderr is not a terminal.
 */
#include "cli/console.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static int quiet_mode;
static int status_on;
static int status_drawn;
static int once_mode;
static uint64_t seen[64]; /* hashes of messages printed in once mode */
static int nseen;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void clear_locked(void)
{
    if (status_drawn) {
        fputs("\r\033[K", stderr);
        status_drawn = 0;
    }
}

/* FNV-1a over the level and the text.  Caller holds mu. */
static int seen_before(int level, const char *msg)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)level;
    for (const char *p = msg; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    for (int i = 0; i < nseen; i++)
        if (seen[i] == h)
            return 1;
    if (nseen < 64)
        seen[nseen++] = h;
    return 0;
}

static void log_to_stderr(int level, const char *msg, void *user)
{
    (void)user;
    if (quiet_mode && level > PACT_LOG_WARN)
        return;
    if (level >= PACT_LOG_DEBUG && !getenv("PACT_DEBUG"))
        return;
    pthread_mutex_lock(&mu);
    if (once_mode && level >= PACT_LOG_WARN && seen_before(level, msg)) {
        pthread_mutex_unlock(&mu);
        return;
    }
    clear_locked();
    fprintf(stderr, "pact: %s%s\n", level == PACT_LOG_ERROR ? "error: " :
            level == PACT_LOG_WARN ? "warning: " : "", msg);
    pthread_mutex_unlock(&mu);
}

void console_init(int quiet, int status_mode)
{
    quiet_mode = quiet;
    status_on = status_mode < 0 ? isatty(STDERR_FILENO) && !quiet
                                : status_mode;
    pact_set_log(log_to_stderr, NULL);
}

void console_once(int on)
{
    pthread_mutex_lock(&mu);
    once_mode = on;
    pthread_mutex_unlock(&mu);
}

int console_status_enabled(void)
{
    return status_on;
}

static void put_w(char *buf, size_t len, const char *label, double w)
{
    if (isnan(w))
        snprintf(buf, len, "  %s -", label);
    else
        snprintf(buf, len, "  %s %.1f W", label, w);
}

void console_status(void *tracker)
{
    if (!status_on)
        return;
    struct pact_live l;
    if (pact_tracker_live(tracker, &l) < 0)
        return;
    char psu[32], cpu[32], gpu[32], tot[32];
    put_w(tot, sizeof tot, "total", l.total_power_w);
    put_w(psu, sizeof psu, "psu", l.psu_power_w);
    put_w(cpu, sizeof cpu, l.cpu_estimated ? "cpu(est)" : "cpu",
          l.cpu_power_w);
    put_w(gpu, sizeof gpu, "gpu", l.gpu_power_w);
    pthread_mutex_lock(&mu);
    fprintf(stderr, "\r[pact] %6.0f s%s%s%s%s  energy %.1f J\033[K",
            l.elapsed_s, tot, psu, cpu, gpu, isnan(l.energy_j) ? 0.0
                                                                : l.energy_j);
    status_drawn = 1;
    pthread_mutex_unlock(&mu);
}

void console_status_clear(void)
{
    pthread_mutex_lock(&mu);
    clear_locked();
    pthread_mutex_unlock(&mu);
}
