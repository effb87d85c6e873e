/* SPDX-License-Identifier: MIT */
/*
 * fuzz_input.h - helpers shared by the fuzz targets: the parsers read
 * files by path, so the input goes into a memfd and its /proc path is
 * handed over.
 */
#ifndef PACT_FUZZ_INPUT_H
#define PACT_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Write data to a new memfd; path gets "/proc/self/fd/N".  Returns the
 * fd (close it after use) or -1. */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path,
                            size_t len)
{
    int fd = memfd_create("pact-fuzz", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
