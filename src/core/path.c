/* SPDX-License-Identifier: MIT */
/*
 * path.c - sysroot-prefixed paths and small-file readers (see path.h).
 * Readers use open/read rather than stdio: sysfs attributes are read in
 * one call, and the fd is closed at once, so a removed device shows up
 * as -ENOENT/-ENODEV on the next read, not as a stale value.
 */
#include "core/path.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/numfmt.h"
#include "core/secenv.h"

const char *pact__sysroot(const char *cfg_sysroot)
{
    if (cfg_sysroot && *cfg_sysroot && pact__privileged()) {
        /* Privileged reads are never redirected (docs/security.md). */
        pact__log(PACT_LOG_WARN, "ignoring --sysroot %s: pact runs with "
                  "elevated privileges", cfg_sysroot);
        return "";
    }
    if (cfg_sysroot)
        return cfg_sysroot;
    const char *env = pact__trusted_env("PACT_SYSROOT");
    return env ? env : "";
}

int pact__path(char *buf, size_t len, const char *root, const char *fmt, ...)
{
    int n = snprintf(buf, len, "%s", root ? root : "");
    if (n < 0 || (size_t)n >= len)
        return -ENAMETOOLONG;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(buf + n, len - (size_t)n, fmt, ap);
    va_end(ap);
    if (m < 0 || (size_t)(n + m) >= len)
        return -ENAMETOOLONG;
    return n + m;
}

int pact__read_text(const char *path, char *buf, size_t len)
{
    if (len == 0)
        return -EINVAL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t got = 0;
    while (got < len - 1) {
        ssize_t r = read(fd, buf + got, len - 1 - got);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = -errno;
            close(fd);
            return e;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
        buf[--got] = '\0';
    return (int)got;
}

int pact__read_u64(const char *path, uint64_t *out)
{
    char buf[64];
    int n = pact__read_text(path, buf, sizeof buf);
    if (n < 0)
        return n;
    if (n == 0 || buf[0] == '-')
        return -EINVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(buf, &end, 10);
    if (errno || *end != '\0')
        return -EINVAL;
    *out = v;
    return 0;
}

int pact__read_double(const char *path, double *out)
{
    char buf[64];
    int n = pact__read_text(path, buf, sizeof buf);
    if (n < 0)
        return n;
    char *end;
    errno = 0;
    double v = pact__strtod(buf, &end);
    if (n == 0 || errno || *end != '\0')
        return -EINVAL;
    *out = v;
    return 0;
}
