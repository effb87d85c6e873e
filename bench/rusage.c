/* SPDX-License-Identifier: MIT */
/*
 * rusage.c - benchmark helper (PACT-BENCH-HELPER: run.sh does not run it).
 * `rusage OUT CMD [ARG...]` runs CMD, then writes "USER_S SYS_S MAXRSS_KB"
 * from wait4() to OUT, and exits with CMD's status.  The figures include
 * CMD's reaped children (Linux folds them into the rusage wait4 returns).
 * It replaces GNU time, which a fresh Debian does not install.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: rusage OUT CMD [ARG...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "rusage: fork: %s\n", strerror(errno));
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "rusage: cannot run %s: %s\n", argv[2],
                strerror(errno));
        _exit(127);
    }
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "rusage: wait4: %s\n", strerror(errno));
            return 2;
        }
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        fprintf(stderr, "rusage: cannot write %s: %s\n", argv[1],
                strerror(errno));
        return 2;
    }
    fprintf(f, "%ld.%06ld %ld.%06ld %ld\n", (long)ru.ru_utime.tv_sec,
            (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec,
            (long)ru.ru_stime.tv_usec, ru.ru_maxrss);
    fclose(f);
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    return 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}
