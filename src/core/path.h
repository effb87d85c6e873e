/* SPDX-License-Identifier: MIT */
/*
 * path.h - every /sys, /proc and /dev path pact reads goes through here,
 * prefixed by the sysroot (--sysroot or PACT_SYSROOT) so tests can point
 * the real readers at fixture trees.  Also tiny file-reading helpers.
 */
#ifndef PACT_CORE_PATH_H
#define PACT_CORE_PATH_H

#include <stddef.h>
#include <stdint.h>

/* The sysroot to use: cfg value if not NULL, else $PACT_SYSROOT, else "".
 * Returned pointer is borrowed (cfg's string or the environment's). */
const char *pact__sysroot(const char *cfg_sysroot);

/* Write root + formatted path into buf.  Returns length, or -ENAMETOOLONG. */
int pact__path(char *buf, size_t len, const char *root, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Read a whole small file (at most len-1 bytes) into buf, NUL-terminated,
 * trailing newline stripped.  Returns length or -errno. */
int pact__read_text(const char *path, char *buf, size_t len);

/* Read one unsigned / signed decimal integer or a double from a file.
 * Return 0 or -errno (-EINVAL when the content is not a number). */
int pact__read_u64(const char *path, uint64_t *out);
int pact__read_double(const char *path, double *out);

#endif
