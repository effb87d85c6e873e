/* SPDX-License-Identifier: MIT */
/*
 * helper_exec.c - `pact report` and `pact top` run the programs
 * pact-report and pact-top, found beside this pact binary (build tree or
 * PREFIX/bin), so that the tracker never carries cairo or ncurses.
 */
#include "cli/helper_exec.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cli_exec_helper(const char *name, int argc, char **argv)
{
    (void)argc;
    char self[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "pact %s: cannot find pact's own directory: %s\n",
                name, strerror(errno));
        return 2;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    snprintf(path, sizeof path, "%s/pact-%s", self, name);
    argv[0] = path;
    execv(path, argv);
    fprintf(stderr, "pact %s: cannot run %s: %s; build it with make, or "
            "reinstall pact (make install puts it beside pact)\n", name, path,
            strerror(errno));
    return 2;
}
