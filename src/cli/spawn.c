/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - see spawn.h.  Waiting uses sigtimedwait on blocked signals,
 * so there are no asynchronous handlers and no races with SIGCHLD.
 */
#include "cli/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    return s;
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
    pid_t pid = fork();
    if (pid < 0) {
        int e = -errno;
        close(p[0]);
        close(p[1]);
        return e;
    }
    if (pid == 0) {
        close(p[1]);
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

int cli_wait(struct cli_child *c, double every_s, void (*tick)(void *),
             void *user)
{
    sigset_t s = waited_set();
    for (;;) {
        int st;
        pid_t r = waitpid(c->pid, &st, WNOHANG);
        if (r == c->pid) {
            if (WIFEXITED(st))
                return WEXITSTATUS(st);
            if (WIFSIGNALED(st))
                return 128 + WTERMSIG(st);
            continue;
        }
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
        /* Sent by a process (kill, a supervisor): pass it on.  From the
         * terminal (SI_KERNEL) the child's group already has it. */
        if (info.si_code != SI_KERNEL)
            kill(c->pid, sig);
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
        if (sig > 0)
            return sig;
        if (errno == EAGAIN && tick && every_s > 0)
            tick(user);
    }
}
