/* SPDX-License-Identifier: MIT */
/*
 * counters.c - opens and reads perf counters (see counters.h).  Each event
 * is read on its own (no PERF_FORMAT_GROUP) with TOTAL_TIME_ENABLED and
 * _RUNNING, so multiplexed counts are scaled by the window's time deltas,
 * as perf stat -I does.  Groups are still formed through group_fd so the
 * kernel schedules them together.  Kernel quirks are cited inline.
 */
#include "counters/counters.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/log.h"
#include "pact/pact.h"

struct fd_state {
    int fd;
    uint64_t val, ena, run; /* last read */
    uint64_t wval, wena, wrun; /* at window start */
};

struct counter {
    struct pact__event ev;
    int available;
    char why[320];
    int nfd;
    struct fd_state *fds;
    double pact_acc; /* PACT mode: sum of running totals */
};

struct pact__counters {
    int scope, mode;
    int n;
    struct counter ev[PACT_MAX_EVENTS];
    const char *columns[PACT_MAX_EVENTS];
};

static long perf_open(struct perf_event_attr *a, pid_t pid, int cpu,
                      int group_fd)
{
    return syscall(SYS_perf_event_open, a, pid, cpu, group_fd,
                   PERF_FLAG_FD_CLOEXEC);
}

const char *pact__perf_open_advice(int err, int system_wide)
{
    switch (err) {
    case EACCES:
    case EPERM:
        return system_wide
                   ? "system-wide counters need kernel.perf_event_paranoid "
                     "<= 0 or CAP_PERFMON (sudo sysctl "
                     "kernel.perf_event_paranoid=0), or use --scope workload"
                   : "counting kernel-side events needs "
                     "kernel.perf_event_paranoid <= 1 or CAP_PERFMON (sudo "
                     "sysctl kernel.perf_event_paranoid=1)";
    case ENOENT:
    case EOPNOTSUPP:
    case ENODEV:
        return "not supported on this machine (no hardware PMU, e.g. in a "
               "VM, or the CPU lacks it)";
    case EMFILE:
    case ENFILE:
        return "too many open files (raise ulimit -n)";
    case EBUSY:
        return "the PMU is held by another program";
    case ESRCH:
        return "the workload exited before its counters could be opened";
    case EINVAL:
        return "the kernel rejected this event's encoding";
    default:
        return strerror(err);
    }
}

static int ncpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_CONF);
    return n > 0 ? (int)n : 1;
}

static void fill_attr(struct perf_event_attr *a, const struct pact__event *e,
                      int workload_exec, int exclude_kernel)
{
    memset(a, 0, sizeof *a);
    a->size = sizeof *a;
    a->type = e->type;
    a->config = e->config;
    a->config1 = e->config1;
    a->config2 = e->config2;
    a->read_format =
        PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    a->inherit = 1;
    a->exclude_kernel = (unsigned)exclude_kernel;
    a->exclude_hv = 1;
    /* perf stat's method (perf_event_open(2)): a child parked before exec
     * is counted from its exec on, so pact's fork is not measured. */
    if (workload_exec) {
        a->disabled = 1;
        a->enable_on_exec = 1;
    }
}

/* Try to open one event for the scope.  Returns 0 or -errno of the first
 * failure.  Fills c->fds; leaders[] holds each CPU's group leader fd. */
static int open_event(struct counter *c, int scope, pid_t pid,
                      int exclude_kernel, int *leaders, int nl)
{
    struct perf_event_attr a;
    int system = scope == PACT_SCOPE_SYSTEM;
    fill_attr(&a, &c->ev, !system && pid > 0, exclude_kernel);
    int n = system ? ncpus() : 1;
    c->fds = calloc((size_t)n, sizeof *c->fds);
    if (!c->fds)
        return -ENOMEM;
    c->nfd = 0;
    int first_err = 0;
    /* The clocks live on their own PMUs: in another event's group the
     * kernel enables them but never schedules them (measured: task-clock
     * in a page-faults group reads "not counted"), so they lead alone. */
    int alone = c->ev.type == PERF_TYPE_SOFTWARE &&
                (c->ev.config == PERF_COUNT_SW_TASK_CLOCK ||
                 c->ev.config == PERF_COUNT_SW_CPU_CLOCK);
    for (int i = 0; i < n; i++) {
        int cpu = system ? i : -1;
        int lead = i < nl && !alone ? leaders[i] : -1;
        long fd = perf_open(&a, system ? -1 : pid, cpu, lead);
        if (fd < 0 && lead >= 0) /* the group may not take this PMU */
            fd = perf_open(&a, system ? -1 : pid, cpu, -1);
        if (fd < 0) {
            /* An offline CPU is not an error (ENODEV on cpu >= 1). */
            if (system && errno == ENODEV && i > 0)
                continue;
            if (!first_err)
                first_err = -errno;
            break;
        }
        c->fds[c->nfd++].fd = (int)fd;
        if (i < nl && leaders[i] < 0 && !alone)
            leaders[i] = (int)fd;
    }
    if (first_err) {
        for (int i = 0; i < c->nfd; i++)
            close(c->fds[i].fd);
        free(c->fds);
        c->fds = NULL;
        c->nfd = 0;
    }
    return first_err;
}

/* Decide the scope for AUTO: system when a system-wide event opens. */
static int probe_system(void)
{
    struct perf_event_attr a;
    struct pact__event e = {.type = PERF_TYPE_SOFTWARE,
                            .config = PERF_COUNT_SW_TASK_CLOCK};
    fill_attr(&a, &e, 0, 0);
    long fd = perf_open(&a, -1, 0, -1);
    if (fd < 0)
        return -errno;
    close((int)fd);
    return 0;
}

int pact__counters_open(const char *spec,
                        const struct pact__counters_opts *opts,
                        struct pact__counters **out, char *notice,
                        size_t nlen, char *why, size_t len)
{
    *out = NULL;
    if (nlen)
        notice[0] = '\0';
    struct pact__counters *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    struct pact__event evs[PACT_MAX_EVENTS];
    int n = pact__events_parse(spec, evs, PACT_MAX_EVENTS, why, len);
    if (n < 0) {
        free(c);
        return n;
    }
    c->n = n;
    c->mode = opts->mode;
    int scope = opts->scope;
    if (n > 0 && scope == PACT_SCOPE_AUTO) {
        int err = probe_system();
        if (err == 0) {
            scope = PACT_SCOPE_SYSTEM;
        } else {
            scope = PACT_SCOPE_WORKLOAD;
            if (opts->pid >= 0)
                snprintf(notice, nlen,
                         "counting the workload only: system-wide counters "
                         "need kernel.perf_event_paranoid <= 0 or "
                         "CAP_PERFMON (sudo sysctl "
                         "kernel.perf_event_paranoid=0 for --scope system)");
        }
    }
    if (scope == PACT_SCOPE_AUTO)
        scope = PACT_SCOPE_SYSTEM;
    c->scope = scope;
    int no_target = scope == PACT_SCOPE_WORKLOAD && opts->pid < 0;

    int leaders[1024];
    int cur_group = -1;
    char user_only[512] = ""; /* columns counted in user space only */
    size_t uo = 0;
    int nl = scope == PACT_SCOPE_SYSTEM ? ncpus() : 1;
    if (nl > 1024)
        nl = 1024;
    for (int i = 0; i < n; i++) {
        struct counter *k = &c->ev[i];
        k->ev = evs[i];
        c->columns[i] = k->ev.column;
        if (no_target) {
            snprintf(k->why, sizeof k->why,
                     "%.63s: nothing to count: no command is tracked and "
                     "system-wide counters need kernel.perf_event_paranoid "
                     "<= 0 or CAP_PERFMON (sudo sysctl "
                     "kernel.perf_event_paranoid=0), or track a command "
                     "with pact run", evs[i].column);
            continue;
        }
        if (k->ev.group != cur_group) {
            cur_group = k->ev.group;
            for (int j = 0; j < nl; j++)
                leaders[j] = -1;
        }
        int err = open_event(k, scope, opts->pid, 0, leaders, nl);
        if ((err == -EACCES || err == -EPERM) &&
            scope == PACT_SCOPE_WORKLOAD) {
            /* perf_event_paranoid 2: unprivileged per-task events must
             * set exclude_kernel (rapl-perf.md 4.8).  Context switches
             * and migrations are raised in kernel context and would then
             * always read 0: report them as unavailable instead. */
            if (k->ev.kernel_side) {
                snprintf(k->why, sizeof k->why, "%.63s: %.250s", evs[i].column,
                         pact__perf_open_advice(EACCES, 0));
                continue;
            }
            int tmp[1] = {-1};
            err = open_event(k, scope, opts->pid, 1, tmp, 1);
            if (!err) {
                /* User space only is another quantity: the column says
                 * so with perf's ":u" modifier, and a warning names it. */
                size_t l = strlen(k->ev.column);
                if (l + 2 < sizeof k->ev.column)
                    memcpy(k->ev.column + l, ":u", 3);
                int w = snprintf(user_only + uo, sizeof user_only - uo,
                                 "%s%s", uo ? ", " : "", k->ev.column);
                if (w > 0 && (size_t)w < sizeof user_only - uo)
                    uo += (size_t)w;
            }
        }
        if (err) {
            snprintf(k->why, sizeof k->why, "%.63s: %.250s", evs[i].column,
                     pact__perf_open_advice(-err,
                                            scope == PACT_SCOPE_SYSTEM));
            continue;
        }
        k->available = 1;
    }
    if (uo)
        pact__log(PACT_LOG_WARN,
                  "%s: counted in user space only (kernel.perf_event_paranoid "
                  "2 hides the kernel's share from unprivileged users; "
                  "':u' marks these columns; for full counts: sudo sysctl "
                  "kernel.perf_event_paranoid=1, or CAP_PERFMON)",
                  user_only);
    *out = c;
    return 0;
}

int pact__counters_count(const struct pact__counters *c)
{
    return c ? c->n : 0;
}

const char *pact__counters_column(const struct pact__counters *c, int i)
{
    return c->ev[i].ev.column;
}

const char *const *pact__counters_columns(const struct pact__counters *c)
{
    return c->columns;
}

int pact__counters_available(const struct pact__counters *c, int i,
                             const char **why)
{
    if (why)
        *why = c->ev[i].why;
    return c->ev[i].available;
}

int pact__counters_scope(const struct pact__counters *c)
{
    return c->scope;
}

static void read_fd(struct fd_state *f)
{
    uint64_t buf[3];
    ssize_t r = read(f->fd, buf, sizeof buf);
    if (r == (ssize_t)sizeof buf) {
        f->val = buf[0];
        f->ena = buf[1];
        f->run = buf[2];
    }
    /* A failed read keeps the previous totals: the window then shows the
     * counts up to the last good read, and the next window catches up. */
}

int pact__counters_begin(struct pact__counters *c)
{
    for (int i = 0; c && i < c->n; i++) {
        struct counter *k = &c->ev[i];
        for (int j = 0; j < k->nfd; j++) {
            struct fd_state *f = &k->fds[j];
            read_fd(f);
            f->wval = f->val;
            f->wena = f->ena;
            f->wrun = f->run;
        }
        k->pact_acc = 0;
    }
    return 0;
}

/* Scaled count of event k since the window start; *ran = 1 when it was
 * scheduled at all, *enabled = 1 when it was enabled; *frac = running
 * share. */
static double window_count(struct counter *k, int *ran, int *enabled,
                           double *frac)
{
    double sum = 0, min_frac = 1.0;
    *ran = 0;
    *enabled = 0;
    for (int j = 0; j < k->nfd; j++) {
        struct fd_state *f = &k->fds[j];
        uint64_t dv = f->val - f->wval, de = f->ena - f->wena,
                 dr = f->run - f->wrun;
        if (de == 0)
            continue; /* nothing of the target ran on this CPU */
        *enabled = 1;
        if (dr == 0)
            continue; /* enabled but never scheduled: not counted */
        *ran = 1;
        double fr = (double)dr / (double)de;
        if (fr < min_frac)
            min_frac = fr;
        sum += dr < de ? (double)dv * ((double)de / (double)dr) : (double)dv;
    }
    *frac = min_frac;
    return sum;
}

void pact__counters_tick(struct pact__counters *c)
{
    if (!c || c->mode != PACT_COUNTER_PACT)
        return;
    for (int i = 0; i < c->n; i++) {
        struct counter *k = &c->ev[i];
        if (!k->available)
            continue;
        for (int j = 0; j < k->nfd; j++)
            read_fd(&k->fds[j]);
        int ran, en;
        double fr;
        k->pact_acc += window_count(k, &ran, &en, &fr);
    }
}

void pact__counters_window(struct pact__counters *c, double *values,
                           double *running_pct)
{
    double min_frac = 1.0;
    int any_ran = 0;
    for (int i = 0; c && i < c->n; i++) {
        struct counter *k = &c->ev[i];
        if (!k->available) {
            values[i] = NAN;
            continue;
        }
        for (int j = 0; j < k->nfd; j++)
            read_fd(&k->fds[j]);
        int ran, en;
        double fr;
        double v = window_count(k, &ran, &en, &fr);
        if (c->mode == PACT_COUNTER_PACT) {
            /* The window edge is the last of its perf-period reads. */
            v = k->pact_acc + v;
            k->pact_acc = 0;
        }
        if (en && !ran)
            values[i] = NAN; /* perf's "<not counted>" */
        else
            values[i] = v;
        any_ran |= ran;
        if (ran && fr < min_frac)
            min_frac = fr;
        for (int j = 0; j < k->nfd; j++) {
            struct fd_state *f = &k->fds[j];
            f->wval = f->val;
            f->wena = f->ena;
            f->wrun = f->run;
        }
    }
    *running_pct = any_ran ? 100.0 * min_frac : NAN;
}

void pact__counters_close(struct pact__counters *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->n; i++) {
        for (int j = 0; j < c->ev[i].nfd; j++)
            close(c->ev[i].fds[j].fd);
        free(c->ev[i].fds);
    }
    free(c);
}
