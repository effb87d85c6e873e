/* SPDX-License-Identifier: MIT */
/*
 * cmd_top.c - `pact top`: a full-screen view (ncurses) of a running pact,
 * read only from its control socket or its --listen endpoint, so a slow,
 * killed or hung view never touches the sampler.  Per-channel power with
 * sparklines, the total on the run's basis, energy, CO2 and intensity,
 * perf event rates, and what is estimated or down.  Keys: q quits, s
 * stops the tracker cleanly, r cycles the time range.
 */
#include <curses.h>
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "top/top_fetch.h"
#include "top/top_model.h"

static const int ranges[] = {60, 300, 900};
enum { C_HEAD = 1, C_EST, C_DOWN, C_OK, C_SPARK };

static void help(void)
{
    puts("usage: pact top [--pid PID | --socket PATH | --url URL] "
         "[--interval S]\n"
         "Watch a running pact (pact run, monitor or serve) full screen.\n"
         "\n"
         "      --pid PID        the pact with this process id (its "
         "control socket)\n"
         "      --socket PATH    a control socket\n"
         "      --url URL        a --listen endpoint, e.g. "
         "http://127.0.0.1:9660/metrics\n"
         "      --interval S     how often to read it (default 1 s)\n"
         "Without one, the newest running pact of this user.\n"
         "Keys: q quit, s stop the tracker (it writes its summary), r time "
         "range.");
}

struct view {
    struct top_model m;
    struct top_target target;
    int range; /* index into ranges */
    int utf8, colour;
    char msg[640];
    int ended;
};

static void sparkline(struct view *v, const struct top_series *s, int y,
                      int x, int width)
{
    static const char *blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                   "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char ascii[] = "_.-:=+*#";
    if (width < 2)
        return;
    int span = ranges[v->range]; /* windows, at one window a second */
    double per = (double)span / width;
    double col[512], max = 0;
    if (width > 512)
        width = 512;
    for (int j = 0; j < width; j++) {
        /* Column j (newest on the right) keeps its peak. */
        int k0 = (int)((width - 1 - j) * per), k1 = (int)((width - j) * per);
        double peak = NAN;
        for (int k = k0; k < k1 || k == k0; k++) {
            double x2 = top_series_at(s, k);
            if (!isnan(x2) && (isnan(peak) || x2 > peak))
                peak = x2;
        }
        col[j] = peak;
        if (!isnan(peak) && peak > max)
            max = peak;
    }
    if (v->colour)
        attron(COLOR_PAIR(C_SPARK));
    for (int j = 0; j < width; j++) {
        move(y, x + j);
        if (isnan(col[j])) {
            addch(' ');
            continue;
        }
        int lvl = max > 0 ? (int)(col[j] / max * 7.999) : 0;
        if (lvl < 0)
            lvl = 0;
        if (v->utf8)
            addstr(blocks[lvl]);
        else
            addch((chtype)ascii[lvl]);
    }
    if (v->colour)
        attroff(COLOR_PAIR(C_SPARK));
}

static void watts(char *buf, size_t len, double w)
{
    if (isnan(w))
        snprintf(buf, len, "%10s", "-");
    else
        snprintf(buf, len, "%8.1f W", w);
}

static void draw(struct view *v)
{
    erase();
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    struct top_model *m = &v->m;
    char line[512], w[32];

    if (v->colour)
        attron(COLOR_PAIR(C_HEAD));
    attron(A_REVERSE);
    snprintf(line, sizeof line, " pact top  node %s  job %s  basis %s  "
             "window %.0f  range %d min ", m->node[0] ? m->node : "-",
             m->job_id[0] ? m->job_id : "-", m->basis[0] ? m->basis : "-",
             m->windows, ranges[v->range] / 60);
    mvaddnstr(0, 0, line, cols);
    for (int x = (int)strlen(line); x < cols; x++)
        addch(' ');
    attroff(A_REVERSE);
    if (v->colour)
        attroff(COLOR_PAIR(C_HEAD));

    int spark_x = 36, spark_w = cols - spark_x - 2;
    watts(w, sizeof w, m->total_power_w);
    attron(A_BOLD);
    mvprintw(2, 0, "%-24.24s %s", "total", w);
    attroff(A_BOLD);
    if (spark_w > 4)
        sparkline(v, &m->total_hist, 2, spark_x, spark_w);
    char e[64], co2[64], in[64];
    snprintf(e, sizeof e, m->windows > 0 ? "%.1f J" : "-",
             m->total_energy_j);
    snprintf(co2, sizeof co2, m->windows > 0 ? "%.4g g" : "-", m->co2_g);
    snprintf(in, sizeof in, m->intensity > 0 ? "%.0f g/kWh" : "-",
             m->intensity);
    mvprintw(3, 0, "energy %s   CO2 %s   intensity %s", e, co2, in);
    if (!strcmp(m->basis, "components"))
        addstr("   (lower bound)");

    int y = 5;
    attron(A_UNDERLINE);
    mvaddnstr(y++, 0, "power by channel", cols);
    attroff(A_UNDERLINE);
    int reserved = 5 + (m->nev > 0 ? 2 + (m->nev < 4 ? m->nev : 4) : 0) +
                   (m->ngpu > 0 ? 2 + m->ngpu : 0);
    for (int i = 0; i < m->nch && y < rows - reserved; i++) {
        struct top_channel *c = &m->ch[i];
        char name[64];
        snprintf(name, sizeof name, "%s %s%s%s", c->source, c->component,
                 c->device[0] ? " " : "", c->device);
        watts(w, sizeof w, c->power_w);
        mvprintw(y, 0, "%-24.24s %s", name, w);
        if (spark_w > 4)
            sparkline(v, &c->hist, y, spark_x, spark_w - 6);
        if (c->estimated) {
            if (v->colour)
                attron(COLOR_PAIR(C_EST));
            mvaddstr(y, cols - 6, " est");
            if (v->colour)
                attroff(COLOR_PAIR(C_EST));
        }
        y++;
    }
    if (m->ngpu > 0 && y < rows - 4) {
        y++;
        attron(A_UNDERLINE);
        mvaddnstr(y++, 0, "GPUs", cols);
        attroff(A_UNDERLINE);
        for (int g = 0; g < m->ngpu && y < rows - 4; g++) {
            double pw = NAN;
            for (int i = 0; i < m->nch; i++)
                if (!strcmp(m->ch[i].source, "nvml") &&
                    !strcmp(m->ch[i].device, m->gpu_dev[g]) &&
                    !strcmp(m->ch[i].component, "gpu"))
                    pw = m->ch[i].power_w;
            char p[32], sm[16], mem[16];
            watts(p, sizeof p, pw);
            snprintf(sm, sizeof sm, isnan(m->gpu_sm[g]) ? "-" : "%.0f %%",
                     m->gpu_sm[g]);
            snprintf(mem, sizeof mem, isnan(m->gpu_mem[g]) ? "-" : "%.0f %%",
                     m->gpu_mem[g]);
            mvprintw(y++, 0, "gpu %-20.20s %s   util sm %s   memory %s",
                     m->gpu_dev[g], p, sm, mem);
        }
    }
    if (m->nev > 0 && y < rows - 4) {
        y++;
        attron(A_UNDERLINE);
        mvaddnstr(y++, 0, "perf events per second", cols);
        attroff(A_UNDERLINE);
        /* The busiest first. */
        int order[TOP_EV];
        for (int k = 0; k < m->nev; k++)
            order[k] = k;
        for (int a = 0; a < m->nev; a++)
            for (int b = a + 1; b < m->nev; b++)
                if ((isnan(m->ev_rate[order[a]]) ? -1 : m->ev_rate[order[a]]) <
                    (isnan(m->ev_rate[order[b]]) ? -1 : m->ev_rate[order[b]])) {
                    int t = order[a];
                    order[a] = order[b];
                    order[b] = t;
                }
        for (int k = 0; k < m->nev && k < 4 && y < rows - 3; k++) {
            double r = m->ev_rate[order[k]];
            if (isnan(r))
                mvprintw(y++, 0, "%-24.24s %10s", m->ev[order[k]], "-");
            else
                mvprintw(y++, 0, "%-24.24s %10.4g", m->ev[order[k]], r);
        }
    }
    /* Data quality: what is down or estimated. */
    char q[512] = "";
    size_t off = 0;
    for (int s = 0; s < m->nsrc; s++)
        if (!m->src_up[s] && off < sizeof q)
            off += (size_t)snprintf(q + off, sizeof q - off, "%s down; ",
                                    m->src[s]);
    int est = 0;
    for (int i = 0; i < m->nch; i++)
        est += m->ch[i].estimated;
    if (est && off < sizeof q)
        off += (size_t)snprintf(q + off, sizeof q - off,
                                "%d channel%s estimated; ", est,
                                est > 1 ? "s" : "");
    if (!strcmp(m->basis, "components") && off < sizeof q)
        snprintf(q + off, sizeof q - off, "total is a lower bound "
                 "(no PSU or wall meter)");
    if (v->colour)
        attron(COLOR_PAIR(q[0] ? C_EST : C_OK));
    mvprintw(rows - 3, 0, "quality: %.*s", cols - 10, q[0] ? q : "all "
             "measured, all sources up");
    if (v->colour)
        attroff(COLOR_PAIR(q[0] ? C_EST : C_OK));
    if (v->msg[0]) {
        if (v->colour && v->ended)
            attron(COLOR_PAIR(C_DOWN));
        mvaddnstr(rows - 2, 0, v->msg, cols);
        if (v->colour && v->ended)
            attroff(COLOR_PAIR(C_DOWN));
    }
    attron(A_REVERSE);
    mvaddnstr(rows - 1, 0, " q quit   s stop tracker   r range ", cols);
    attroff(A_REVERSE);
    refresh();
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int cmd_top(int argc, char **argv)
{
    static const struct option opts[] = {
        {"pid", required_argument, NULL, 'p'},
        {"socket", required_argument, NULL, 's'},
        {"url", required_argument, NULL, 'u'},
        {"interval", required_argument, NULL, 'i'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0},
    };
    const char *url = NULL, *sock = NULL;
    long pid = 0;
    double interval = 1.0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            pid = strtol(optarg, NULL, 10);
            break;
        case 's':
            sock = optarg;
            break;
        case 'u':
            url = optarg;
            break;
        case 'i':
            interval = strtod(optarg, NULL);
            if (!(interval >= 0.1 && interval <= 3600)) {
                fprintf(stderr, "pact top: --interval must be 0.1 to 3600 "
                        "seconds\n");
                return 2;
            }
            break;
        case 'h':
            help();
            return 0;
        default:
            fprintf(stderr, "pact top: see 'pact top --help'\n");
            return 2;
        }
    }
    struct view *v = calloc(1, sizeof *v);
    if (!v)
        return 1;
    char why[512];
    if (top_target_find(url, sock, pid, &v->target, why, sizeof why) < 0) {
        fprintf(stderr, "pact top: %s\n", why);
        free(v);
        return 2;
    }
    char *text = top_fetch(&v->target, "metrics", 2000, why, sizeof why);
    if (!text) {
        fprintf(stderr, "pact top: %s\n", why);
        free(v);
        return 2;
    }
    top_model_update(&v->m, text);
    free(text);

    setlocale(LC_ALL, "");
    v->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
    initscr();
    cbreak();
    noecho();
    curs_set(0);
    keypad(stdscr, TRUE);
    timeout(100);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(C_HEAD, COLOR_CYAN, -1);
        init_pair(C_EST, COLOR_YELLOW, -1);
        init_pair(C_DOWN, COLOR_RED, -1);
        init_pair(C_OK, COLOR_GREEN, -1);
        init_pair(C_SPARK, COLOR_CYAN, -1);
        v->colour = 1;
    }
    double next = now_s() + interval;
    draw(v);
    for (;;) {
        int ch = getch();
        if (ch == 'q' || ch == 'Q')
            break;
        if (ch == 'r' || ch == 'R') {
            v->range = (v->range + 1) % 3;
            draw(v);
        } else if (ch == KEY_RESIZE) {
            draw(v);
        } else if ((ch == 's' || ch == 'S') && !v->ended) {
            char *ok = top_fetch(&v->target, "stop", 2000, why, sizeof why);
            snprintf(v->msg, sizeof v->msg, ok ? "stop sent: the tracker "
                     "writes its last row and summary" : "%s", why);
            free(ok);
            draw(v);
        }
        if (now_s() >= next && !v->ended) {
            next += interval;
            text = top_fetch(&v->target, "metrics", 500, why, sizeof why);
            if (text) {
                top_model_update(&v->m, text);
                free(text);
            } else if (v->target.socket[0]) {
                v->ended = 1;
                snprintf(v->msg, sizeof v->msg, "the tracked pact has "
                         "ended (%s); q quits", why);
            } else {
                snprintf(v->msg, sizeof v->msg, "%s", why);
            }
            draw(v);
        }
    }
    endwin();
    free(v);
    return 0;
}
