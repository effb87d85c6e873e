/* SPDX-License-Identifier: MIT */
/*
 * datafile.c - the data-table search (see datafile.h).  The library's own
 * location comes from dladdr() on one of its functions, so a build tree
 * (build/libpact.so or build/pact next to data/) works without installing;
 * /proc/self/exe covers a static link whose dladdr name is relative.
 */
#include "core/datafile.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PACT_DATADIR
#define PACT_DATADIR "/usr/local/share/pact"
#endif

/* Try dir/name; 0 if readable. */
static int try_dir(const char *dir, const char *name, char *buf, size_t len)
{
    if (!dir || !dir[0])
        return -ENOENT;
    int n = snprintf(buf, len, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= len)
        return -ENAMETOOLONG;
    return access(buf, R_OK) == 0 ? 0 : -ENOENT;
}

/* Try dirname(file) + "/../data"/name. */
static int try_beside(const char *file, const char *name, char *buf, size_t len)
{
    char dir[PATH_MAX];
    if (!file || !file[0] || strlen(file) >= sizeof dir)
        return -ENOENT;
    snprintf(dir, sizeof dir, "%s", file);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    size_t used = strlen(dir);
    if (used + sizeof "/../data" > sizeof dir)
        return -ENAMETOOLONG;
    memcpy(dir + used, "/../data", sizeof "/../data");
    return try_dir(dir, name, buf, len);
}

int pact__data_path(const struct pact_config *cfg, const char *name, char *buf,
                    size_t len)
{
    int rc = -ENOENT;
    if (cfg && cfg->data_dir && try_dir(cfg->data_dir, name, buf, len) == 0)
        return 0;
    if (try_dir(getenv("PACT_DATA_DIR"), name, buf, len) == 0)
        return 0;
    Dl_info info;
    if (dladdr((void *)pact__data_path, &info) && info.dli_fname &&
        try_beside(info.dli_fname, name, buf, len) == 0)
        return 0;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        if (try_beside(exe, name, buf, len) == 0)
            return 0;
    }
    rc = try_dir(PACT_DATADIR, name, buf, len);
    return rc == -ENAMETOOLONG ? rc : rc == 0 ? 0 : -ENOENT;
}
