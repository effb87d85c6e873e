/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - see spawn.h.  Waiting uses sigtimedwait on blocked signals,
 * so there are no asynchronous handlers and no races with SIGCHLD; the
 * one handler, armed after the first stop signal, only calls _exit.
 */
#include "cli/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigset_t waited_set(void)
{
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    sigaddset(&s, SIGQUIT);
    sigaddset(&s, SIGCHLD);
    sigaddset(&s, SIGUSR1);
    sigaddset(&s, SIGUSR2);
    return s;
}

static int is_stop(int sig)
{
    return sig == SIGINT || sig == SIGTERM || sig == SIGHUP;
}

static void (*usr1_fn)(void *);
static void *usr1_user;

void cli_on_usr1(void (*fn)(void *), void *user)
{
    usr1_fn = fn;
    usr1_user = user;
}

static void usr1(void)
{
    if (usr1_fn)
        usr1_fn(usr1_user);
}

static void exit_now(int sig)
{
    static const char msg[] = "pact: second signal: exiting now\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more to do */
    }
    _exit(128 + sig);
}

void cli_arm_second_signal(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = exit_now;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* Only this (the main) thread unblocks them: the sampling thread
     * inherited the blocked mask, so the handler runs here. */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGHUP);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

void cli_block_signals(sigset_t *old)
{
    sigset_t s = waited_set();
    sigprocmask(SIG_BLOCK, &s, old);
}

int cli_spawn_parked(char **argv, struct cli_child *c)
{
    return cli_spawn_parked_to(argv, c, -1);
}

int cli_spawn_parked_to(char **argv, struct cli_child *c, int out_fd)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0)
        return -errno;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = -errno;
        close(p[0]);
        close(p[1]);
        return e;
    }
    if (pid == 0) {
        close(p[1]);
        /* The workload never outlives pact, even a pact killed with
         * SIGKILL; checked against a parent that died before this. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
            _exit(125);
        char go;
        ssize_t r;
        do
            r = read(p[0], &go, 1);
        while (r < 0 && errno == EINTR);
        if (r != 1)
            _exit(125); /* pact gave up before the start */
        sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
        if (out_fd >= 0 && (dup2(out_fd, STDOUT_FILENO) < 0 ||
                            dup2(out_fd, STDERR_FILENO) < 0))
            _exit(126);
        execvp(argv[0], argv);
        int e = errno;
        if (e == ENOENT)
            fprintf(stderr, "pact: %s: command not found\n", argv[0]);
        else
            fprintf(stderr, "pact: %s: %s\n", argv[0], strerror(e));
        _exit(e == ENOENT ? 127 : 126);
    }
    close(p[0]);
    /* Orphans of the workload come to pact, so a stop can end them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0, 0, 0);
    c->pid = pid;
    c->release_fd = p[1];
    return 0;
}

void cli_release(struct cli_child *c)
{
    char go = 1;
    if (write(c->release_fd, &go, 1) != 1)
        perror("pact: release workload");
    close(c->release_fd);
    c->release_fd = -1;
}

void cli_abort(struct cli_child *c)
{
    if (c->release_fd >= 0)
        close(c->release_fd); /* child reads EOF and exits 125 */
    c->release_fd = -1;
    int st;
    waitpid(c->pid, &st, 0);
}

static struct timespec to_ts(double s)
{
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    return ts;
}

/* Reap every exited child: the workload, and its orphans (pact is their
 * subreaper).  1 and *status when the workload was among them. */
static int reaped(struct cli_child *c, int *status)
{
    int found = 0;
    for (;;) {
        int st;
        pid_t r = waitpid(-1, &st, WNOHANG);
        if (r <= 0)
            return found;
        if (r == c->pid && (WIFEXITED(st) || WIFSIGNALED(st))) {
            *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            found = 1;
        }
    }
}

/* SIGKILL every child pact has: the workload's orphans, which the kernel
 * handed to pact (the subreaper), and reap them; bounded. */
static void kill_orphans(void)
{
    for (int round = 0; round < 50; round++) {
        char path[64], buf[4096];
        snprintf(path, sizeof path, "/proc/self/task/%ld/children",
                 (long)getpid());
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f)
            fclose(f);
        buf[n] = '\0';
        pid_t pids[512];
        int np = 0;
        for (char *p = buf, *end; *p && np < 512; p = end) {
            long pid = strtol(p, &end, 10);
            if (end == p)
                break;
            if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
                pids[np++] = (pid_t)pid;
        }
        for (int i = 0; i < np; i++) {
            int st;
            while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
                ;
        }
        if (np == 0)
            return;
    }
}

/* After a stop signal: CLI_GRACE_S for the child to exit, then SIGKILL. */
static int stop_child(struct cli_child *c, int sig)
{
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int status;
    for (;;) {
        if (reaped(c, &status))
            return status;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double left = CLI_GRACE_S - ((double)(now.tv_sec - t0.tv_sec) +
                                     (double)(now.tv_nsec - t0.tv_nsec) / 1e9);
        if (left <= 0)
            break;
        struct timespec ts = to_ts(left);
        sigtimedwait(&chld, NULL, &ts);
    }
    fprintf(stderr, "pact: the workload did not exit within %.1f s of "
            "SIG%s; killed it\n", CLI_GRACE_S, sigabbrev_np(sig));
    kill(c->pid, SIGKILL);
    int st;
    while (waitpid(c->pid, &st, 0) < 0 && errno == EINTR)
        ;
    kill_orphans();
    return 128 + sig;
}

int cli_wait(struct cli_child *c, double every_s, void (*tick)(void *),
             void *user)
{
    sigset_t s = waited_set();
    c->stop_sig = 0;
    for (;;) {
        int status;
        if (reaped(c, &status))
            return status;
        siginfo_t info;
        struct timespec ts = to_ts(every_s > 0 ? every_s : 3600);
        int sig = sigtimedwait(&s, &info, &ts);
        if (sig < 0) {
            if (errno == EAGAIN && tick && every_s > 0)
                tick(user);
            continue;
        }
        if (sig == SIGCHLD)
            continue;
        if (sig == SIGUSR1) {
            usr1();
            continue;
        }
        /* Sent by a process (kill, a supervisor): pass it on.  From the
         * terminal (SI_KERNEL) the child's group already has it. */
        if (info.si_code != SI_KERNEL)
            kill(c->pid, sig);
        if (is_stop(sig)) {
            c->stop_sig = sig;
            cli_arm_second_signal();
            return stop_child(c, sig);
        }
    }
}

int cli_wait_signal(double duration_s, double every_s, void (*tick)(void *),
                    void *user)
{
    sigset_t s = waited_set();
    sigdelset(&s, SIGCHLD);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double el = (double)(now.tv_sec - start.tv_sec) +
                    (double)(now.tv_nsec - start.tv_nsec) / 1e9;
        double wait = every_s > 0 ? every_s : 3600;
        if (duration_s > 0) {
            if (el >= duration_s)
                return 0;
            wait = fmin(wait, duration_s - el);
        }
        struct timespec ts = to_ts(wait);
        int sig = sigtimedwait(&s, NULL, &ts);
        if (sig == SIGUSR1) {
            usr1();
            continue;
        }
        if (sig == SIGUSR2)
            continue; /* no workload to pass it to */
        if (sig > 0) {
            if (is_stop(sig))
                cli_arm_second_signal();
            return sig;
        }
        if (errno == EAGAIN && tick && every_s > 0)
            tick(user);
    }
}
