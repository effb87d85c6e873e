/* SPDX-License-Identifier: MIT */
/*
 * cmd_stress.c - `pact stress [options] PLAN`: run every line of an
 * experiment plan (plan.h) under its own tracker, as the original's
 * runner did: RESULTS/NAME_TRIAL_PACT.csv for the rows, NAME_TRIAL_out.txt
 * for the command's output, a cooldown between runs.  A run is complete
 * when its marker NAME_TRIAL_PACT.done exists; it is written (atomically)
 * only after the command exited 0 and the CSV was closed, so a rerun
 * skips finished runs and repeats failed or interrupted ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/console.h"
#include "cli/options.h"
#include "cli/plan.h"
#include "cli/spawn.h"
#include "output/outfile.h"

#define DEFAULT_RESULTS "PACTData"
#define DEFAULT_COOLDOWN_S 2.0

struct stress {
    struct cli_opts o;
    const char *dir;
    struct plan plan;
    sigset_t old_mask;
    double t0_s;
    double cmd_time_s; /* time spent in commands run so far */
    int cmd_runs;
    int failed;
};

/* What one run ended with. */
enum { RUN_DONE, RUN_FAILED, RUN_INTERRUPTED, RUN_FATAL };

static void help(void)
{
    puts("usage: pact stress [options] [-o RESULTS] PLAN\n"
         "Run each line of PLAN ('name,trial#,cmd' after a header line; a "
         "bare number\nas cmd means idle for that many seconds) under the "
         "tracker, writing\nRESULTS/NAME_TRIAL_PACT.csv and "
         "RESULTS/NAME_TRIAL_out.txt (the command's\noutput).  A rerun "
         "skips runs that completed (NAME_TRIAL_PACT.done exists).\n"
         "\n  -o RESULTS               results folder (default "
         DEFAULT_RESULTS ")\n"
         "      --cooldown S         pause between runs (default 2 s)\n");
    cli_print_tracker_options();
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hms(char *buf, size_t len, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ldh%02ldm%02lds", t / 3600, t / 60 % 60,
                 t % 60);
    else if (t >= 60)
        snprintf(buf, len, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, len, "%lds", t);
}

/* RESULTS/NAME_TRIAL_SUFFIX; -1 when it does not fit. */
static int run_path(char *buf, size_t len, const struct stress *s,
                    const struct plan_run *r, const char *suffix)
{
    int n = snprintf(buf, len, "%s/%s_%ld_%s", s->dir, r->name, r->trial,
                     suffix);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int complete(const struct stress *s, const struct plan_run *r)
{
    char done[4096];
    return run_path(done, sizeof done, s, r, "PACT.done") == 0 &&
           access(done, F_OK) == 0;
}

static int mkdir_p(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
        return -ENAMETOOLONG;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

/* ---- Progress ---- */

/* Seconds left: idle runs are known; commands take the mean so far. */
static double eta_s(const struct stress *s, int from)
{
    double left = 0;
    int first = 1;
    for (int i = from; i < s->plan.n; i++) {
        const struct plan_run *r = &s->plan.run[i];
        if (complete(s, r))
            continue;
        if (r->cmd && !s->cmd_runs)
            return NAN;
        left += r->cmd ? s->cmd_time_s / s->cmd_runs : r->idle_s;
        if (!first)
            left += s->o.cooldown_s;
        first = 0;
    }
    return left;
}

static void progress(const struct stress *s, int i)
{
    if (s->o.quiet)
        return;
    const struct plan_run *r = &s->plan.run[i];
    char el[32], eta[32] = "?";
    hms(el, sizeof el, now_s() - s->t0_s);
    double left = eta_s(s, i);
    if (!isnan(left))
        hms(eta, sizeof eta, left);
    console_status_clear();
    if (r->cmd)
        fprintf(stderr, "pact stress: run %d of %d: %s trial %ld: %s "
                "(elapsed %s, ETA %s)\n", i + 1, s->plan.n, r->name,
                r->trial, r->cmd, el, eta);
    else
        fprintf(stderr, "pact stress: run %d of %d: %s trial %ld: idle "
                "%g s (elapsed %s, ETA %s)\n", i + 1, s->plan.n, r->name,
                r->trial, r->idle_s, el, eta);
}

/* ---- One run ---- */

/* Write the completion marker through a temporary file and rename(2), so
 * a marker is never half written. */
static int write_marker(const struct stress *s, const struct plan_run *r,
                        const struct pact_summary *sum)
{
    char done[4096];
    if (run_path(done, sizeof done, s, r, "PACT.done") < 0)
        return -ENAMETOOLONG;
    /* A new file (O_EXCL, no links followed), renamed over the target. */
    struct pact__outfile of;
    char why[512];
    int rc = pact__outfile_open(&of, done, NULL, why, sizeof why);
    if (rc < 0) {
        fprintf(stderr, "pact stress: %s\n", why);
        return rc;
    }
    fprintf(of.fp,
            "exit_status 0\nduration_s %.3f\nrows %llu\nenergy_j %.3f\n",
            sum->duration_s, (unsigned long long)sum->rows, sum->energy_j);
    rc = pact__outfile_commit(&of, why, sizeof why);
    if (rc < 0)
        fprintf(stderr, "pact stress: %s\n", why);
    return rc;
}

/* The workload's output file: refused if a link, FIFO or device sits at
 * the path; an old regular file is removed and a new one made with
 * O_EXCL | O_NOFOLLOW, so nothing planted in RESULTS is written through. */
static int open_new(const char *path)
{
    char why[512];
    if (pact__out_check(path, NULL, why, sizeof why) < 0) {
        fprintf(stderr, "pact stress: %s\n", why);
        errno = EEXIST;
        return -1;
    }
    if (unlink(path) < 0 && errno != ENOENT)
        return -1;
    return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                0644);
}

static int is_stop_signal(int sig)
{
    return sig == SIGINT || sig == SIGTERM || sig == SIGHUP ||
           sig == SIGQUIT;
}

/* Track r's command (or idle time) into its files.  *sig gets the
 * signal that interrupted it, if any. */
static int run_one(struct stress *s, const struct plan_run *r, int *sig)
{
    char csv[4096], out[4096];
    *sig = 0;
    if (run_path(csv, sizeof csv, s, r, "PACT.csv") < 0 ||
        run_path(out, sizeof out, s, r, "out.txt") < 0) {
        fprintf(stderr, "pact stress: the results path is too long; "
                "choose a shorter -o RESULTS\n");
        return RUN_FATAL;
    }
    int out_fd = open_new(out);
    if (out_fd < 0) {
        fprintf(stderr, "pact stress: cannot write %s: %s; choose another "
                "-o RESULTS\n", out, strerror(errno));
        return RUN_FATAL;
    }
    struct pact_config cfg = s->o.cfg;
    cfg.output_path = csv;
    cfg.workload_pid = -1; /* idle: the machine only, as monitor does */
    struct cli_child child = {.release_fd = -1, .old_mask = s->old_mask};
    char *argv[] = {"/bin/sh", "-c", r->cmd, NULL};
    if (r->cmd) {
        if (cli_spawn_parked_to(argv, &child, out_fd) < 0) {
            perror("pact stress: fork");
            close(out_fd);
            return RUN_FATAL;
        }
        cfg.workload_pid = child.pid;
    }
    char err[512];
    struct pact_tracker *t;
    int rc = pact_tracker_new(&cfg, &t, err, sizeof err);
    if (rc >= 0 && (rc = pact_tracker_start(t)) < 0) {
        snprintf(err, sizeof err, "%s", pact_tracker_errmsg(t));
        pact_tracker_free(t);
    }
    if (rc < 0) {
        fprintf(stderr, "pact stress: %s\n", err);
        if (r->cmd)
            cli_abort(&child);
        close(out_fd);
        return RUN_FATAL;
    }
    double every = console_status_enabled() ? 1.0 : 0;
    double start = now_s();
    int status = 0;
    if (r->cmd) {
        cli_release(&child);
        status = cli_wait(&child, every, console_status, t);
        if (status > 128 && is_stop_signal(status - 128))
            *sig = status - 128;
        s->cmd_time_s += now_s() - start;
        s->cmd_runs++;
    } else {
        int got = cli_wait_signal(r->idle_s, every, console_status, t);
        if (got > 0)
            *sig = got;
    }
    close(out_fd);
    rc = pact_tracker_stop(t);
    console_status_clear();
    if (rc < 0)
        fprintf(stderr, "pact stress: %s\n", pact_tracker_errmsg(t));
    struct pact_summary sum;
    pact_tracker_summary(t, &sum);
    pact_tracker_free(t);
    if (*sig)
        return RUN_INTERRUPTED;
    if (!s->o.quiet) {
        char energy[64] = "energy unknown (no power source)";
        if (!isnan(sum.energy_j))
            snprintf(energy, sizeof energy, "%.1f J", sum.energy_j);
        fprintf(stderr, "pact stress: %s trial %ld: exit status %d, "
                "%.1f s, %llu row%s, %s%s\n", r->name, r->trial, status,
                sum.duration_s, (unsigned long long)sum.rows,
                sum.rows == 1 ? "" : "s", energy,
                status ? "; see the _out.txt file" : "");
    }
    if (status != 0 || rc < 0)
        return RUN_FAILED;
    rc = write_marker(s, r, &sum);
    if (rc < 0) {
        fprintf(stderr, "pact stress: cannot mark %s trial %ld complete: "
                "%s\n", r->name, r->trial, strerror(-rc));
        return RUN_FAILED;
    }
    return RUN_DONE;
}

/* ---- The plan ---- */

/* Check the tracker options once, before anything runs (no CSV). */
static int preflight(const struct stress *s)
{
    struct pact_config cfg = s->o.cfg;
    cfg.output_path = "";
    cfg.workload_pid = -1;
    char err[512];
    struct pact_tracker *t;
    if (pact_tracker_new(&cfg, &t, err, sizeof err) < 0) {
        fprintf(stderr, "pact stress: %s\n", err);
        return -1;
    }
    pact_tracker_free(t);
    return 0;
}

static int run_plan(struct stress *s)
{
    int prev_ran = 0;
    for (int i = 0; i < s->plan.n; i++) {
        const struct plan_run *r = &s->plan.run[i];
        if (complete(s, r)) {
            if (!s->o.quiet)
                fprintf(stderr, "pact stress: run %d of %d: %s trial %ld "
                        "already complete, skipped\n", i + 1, s->plan.n,
                        r->name, r->trial);
            continue;
        }
        if (prev_ran && s->o.cooldown_s > 0) {
            int sig = cli_wait_signal(s->o.cooldown_s, 0, NULL, NULL);
            if (sig > 0) {
                fprintf(stderr, "pact stress: interrupted (signal %d) "
                        "before %s trial %ld\n", sig, r->name, r->trial);
                return 128 + sig;
            }
        }
        progress(s, i);
        int sig;
        int res = run_one(s, r, &sig);
        prev_ran = 1;
        if (res == RUN_FATAL)
            return 2;
        if (res == RUN_INTERRUPTED) {
            fprintf(stderr, "pact stress: interrupted (signal %d) during %s "
                    "trial %ld; it runs again when the plan is rerun\n",
                    sig, r->name, r->trial);
            return 128 + sig;
        }
        if (res == RUN_FAILED)
            s->failed++;
    }
    if (!s->o.quiet) {
        char el[32];
        hms(el, sizeof el, now_s() - s->t0_s);
        fprintf(stderr, "pact stress: %d runs in %s, %d failed; results in "
                "%s\n", s->plan.n, el, s->failed, s->dir);
    }
    return s->failed ? 1 : 0;
}

int cmd_stress(int argc, char **argv)
{
    struct stress s;
    memset(&s, 0, sizeof s);
    s.o.status = -1;
    s.o.cooldown_s = DEFAULT_COOLDOWN_S;
    pact_config_init(&s.o.cfg);
    cli_parse(argc, argv, &s.o, help);
    if (optind != argc - 1) {
        fprintf(stderr, "pact stress: give exactly one PLAN file; usage: "
                "pact stress [options] [-o RESULTS] PLAN\n");
        return 2;
    }
    if (s.o.cooldown_s < 0) {
        fprintf(stderr, "pact stress: --cooldown must be >= 0 seconds\n");
        return 2;
    }
    if (s.o.summary_json || s.o.duration_s > 0) {
        fprintf(stderr, "pact stress: --summary-json and --duration do not "
                "apply to a plan; each run writes its own files\n");
        return 2;
    }
    s.dir = s.o.results_dir ? s.o.results_dir : DEFAULT_RESULTS;
    int bad = plan_load(argv[optind], &s.plan, stderr);
    if (bad != 0) {
        if (bad > 0)
            fprintf(stderr, "pact stress: %d bad line%s in %s; nothing "
                    "was run\n", bad, bad == 1 ? "" : "s", argv[optind]);
        plan_release(&s.plan);
        return 2;
    }
    console_init(s.o.quiet, s.o.status);
    console_once(1);
    cli_block_signals(&s.old_mask);
    if (preflight(&s) < 0) {
        plan_release(&s.plan);
        return 2;
    }
    int rc = mkdir_p(s.dir);
    if (rc < 0) {
        fprintf(stderr, "pact stress: cannot create the results folder "
                "'%s': %s; choose another with -o RESULTS\n", s.dir,
                strerror(-rc));
        plan_release(&s.plan);
        return 2;
    }
    s.t0_s = now_s();
    rc = run_plan(&s);
    plan_release(&s.plan);
    return rc;
}
