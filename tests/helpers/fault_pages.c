/* SPDX-License-Identifier: MIT */
/*
 * fault_pages.c - test workload: touch N fresh anonymous pages (N page
 * faults, one each), optionally holding for S seconds, then exit with
 * status E.  usage: fault_pages N [SECONDS [EXIT]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
    double hold = argc > 2 ? strtod(argv[2], NULL) : 0;
    int code = argc > 3 ? (int)strtol(argv[3], NULL, 10) : 0;
    long page = sysconf(_SC_PAGESIZE);
    volatile char *p = mmap(NULL, (size_t)(n * page), PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (long i = 0; i < n; i++)
        p[i * page] = 1;
    if (hold > 0) {
        struct timespec ts = {(time_t)hold,
                              (long)((hold - (long)hold) * 1e9)};
        nanosleep(&ts, NULL);
    }
    return code;
}
