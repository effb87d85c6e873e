/* SPDX-License-Identifier: MIT */
/*
 * outfile.h - safe creation of the files pact writes.  An output path
 * that is a symbolic link, a FIFO, a device or a directory is refused
 * with a message that names it; so is an output that is the same file
 * (device and inode) as one of the run's inputs.  Whole files (summary
 * JSON, models, predictions, stress results) are written to a new
 * temporary file beside the target (O_EXCL, never following links) and
 * renamed over it only when complete, so a failed write leaves the old
 * file as it was.
 */
#ifndef PACT_OUTPUT_OUTFILE_H
#define PACT_OUTPUT_OUTFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

/* 0 when path may be written: it does not exist, or is a regular file
 * that is none of inputs (a NULL-terminated list; NULL entries before
 * the end are not allowed, unset inputs are simply left out).  Else a
 * negative errno with a one-line why naming the path. */
int pact__out_check(const char *path, const char *const *inputs, char *why,
                    size_t len);

struct pact__outfile {
    char path[PATH_MAX];
    char tmp[PATH_MAX + 32];
    FILE *fp;
};

/* pact__out_check, then create the temporary file; o->fp is ready for
 * writing.  Returns 0 or -errno with why. */
int pact__outfile_open(struct pact__outfile *o, const char *path,
                       const char *const *inputs, char *why, size_t len);

/* Flush, fsync, close and rename over the target.  On any failure the
 * temporary file is removed, the target is untouched, and why says what
 * went wrong.  Returns 0 or -errno. */
int pact__outfile_commit(struct pact__outfile *o, char *why, size_t len);

/* Close and remove the temporary file (NULL-safe, idempotent). */
void pact__outfile_abort(struct pact__outfile *o);

#endif
