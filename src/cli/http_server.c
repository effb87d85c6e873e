/* SPDX-License-Identifier: MIT */
/*
 * http_server.c - /metrics over libmicrohttpd (see http_server.h).  The
 * listening socket is bound here, so a busy port gets errno's word and
 * the port's number; libmicrohttpd then serves it from its own polling
 * thread.  A scrape copies the snapshot (a mutex held for a memcpy) and
 * formats it: it never waits for the sampler's device reads.
 * libmicrohttpd is dlopen'd on the first --listen, not linked: it pulls
 * in GnuTLS, which would add ~3 MiB of RSS to every pact run.
 */
#include "cli/http_server.h"

#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/snapshot.h"
#include "output/prometheus.h"

/* The functions used, resolved from libmicrohttpd.so.12 at run time. */
#define MHD_FUNCS(X)                                                         \
    X(MHD_start_daemon)                                                      \
    X(MHD_stop_daemon)                                                       \
    X(MHD_create_response_from_buffer)                                       \
    X(MHD_add_response_header)                                               \
    X(MHD_queue_response)                                                    \
    X(MHD_destroy_response)                                                  \
    X(MHD_lookup_connection_value)
#define MHD_PTR(f) static __typeof__(f) *sym_##f;
MHD_FUNCS(MHD_PTR)

static int load_mhd(char *why, size_t len)
{
    static void *h;
    if (h)
        return 0;
    void *l = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!l) {
        snprintf(why, len, "--listen needs libmicrohttpd: %s; install the "
                 "Debian package libmicrohttpd12", dlerror());
        return -1;
    }
#define MHD_SYM(f)                                                           \
    if (!(*(void **)&sym_##f = dlsym(l, #f))) {                              \
        snprintf(why, len, "--listen: libmicrohttpd lacks %s", #f);          \
        dlclose(l);                                                          \
        return -1;                                                           \
    }
    MHD_FUNCS(MHD_SYM)
    h = l;
    return 0;
}

struct http_server {
    struct MHD_Daemon *d;
    struct pact__snapshot *snap;
    int fd;
};

int http_listen_parse(const char *spec, char *host, size_t hlen, int *port,
                      char *why, size_t len)
{
    const char *colon = strrchr(spec, ':');
    const char *p = colon ? colon + 1 : spec;
    host[0] = '\0';
    if (colon) {
        size_t n = (size_t)(colon - spec);
        const char *h = spec;
        if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
            h++;
            n -= 2;
        }
        if (n >= hlen) {
            snprintf(why, len, "--listen '%s': address too long", spec);
            return -1;
        }
        memcpy(host, h, n);
        host[n] = '\0';
        if (!strcmp(host, "*"))
            host[0] = '\0';
    }
    char *end;
    errno = 0;
    long v = strtol(p, &end, 10);
    if (!*p || *end || errno || v < 1 || v > 65535) {
        snprintf(why, len, "--listen '%s': expected [ADDR:]PORT with PORT "
                 "in 1..65535, e.g. --listen 127.0.0.1:9464", spec);
        return -1;
    }
    *port = (int)v;
    return 0;
}

/* Bind and listen on the first address of host that works. */
static int try_bind(const char *host, int family, int port, int *fam_out,
                    int *err, int *gai)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
                             .ai_family = family,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    if (host[0] && strcmp(host, "localhost") != 0)
        hints.ai_flags |= AI_NUMERICHOST;
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    struct addrinfo *ai = NULL;
    *gai = getaddrinfo(host[0] ? host : NULL, ps, &hints, &ai);
    if (*gai != 0)
        return -1;
    int fd = -1;
    for (struct addrinfo *a = ai; a; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC,
                    a->ai_protocol);
        if (fd < 0) {
            *err = errno;
            continue;
        }
        int one = 1, zero = 0;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (a->ai_family == AF_INET6 && !host[0])
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
        if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 &&
            listen(fd, 64) == 0) {
            *fam_out = a->ai_family;
            break;
        }
        *err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(ai);
    return fd;
}

static int bind_socket(const char *host, int port, int *family, char *why,
                       size_t len, const char *spec)
{
    int err = 0, gai = 0;
    /* No address: IPv6 and IPv4 on one socket, else IPv4 alone. */
    int fd = try_bind(host, host[0] ? AF_UNSPEC : AF_INET6, port, family,
                      &err, &gai);
    if (fd < 0 && !host[0] && err != EADDRINUSE && err != EACCES)
        fd = try_bind(host, AF_INET, port, family, &err, &gai);
    if (fd >= 0)
        return fd;
    if (gai != 0)
        snprintf(why, len, "--listen '%s': '%s' is not an address (%s); "
                 "give an IP address, [IPv6] or localhost", spec, host,
                 gai_strerror(gai));
    else
        snprintf(why, len, "--listen %s: cannot listen on port %d: %s%s",
                 spec, port, strerror(err),
                 err == EADDRINUSE ? "; another process has the port: "
                                     "choose another one"
                 : err == EACCES   ? "; ports below 1024 need root: "
                                     "choose a port above 1023"
                                   : "");
    return -1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
                             const char *type, char *body, size_t n,
                             int must_free)
{
    struct MHD_Response *r = sym_MHD_create_response_from_buffer(
        n, body, must_free ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        if (must_free)
            free(body);
        return MHD_NO;
    }
    sym_MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        sym_MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    enum MHD_Result q = sym_MHD_queue_response(c, status, r);
    sym_MHD_destroy_response(r);
    return q;
}

static char *landing(const struct pact__snap *s, size_t *n)
{
    char labels[2048] = "";
    size_t off = 0;
    for (int i = 0; i < s->labels.n && off < sizeof labels; i++) {
        int k = snprintf(labels + off, sizeof labels - off,
                         "<li>%s = %s</li>\n", s->labels.l[i].key,
                         s->labels.l[i].value);
        if (k > 0)
            off += (size_t)k;
    }
    char *html = NULL;
    int k = asprintf(&html,
                     "<!DOCTYPE html>\n<html><head><title>pact exporter"
                     "</title></head><body>\n<h1>pact exporter</h1>\n"
                     "<p>Power, energy and CO2 of this machine: <a "
                     "href=\"/metrics\">/metrics</a> (Prometheus text; "
                     "OpenMetrics on request).  Values are as of the last "
                     "closed window (%g s); %llu windows so far.</p>\n"
                     "<h2>Labels</h2>\n<ul>\n%s</ul>\n</body></html>\n",
                     s->window_s, (unsigned long long)s->windows, labels);
    if (k < 0)
        return NULL;
    *n = (size_t)k;
    return html;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_len, void **state)
{
    (void)version;
    (void)upload;
    (void)upload_len;
    (void)state;
    struct http_server *h = cls;
    static char not_allowed[] = "405 method not allowed: use GET\n";
    static char not_found[] = "404 not found: the metrics are at /metrics\n";
    static char oom[] = "500 out of memory\n";
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
                     not_allowed, strlen(not_allowed), 0);
    int metrics = !strcmp(url, "/metrics");
    if (!metrics && strcmp(url, "/") != 0)
        return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", not_found,
                     strlen(not_found), 0);
    double t0 = now_s();
    struct pact__snap *s = malloc(sizeof *s);
    if (!s)
        return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", oom,
                     strlen(oom), 0);
    pact__snapshot_get(h->snap, s);
    size_t n = 0;
    char *body;
    const char *type = "text/html; charset=utf-8";
    if (metrics) {
        const char *accept =
            sym_MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
        int om = pact__prom_wants_openmetrics(accept);
        type = om ? PACT__PROM_OPENMETRICS : PACT__PROM_TEXT;
        body = pact__prom_format(s, om, now_s() - t0, &n);
    } else {
        body = landing(s, &n);
    }
    free(s);
    if (!body)
        return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", oom,
                     strlen(oom), 0);
    return reply(c, MHD_HTTP_OK, type, body, n, 1);
}

struct http_server *http_server_start(const char *spec,
                                      struct pact__snapshot *snap,
                                      char *why, size_t len)
{
    char host[256];
    int port, family = AF_INET;
    if (http_listen_parse(spec, host, sizeof host, &port, why, len) < 0)
        return NULL;
    if (load_mhd(why, len) < 0)
        return NULL;
    int fd = bind_socket(host, port, &family, why, len, spec);
    if (fd < 0)
        return NULL;
    struct http_server *h = calloc(1, sizeof *h);
    if (!h) {
        close(fd);
        snprintf(why, len, "out of memory");
        return NULL;
    }
    h->snap = snap;
    h->fd = fd;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    if (family == AF_INET6)
        flags |= MHD_USE_IPv6;
    h->d = sym_MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, handle, h,
                            MHD_OPTION_LISTEN_SOCKET, fd,
                            MHD_OPTION_CONNECTION_LIMIT, 64u,
                            MHD_OPTION_CONNECTION_TIMEOUT, 10u,
                            MHD_OPTION_END);
    if (!h->d) {
        snprintf(why, len, "--listen %s: cannot serve port %d (libmicrohttpd "
                 "did not start)", spec, port);
        close(fd);
        free(h);
        return NULL;
    }
    return h;
}

void http_server_stop(struct http_server *h)
{
    if (!h)
        return;
    sym_MHD_stop_daemon(h->d); /* joins its thread; the socket stays ours */
    close(h->fd);
    free(h);
}
