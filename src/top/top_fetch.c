/* SPDX-License-Identifier: MIT */
/*
 * top_fetch.c - see top_fetch.h.  The HTTP side is a plain HTTP/1.0 GET
 * of one page (the server, libmicrohttpd, closes after answering); the
 * socket side is control.c's one-line protocol.
 */
#include "top/top_fetch.h"

#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli/control.h"

#define ANSWER_MAX (8u << 20)

int top_target_find(const char *url, const char *socket, long pid,
                    struct top_target *t, char *why, size_t len)
{
    memset(t, 0, sizeof *t);
    if (url) {
        const char *p = url;
        if (strncmp(p, "http://", 7) == 0)
            p += 7;
        else if (strstr(p, "://")) {
            snprintf(why, len, "--url %s: only http:// is supported", url);
            return -1;
        }
        const char *slash = strchr(p, '/');
        size_t hl = slash ? (size_t)(slash - p) : strlen(p);
        char hp[160];
        if (hl >= sizeof hp) {
            snprintf(why, len, "--url %s: host too long", url);
            return -1;
        }
        memcpy(hp, p, hl);
        hp[hl] = '\0';
        char *colon = strrchr(hp, ':');
        t->port = 80;
        if (colon && !strchr(colon, ']')) {
            *colon = '\0';
            char *end;
            long port = strtol(colon + 1, &end, 10);
            if (*end || port < 1 || port > 65535) {
                snprintf(why, len, "--url %s: bad port", url);
                return -1;
            }
            t->port = (int)port;
        }
        char *h = hp;
        if (*h == '[') {
            h++;
            h[strcspn(h, "]")] = '\0';
        }
        snprintf(t->host, sizeof t->host, "%.127s", *h ? h : "127.0.0.1");
        snprintf(t->path, sizeof t->path, "%s", slash ? slash : "/metrics");
        return 0;
    }
    if (socket) {
        snprintf(t->socket, sizeof t->socket, "%s", socket);
        return 0;
    }
    char dir[200];
    if (control_dir(dir, sizeof dir, 0, why, len) < 0)
        return -1;
    if (pid > 0) {
        snprintf(t->socket, sizeof t->socket, "%s/%ld.sock", dir, pid);
        return 0;
    }
    /* The newest socket whose pact is still alive. */
    DIR *d = opendir(dir);
    time_t best = 0;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char *end;
            long p = strtol(e->d_name, &end, 10);
            if (p <= 0 || strcmp(end, ".sock") != 0 || kill((pid_t)p, 0) < 0)
                continue;
            char path[512];
            struct stat st;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
                st.st_mtime >= best) {
                best = st.st_mtime;
                snprintf(t->socket, sizeof t->socket, "%.255s", path);
            }
        }
        closedir(d);
    }
    if (!t->socket[0]) {
        snprintf(why, len, "no running pact found in %s: start 'pact "
                 "monitor' or 'pact run', or give --url http://HOST:PORT "
                 "of one started with --listen", dir);
        return -1;
    }
    return 0;
}

static long ms_left(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (deadline->tv_sec - now.tv_sec) * 1000 +
           (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static int connect_to(const struct top_target *t, char *why, size_t len)
{
    if (t->socket[0]) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        snprintf(a.sun_path, sizeof a.sun_path, "%.107s", t->socket);
        if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
            snprintf(why, len, "cannot reach %s: %s (has that pact ended?)",
                     t->socket, strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        return fd;
    }
    char port[16];
    snprintf(port, sizeof port, "%d", t->port);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
    int rc = getaddrinfo(t->host, port, &hints, &ai);
    if (rc != 0) {
        snprintf(why, len, "%s: %s", t->host, gai_strerror(rc));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *p = ai; p && fd < 0; p = p->ai_next) {
        fd = socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, 0);
        if (fd >= 0 && connect(fd, p->ai_addr, p->ai_addrlen) < 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0)
        snprintf(why, len, "cannot connect to %s:%d: %s", t->host, t->port,
                 strerror(errno));
    return fd;
}

char *top_fetch(const struct top_target *t, const char *request,
                int timeout_ms, char *why, size_t len)
{
    if (!t->socket[0] && strcmp(request, "metrics") != 0) {
        snprintf(why, len, "'%s' needs the control socket (pact top "
                 "--pid PID), not --url", request);
        return NULL;
    }
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    int fd = connect_to(t, why, len);
    if (fd < 0)
        return NULL;
    char req[512];
    int n = t->socket[0]
                ? snprintf(req, sizeof req, "%s\n", request)
                : snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\n"
                           "Accept: text/plain\r\n\r\n", t->path, t->host);
    if (n < 0 || write(fd, req, (size_t)n) != n) {
        snprintf(why, len, "cannot send the request: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    size_t cap = 65536, used = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        long left = ms_left(&deadline);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
            snprintf(why, len, "no answer within %d ms", timeout_ms);
            free(buf);
            buf = NULL;
            break;
        }
        if (used == cap) {
            char *nb = cap < ANSWER_MAX ? realloc(buf, cap * 2 + 1) : NULL;
            if (!nb) {
                snprintf(why, len, "answer too large");
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t k = read(fd, buf + used, cap - used);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        used += (size_t)k;
    }
    close(fd);
    if (!buf)
        return NULL;
    buf[used] = '\0';
    if (!t->socket[0]) {
        /* Keep the body of a 200 answer. */
        char *body = strstr(buf, "\r\n\r\n");
        if (strncmp(buf, "HTTP/1.", 7) != 0 || !body ||
            strncmp(buf + 8, " 200", 4) != 0) {
            snprintf(why, len, "%s:%d%s did not answer 200", t->host,
                     t->port, t->path);
            free(buf);
            return NULL;
        }
        memmove(buf, body + 4, strlen(body + 4) + 1);
    }
    return buf;
}
