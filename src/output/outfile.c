/* SPDX-License-Identifier: MIT */
/*
 * outfile.c - see outfile.h.
 */
#include "output/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int same_as_input(const struct stat *o, const char *const *inputs,
                         const char **which)
{
    for (int i = 0; inputs && inputs[i]; i++) {
        struct stat s;
        if (stat(inputs[i], &s) == 0 && s.st_dev == o->st_dev &&
            s.st_ino == o->st_ino) {
            *which = inputs[i];
            return 1;
        }
    }
    return 0;
}

int pact__out_check(const char *path, const char *const *inputs, char *why,
                    size_t len)
{
    struct stat st;
    if (!path || !*path) {
        snprintf(why, len, "empty output path; give a file name");
        return -EINVAL;
    }
    if (lstat(path, &st) < 0)
        return 0; /* created later; errors then name the path */
    if (S_ISLNK(st.st_mode)) {
        snprintf(why, len,
                 "output '%s' is a symbolic link; pact does not write "
                 "through links: remove it or choose another path",
                 path);
        return -ELOOP;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, len,
                 "output '%s' is %s, not a regular file; choose a file "
                 "path",
                 path,
                 S_ISDIR(st.st_mode)    ? "a directory"
                 : S_ISFIFO(st.st_mode) ? "a FIFO"
                 : S_ISCHR(st.st_mode)  ? "a character device"
                 : S_ISBLK(st.st_mode)  ? "a block device"
                 : S_ISSOCK(st.st_mode) ? "a socket"
                                        : "a special file");
        return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
    }
    const char *in;
    if (same_as_input(&st, inputs, &in)) {
        snprintf(why, len,
                 "output '%s' is the input '%s'; writing it would destroy "
                 "the input: choose another output path",
                 path, in);
        return -EEXIST;
    }
    return 0;
}

int pact__outfile_open(struct pact__outfile *o, const char *path,
                       const char *const *inputs, char *why, size_t len)
{
    memset(o, 0, sizeof *o);
    int rc = pact__out_check(path, inputs, why, len);
    if (rc < 0)
        return rc;
    if (snprintf(o->path, sizeof o->path, "%s", path) >=
        (int)sizeof o->path) {
        snprintf(why, len, "output path too long: %s", path);
        return -ENAMETOOLONG;
    }
    const char *slash = strrchr(path, '/');
    int dlen = slash ? (int)(slash - path) + 1 : 0;
    snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.pact-XXXXXX", dlen, path,
             slash ? slash + 1 : path);
    int fd = mkostemp(o->tmp, O_CLOEXEC); /* O_CREAT|O_EXCL, mode 0600 */
    if (fd < 0) {
        int e = errno;
        snprintf(why, len,
                 "cannot write '%s': %s; check the directory exists and "
                 "is writable",
                 path, strerror(e));
        o->tmp[0] = '\0';
        return -e;
    }
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        o->tmp[0] = '\0';
        snprintf(why, len, "cannot write '%s': %s", path, strerror(e));
        return -e;
    }
    return 0;
}

int pact__outfile_commit(struct pact__outfile *o, char *why, size_t len)
{
    if (!o->fp)
        return -EBADF;
    int e = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        e = errno ? errno : EIO;
    else if (fsync(fileno(o->fp)) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(o->fp) != 0 && !e)
        e = errno ? errno : EIO;
    o->fp = NULL;
    if (!e) {
        /* Checked again just before the rename: a link or FIFO put there
         * since the open is refused, not replaced silently. */
        char w2[64];
        int rc = pact__out_check(o->path, NULL, w2, sizeof w2);
        if (rc < 0) {
            pact__out_check(o->path, NULL, why, len);
            unlink(o->tmp);
            o->tmp[0] = '\0';
            return rc;
        }
        if (rename(o->tmp, o->path) != 0)
            e = errno;
    }
    if (e) {
        snprintf(why, len,
                 "could not write '%s': %s; it is left as it was (free "
                 "disk space or choose another path)",
                 o->path, strerror(e));
        unlink(o->tmp);
        o->tmp[0] = '\0';
        return -e;
    }
    o->tmp[0] = '\0';
    return 0;
}

void pact__outfile_abort(struct pact__outfile *o)
{
    if (!o)
        return;
    if (o->fp)
        fclose(o->fp);
    o->fp = NULL;
    if (o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
}
