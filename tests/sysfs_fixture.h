/* SPDX-License-Identifier: MIT */
/*
 * sysfs_fixture.h - build fixture trees for --sysroot tests in a mkdtemp
 * directory: write files (creating parent directories), replace them
 * atomically as a sysfs attribute would change, remove them, and delete
 * the whole tree.  Directories are 0755 so an unprivileged child can walk.
 */
#ifndef PACT_TESTS_SYSFS_FIXTURE_H
#define PACT_TESTS_SYSFS_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Make a new fixture root; returns a static-lifetime malloc'd path. */
static inline char *fx_root(void)
{
    const char *tmp = getenv("TMPDIR");
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s/pact-fx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(buf))
        return NULL;
    chmod(buf, 0755);
    return strdup(buf);
}

static inline void fx_mkdirs(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(buf, 0755);
        *p = '/';
    }
    mkdir(buf, 0755);
}

/* Write root/rel with printf-style content, atomically (temp + rename),
 * creating the parent directories.  Returns 0 or -errno. */
static inline int fx_write(const char *root, const char *rel, const char *fmt,
                           ...) __attribute__((format(printf, 3, 4)));
static inline int fx_write(const char *root, const char *rel, const char *fmt,
                           ...)
{
    char path[PATH_MAX], tmp[PATH_MAX + 8], dir[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        fx_mkdirs(dir);
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -errno;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    if (fclose(f) != 0)
        return -errno;
    fchmodat(AT_FDCWD, tmp, 0644, 0);
    return rename(tmp, path) == 0 ? 0 : -errno;
}

/* Write 8 bytes at offset off of root/rel (an MSR file stand-in). */
static inline int fx_pwrite_u64(const char *root, const char *rel, uint64_t off,
                                uint64_t v)
{
    char path[PATH_MAX], dir[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        fx_mkdirs(dir);
    }
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd < 0)
        return -errno;
    ssize_t w = pwrite(fd, &v, sizeof v, (off_t)off);
    close(fd);
    return w == (ssize_t)sizeof v ? 0 : -EIO;
}

static inline int fx_chmod(const char *root, const char *rel, mode_t mode)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    return chmod(path, mode) == 0 ? 0 : -errno;
}

static inline int fx__rm_one(const char *p, const struct stat *st, int flag,
                             struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(p);
    return 0;
}

/* Remove root/rel and everything below it. */
static inline void fx_rm(const char *root, const char *rel)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    nftw(path, fx__rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Remove the whole tree and free root. */
static inline void fx_free(char *root)
{
    if (!root)
        return;
    nftw(root, fx__rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(root);
}

#endif
