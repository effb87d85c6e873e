/* SPDX-License-Identifier: MIT */
/*
 * control.c - the control socket (see control.h).  The thread waits in
 * poll() on the listening socket and a wake-up pipe; each client gets one
 * bounded request line (1 s to send it) and one answer.  Answers come
 * from the snapshot the sampler publishes at each window close, so a slow
 * or dead `pact top` never reaches the sampler.
 */
#include "cli/control.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/snapshot.h"
#include "output/prometheus.h"

struct control {
    int fd, wake[2];
    pthread_t thread;
    struct pact__snapshot *snap;
    void (*stop)(void *);
    void *user;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

int control_dir(char *buf, size_t len, int create, char *why, size_t wlen)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    if (xdg && *xdg && stat(xdg, &st) == 0 && S_ISDIR(st.st_mode) &&
        st.st_uid == getuid())
        snprintf(buf, len, "%s/pact", xdg);
    else
        snprintf(buf, len, "/tmp/pact-%u", (unsigned)getuid());
    if (create && mkdir(buf, 0700) < 0 && errno != EEXIST) {
        snprintf(why, wlen, "cannot create %s: %s", buf, strerror(errno));
        return -1;
    }
    /* Another user's directory, or a link planted in /tmp, is refused. */
    if (lstat(buf, &st) < 0) {
        snprintf(why, wlen, "%s: %s (is pact running?)", buf,
                 strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
        (st.st_mode & 077)) {
        snprintf(why, wlen, "%s is not a private directory of this user; "
                 "remove it", buf);
        return -1;
    }
    return 0;
}

static void answer(struct control *c, int fd)
{
    struct timeval tv = {.tv_sec = 1};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char line[64];
    size_t n = 0;
    while (n < sizeof line - 1) {
        ssize_t k = read(fd, line + n, 1);
        if (k <= 0 || line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    if (strcmp(line, "metrics") == 0) {
        struct pact__snap *s = malloc(sizeof *s);
        if (!s)
            return;
        pact__snapshot_get(c->snap, s);
        size_t len = 0;
        char *text = pact__prom_format(s, 0, -1, &len);
        free(s);
        for (size_t off = 0; text && off < len;) {
            ssize_t k = write(fd, text + off, len - off);
            if (k <= 0)
                break;
            off += (size_t)k;
        }
        free(text);
    } else if (strcmp(line, "stop") == 0) {
        if (write(fd, "ok\n", 3) < 0) {
            /* the client went away: stop all the same */
        }
        if (c->stop)
            c->stop(c->user);
    } else {
        dprintf(fd, "error: unknown request '%s'; send metrics or stop\n",
                line);
    }
}

static void *serve(void *arg)
{
    struct control *c = arg;
    for (;;) {
        struct pollfd p[2] = {{.fd = c->fd, .events = POLLIN},
                              {.fd = c->wake[0], .events = POLLIN}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (p[1].revents)
            break;
        if (!(p[0].revents & POLLIN))
            continue;
        int fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        answer(c, fd);
        close(fd);
    }
    return NULL;
}

struct control *control_start(struct pact__snapshot *snap,
                              void (*stop)(void *), void *user, char *why,
                              size_t len)
{
    if (!snap) {
        snprintf(why, len, "no snapshot to serve");
        return NULL;
    }
    char dir[200];
    if (control_dir(dir, sizeof dir, 1, why, len) < 0)
        return NULL;
    struct control *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(why, len, "out of memory");
        return NULL;
    }
    c->snap = snap;
    c->stop = stop;
    c->user = user;
    c->wake[0] = c->wake[1] = -1;
    int n = snprintf(c->path, sizeof c->path, "%s/%ld.sock", dir,
                     (long)getpid());
    if (n < 0 || (size_t)n >= sizeof c->path) {
        snprintf(why, len, "socket path under %s is too long", dir);
        free(c);
        return NULL;
    }
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    memcpy(a.sun_path, c->path, strlen(c->path) + 1);
    unlink(c->path); /* a stale socket of a dead pact with our pid */
    if (c->fd < 0 || bind(c->fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        listen(c->fd, 8) < 0 || pipe2(c->wake, O_CLOEXEC) < 0) {
        snprintf(why, len, "cannot open the control socket %s: %s",
                 c->path, strerror(errno));
        control_stop(c);
        return NULL;
    }
    if (pthread_create(&c->thread, NULL, serve, c) != 0) {
        snprintf(why, len, "cannot start the control thread");
        close(c->wake[1]);
        c->wake[1] = -1;
        control_stop(c);
        return NULL;
    }
    return c;
}

struct control *control_start_or_say(struct pact__snapshot *snap,
                                     void (*stop)(void *), void *user,
                                     int quiet)
{
    char why[512] = "";
    struct control *c = control_start(snap, stop, user, why, sizeof why);
    if (!c && why[0] && !quiet)
        fprintf(stderr, "pact: %s; pact top can still use --listen\n", why);
    return c;
}

void control_stop(struct control *c)
{
    if (!c)
        return;
    if (c->wake[1] >= 0) {
        if (write(c->wake[1], "x", 1) == 1)
            pthread_join(c->thread, NULL);
        close(c->wake[1]);
    }
    if (c->wake[0] >= 0)
        close(c->wake[0]);
    if (c->fd >= 0) {
        close(c->fd);
        unlink(c->path);
    }
    free(c);
}
