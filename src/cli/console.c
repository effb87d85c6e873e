/* SPDX-License-Identifier: MIT */
/*
 * console.c - see console.h.  On a terminal the status line lives on the
 * screen's last row, outside a scroll region that holds everything else
 * (the workload's output and pact's own messages), as apt's progress bar
 * does: the two can never run into each other, and the line is removed
 * and the region reset before the summary and at exit.  Where the
 * terminal is too small, or stderr is not one, there is no status line.
 */
#include "cli/console.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static int quiet_mode;
static int status_on;
static int status_drawn;
static int region_rows;             /* rows of the terminal, 0 = no region */
static volatile sig_atomic_t resized;
static int once_mode;
static uint64_t seen[64]; /* hashes of messages printed in once mode */
static int nseen;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int term_rows(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) < 0)
        return 0;
    return ws.ws_row;
}

static void on_winch(int sig)
{
    (void)sig;
    resized = 1;
}

/* Reserve the last row: make room, scroll region 1..rows-1, cursor back.
 * Caller holds mu. */
static void region_open_locked(void)
{
    int rows = term_rows();
    if (rows < 3) {
        region_rows = 0;
        return;
    }
    region_rows = rows;
    fprintf(stderr, "\n\0337\033[1;%dr\0338\033[1A", rows - 1);
    fflush(stderr);
}

/* Remove the status line and give the whole screen back. */
static void clear_locked(void)
{
    if (region_rows) {
        fprintf(stderr, "\0337\033[r\033[%d;1H\033[2K\0338", region_rows);
        fflush(stderr);
        region_rows = 0;
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
    fprintf(stderr, "pact: %s%s\n", level == PACT_LOG_ERROR ? "error: " :
            level == PACT_LOG_WARN ? "warning: " : "", msg);
    pthread_mutex_unlock(&mu);
}

void console_init(int quiet, int status_mode)
{
    quiet_mode = quiet;
    status_on = status_mode < 0 ? !quiet : status_mode;
    /* Only a terminal gets a status line. */
    if (!isatty(STDERR_FILENO) || term_rows() < 3)
        status_on = 0;
    pact_set_log(log_to_stderr, NULL);
    if (status_on) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_winch;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGWINCH, &sa, NULL);
        pthread_mutex_lock(&mu);
        region_open_locked();
        pthread_mutex_unlock(&mu);
    }
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

static void put_w(char *buf, size_t len, const char *label, double w,
                  int estimated)
{
    if (isnan(w))
        snprintf(buf, len, "  %s -", label);
    else
        snprintf(buf, len, "  %s %.1f W%s", label, w,
                 estimated ? " (estimated)" : "");
}

void console_status(void *tracker)
{
    if (!status_on)
        return;
    struct pact_live l;
    if (pact_tracker_live(tracker, &l) < 0)
        return;
    char psu[48], cpu[48], gpu[48], tot[48], energy[48];
    /* Numbers that are not known show as "-", never as 0. */
    put_w(tot, sizeof tot, "total", l.total_power_w, l.total_estimated);
    put_w(psu, sizeof psu, "psu", l.psu_power_w, 0);
    put_w(cpu, sizeof cpu, "cpu", l.cpu_power_w, l.cpu_estimated);
    put_w(gpu, sizeof gpu, "gpu", l.gpu_power_w, 0);
    if (isnan(l.energy_j))
        snprintf(energy, sizeof energy, "  energy -");
    else
        snprintf(energy, sizeof energy, "  energy %.1f J", l.energy_j);
    pthread_mutex_lock(&mu);
    if (resized || !region_rows) {
        /* A resize: give the old last row back, reserve the new one. */
        resized = 0;
        if (region_rows)
            fprintf(stderr, "\0337\033[r\033[%d;1H\033[2K\0338",
                    region_rows);
        region_open_locked();
    }
    if (region_rows) {
        char line[256];
        snprintf(line, sizeof line, "[pact] %6.0f s%s%s%s%s%s", l.elapsed_s,
                 tot, psu, cpu, gpu, energy);
        struct winsize ws;
        /* Never wider than the screen: a wrapped line would scroll. */
        if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 &&
            strlen(line) >= ws.ws_col)
            line[ws.ws_col - 1] = '\0';
        fprintf(stderr, "\0337\033[%d;1H\033[2K%s\0338", region_rows, line);
        fflush(stderr);
        status_drawn = 1;
    }
    pthread_mutex_unlock(&mu);
}

void console_status_clear(void)
{
    pthread_mutex_lock(&mu);
    clear_locked();
    pthread_mutex_unlock(&mu);
}
