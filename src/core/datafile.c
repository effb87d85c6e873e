/* SPDX-License-Identifier: MIT */
/*
 * datafile.c - pact__data_path(): search the data directories in order
 * (see datafile.h).  The build-tree guess uses dladdr on a symbol of
 * this file, so it works for libpact.so and for programs linked with
 * libpact.a alike; it does not search $PATH or the working directory.
 */
#include "core/datafile.h"
#include "core/secenv.h"

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

/* Join dir and name into buf; 0 if that file exists. */
static int try_dir(const char *dir, const char *name, char *buf, size_t len)
{
    if (!dir || !*dir)
        return -ENOENT;
    int n = snprintf(buf, len, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= len)
        return -ENAMETOOLONG;
    return access(buf, R_OK) == 0 ? 0 : -ENOENT;
}

/* Directory holding the object this code lives in (library or program). */
static int self_dir(char *dir, size_t len)
{
    Dl_info info;
    char path[PATH_MAX];
    const char *from = NULL;

    if (dladdr((void *)&pact__data_path, &info) && info.dli_fname &&
        strchr(info.dli_fname, '/'))
        from = info.dli_fname;
    if (from) {
        if (!realpath(from, path))
            return -errno;
    } else {
        /* The main program named without a slash: ask the kernel. */
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
        if (n < 0)
            return -errno;
        path[n] = '\0';
    }
    char *slash = strrchr(path, '/');
    if (!slash)
        return -ENOENT;
    *slash = '\0';
    int n = snprintf(dir, len, "%s", path);
    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int pact__data_path(const struct pact_config *cfg, const char *name,
                    char *buf, size_t len)
{
    char dir[PATH_MAX];
    int rc = -ENOENT;

    if (cfg && cfg->data_dir && *cfg->data_dir && !pact__privileged())
        return try_dir(cfg->data_dir, name, buf, len);
    if ((rc = try_dir(pact__trusted_env("PACT_DATA_DIR"), name, buf, len)) == 0)
        return 0;
    /* The source tree (build/../data), then an install under any prefix
     * (bin/../share/pact, lib/../share/pact). */
    if (self_dir(dir, sizeof dir) == 0) {
        static const char *const rel[] = {"/../data", "/../share/pact"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char d[PATH_MAX + 32];
            snprintf(d, sizeof d, "%s%s", dir, rel[i]);
            if ((rc = try_dir(d, name, buf, len)) == 0)
                return 0;
        }
    }
    rc = try_dir(PACT_DATADIR, name, buf, len);
    return rc;
}
