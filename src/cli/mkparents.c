/* SPDX-License-Identifier: MIT */
/*
 * mkparents.c - see mkparents.h.  Walks the folder part of the path from
 * the left and creates each component that is missing; a component that
 * exists and is not a folder is an error naming it.
 */
#include "cli/mkparents.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int cli_mkparents(const char *path, char *why, size_t len)
{
    char dir[4096];
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash || slash == path)
        return 0;
    size_t n = (size_t)(slash - path);
    if (n >= sizeof dir) {
        snprintf(why, len, "output path '%s' is too long", path);
        return -ENAMETOOLONG;
    }
    memcpy(dir, path, n);
    dir[n] = '\0';
    for (size_t i = 1; i <= n; i++) {
        if (dir[i] != '/' && dir[i] != '\0')
            continue;
        char keep = dir[i];
        dir[i] = '\0';
        struct stat st;
        if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
            int e = errno;
            snprintf(why, len, "cannot write the output file '%s': "
                     "cannot create its folder '%s': %s", path, dir,
                     strerror(e));
            return -e;
        }
        if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
            snprintf(why, len, "cannot write the output file '%s': "
                     "cannot create its folder '%s': a file of that name "
                     "exists", path, dir);
            return -ENOTDIR;
        }
        dir[i] = keep;
    }
    return 0;
}
