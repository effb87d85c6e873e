/* SPDX-License-Identifier: MIT */
/*
 * pact-psu-emu - a Corsair HXi/RMi or NZXT E-series PSU on a Unix
 * SOCK_SEQPACKET socket, for testing pact without the hardware.  Each
 * message is one 64-byte USB report; the protocol logic lives in
 * src/hid/psu_emu*.c.  Like hidraw, every reply goes to every connected
 * client.  Exits cleanly on SIGTERM/SIGINT and removes its socket.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "psu_emu/psu_emu.h"

#define MAX_CLIENTS 16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
"usage: pact-psu-emu --model MODEL --listen PATH [--state FILE] [--quiet]\n"
"\n"
"Answers the real USB HID report protocol of a PSU, byte for byte, on a\n"
"Unix SOCK_SEQPACKET socket at PATH (one message = one 64-byte report,\n"
"no report-number byte).  Use it with: pact run --psu-device unix:PATH\n"
"Readings are quantised as the device does (LINEAR11 exponents).\n"
"Replies go to every connected client, as hidraw does.\n"
"\n"
"Models (Corsair HXi/RMi):");
    for (const struct pact__corsair_model *m = pact__corsair_models; m->pid;
         m++)
        fprintf(f, " %s", m->emu);
    fprintf(f, "\nModels (NZXT E-series):");
    for (const struct pact__nzxt_model *m = pact__nzxt_models; m->pid; m++)
        fprintf(f, " %s", m->emu);
    fprintf(f,
"\n\n"
"--state FILE: key=value lines ('#' comments), re-read before every\n"
"request so a test can change them while a client reads.  Missing keys\n"
"(or a missing file) keep the defaults shown as corsair/nzxt:\n");
    for (int i = 0; i < EK_COUNT; i++) {
        const struct pact__emu_key_info *k = &pact__emu_keys[i];
        char dc[32] = "-", dn[32] = "-";
        if (k->families & PACT_EMU_CORSAIR)
            snprintf(dc, sizeof dc, "%.10g", k->corsair_def);
        if (k->families & PACT_EMU_NZXT)
            snprintf(dn, sizeof dn, "%.10g", k->nzxt_def);
        fprintf(f, "  %-30s %s (%s/%s)\n", k->name, k->help, dc, dn);
    }
    fprintf(f,
"  %-30s NZXT firmware for register 0xFC, e.g. A017 (-/A017)\n"
"  %-30s none|no_reply|wrong_echo|busy|garbage|disconnect (none)\n"
"      no_reply    swallow the request (the reader times out)\n"
"      wrong_echo  answer as if to another command (another program)\n"
"      busy        Corsair: the controller loses its init once (as after\n"
"                  standby): 'xx FE 00 00' until FE 03 is sent again;\n"
"                  NZXT: 'AA R FF FF ..' (SMBus busy/no data)\n"
"      garbage     64 pseudo-random bytes\n"
"      disconnect  close every connection and refuse new ones (unplug)\n"
"  %-30s limit the fault to one command code, hex (e.g. EE; Corsair\n"
"      init is FE, rail select 00; NZXT: the PMBus command) or 'any'\n"
"\n"
"A Corsair PSU starts uninitialised (answers 'xx FE 00 00' until it gets\n"
"FE 03), as after standby; change power_cycle to make it forget again.\n"
"Newer Corsair models (hx1000i-2022, hx1500i, hx1200i-atx31*) leave stale\n"
"bytes after short replies, as the HX1500i does.\n",
            "firmware", "fault", "fault_cmd");
}

static int listen_on(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    char tmp[sizeof a.sun_path];
    if (snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid()) >=
        (int)sizeof tmp) {
        fprintf(stderr, "pact-psu-emu: socket path too long: %s\n", path);
        return -1;
    }
    memcpy(a.sun_path, tmp, strlen(tmp) + 1);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("pact-psu-emu: socket");
        return -1;
    }
    unlink(tmp);
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
        fprintf(stderr, "pact-psu-emu: %s exists and is not a socket; "
                "choose another --listen path\n", path);
        close(fd);
        return -1;
    }
    /* Bind under a temporary name, then rename: the path appears only
     * once connections are accepted. */
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 8) < 0 ||
        rename(tmp, path) < 0) {
        fprintf(stderr, "pact-psu-emu: cannot listen on %s: %s\n", path,
                strerror(errno));
        unlink(tmp);
        close(fd);
        return -1;
    }
    return fd;
}

static void sleep_ms(double ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
                          .tv_nsec = (long)((ms - 1000.0 * (long)(ms / 1000)) *
                                            1e6)};
    nanosleep(&ts, NULL);
}

struct clients {
    int fd[MAX_CLIENTS];
    int n;
};

static void drop_client(struct clients *c, int i)
{
    close(c->fd[i]);
    c->fd[i] = c->fd[--c->n];
}

static void drop_all(struct clients *c)
{
    while (c->n)
        drop_client(c, 0);
}

/* Like hidraw: every reader gets every input report. */
static void broadcast(struct clients *c, const uint8_t *rep)
{
    for (int k = c->n - 1; k >= 0; k--)
        if (send(c->fd[k], rep, 64, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
            errno != EAGAIN)
            drop_client(c, k);
}

static void warn_state(struct pact__psu_emu *e, char *last, size_t len)
{
    if (e->st.bad_lines && strcmp(last, e->st.first_bad) != 0) {
        fprintf(stderr, "pact-psu-emu: state file line not understood: "
                "'%s' (see --help for the keys)\n", e->st.first_bad);
        snprintf(last, len, "%s", e->st.first_bad);
    }
}

int main(int argc, char **argv)
{
    const char *model = NULL, *path = NULL, *state = NULL;
    int quiet = 0;
    static const struct option opts[] = {
        {"model", required_argument, NULL, 'm'},
        {"listen", required_argument, NULL, 'l'},
        {"state", required_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int o;
    while ((o = getopt_long(argc, argv, "m:l:s:qh", opts, NULL)) != -1) {
        switch (o) {
        case 'm': model = optarg; break;
        case 'l': path = optarg; break;
        case 's': state = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "pact-psu-emu: see --help\n");
            return 2;
        }
    }
    if (!model || !path || optind != argc) {
        fprintf(stderr, "pact-psu-emu: --model and --listen are required "
                "(e.g. --model hx1500i --listen /tmp/psu.sock); see --help\n");
        return 2;
    }
    struct pact__psu_emu *e;
    if (pact__psu_emu_new(model, state, &e) < 0) {
        fprintf(stderr, "pact-psu-emu: unknown model '%s'; --help lists "
                "them\n", model);
        return 2;
    }

    sigset_t block, orig;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &orig);
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int lfd = listen_on(path);
    if (lfd < 0) {
        pact__psu_emu_free(e);
        return 1;
    }
    if (!quiet)
        fprintf(stderr, "pact-psu-emu: %s listening on %s\n", model, path);

    struct clients c = {.n = 0};
    char last_bad[64] = "";
    while (!stop) {
        struct pollfd p[1 + MAX_CLIENTS];
        p[0] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (int i = 0; i < c.n; i++)
            p[1 + i] = (struct pollfd){.fd = c.fd[i], .events = POLLIN};
        int nfds = 1 + c.n;
        /* Signals are blocked except inside ppoll: no lost SIGTERM. */
        if (ppoll(p, (nfds_t)nfds, NULL, &orig) < 0)
            continue; /* EINTR: loop checks stop */
        if (p[0].revents & POLLIN) {
            int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0) {
                if (pact__psu_emu_unplugged(e) || c.n == MAX_CLIENTS)
                    close(fd);
                else
                    c.fd[c.n++] = fd;
            }
        }
        for (int i = nfds - 2; i >= 0; i--) {
            if (i >= c.n || !(p[1 + i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            uint8_t req[256], rep[64];
            ssize_t n = recv(c.fd[i], req, sizeof req, MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (n <= 0) {
                drop_client(&c, i);
                continue;
            }
            int act = pact__psu_emu_answer(e, req, (int)n, rep);
            warn_state(e, last_bad, sizeof last_bad);
            if (act == PACT_EMU_HANGUP) {
                drop_all(&c);
                break;
            }
            if (act != PACT_EMU_REPLY)
                continue;
            sleep_ms(e->st.v[EK_DELAY_MS]);
            uint8_t strays[4][64];
            int ns = pact__psu_emu_strays(e, req, strays, 4);
            for (int j = 0; j <= ns; j++)
                broadcast(&c, j < ns ? strays[j] : rep);
        }
    }
    drop_all(&c);
    close(lfd);
    unlink(path);
    if (!quiet)
        fprintf(stderr, "pact-psu-emu: %llu requests, %llu malformed, %llu "
                "configuration writes refused\n",
                (unsigned long long)e->requests, (unsigned long long)e->bad,
                (unsigned long long)e->forbidden);
    pact__psu_emu_free(e);
    return 0;
}
