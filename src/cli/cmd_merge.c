/* SPDX-License-Identifier: MIT */
/*
 * cmd_merge.c - `pact merge -o JOB.csv NODE.csv... | DIR`: align per-node
 * pact CSVs on unix_time and write one job timeline.  Each node's rows
 * are spread over a common grid by energy (a row overlapping two grid
 * windows gives each the energy of its overlap), never by nearest value,
 * so the job's energy is exactly the sum of the nodes' measured energy;
 * CO2 is spread the same way, so each node keeps its own grid intensity.
 * Checks: one period (else resampled, with a notice), no overlapping
 * files from one node, no rank twice, starts within one window when the
 * files share a job id (else a clock-skew warning).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "model/csv_table.h"

#define MAXF 1024

struct nfile {
    const char *path;
    char host[128], job[64], rank[32];
    struct pact__table *t;
    int c_time, c_dur, c_pow, c_co2;
    double start, end, period, energy_j, co2_g;
    int gaps, node; /* index into nodes */
};

struct node {
    char host[128];
    char ranks[128];
    int nfiles;
    double start, end, energy_j, co2_g;
    int gaps, co2_known;
    double *e, *c, *cov; /* per grid window: J, g, covered s */
};

static void help(void)
{
    puts("usage: pact merge -o JOB.csv NODE1.csv [NODE2.csv ...] | DIR\n"
         "Align per-node pact CSVs on unix_time and write one job timeline:"
         "\nper-node power, job power, job energy and CO2 per window, then a"
         " summary\nand a per-node table.  Nodes are told apart by the host "
         "column (--label node=\nor the host name), else by the file name.  "
         "See docs/merge.md.\n\n"
         "  -o, --output FILE   the job CSV (required)\n"
         "  -q, --quiet         no summary\n");
}

/* Text of the first data row's cell in column name, "" when absent. */
static void first_text(const char *path, const char *name, char *out,
                       size_t len)
{
    out[0] = '\0';
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char *head = NULL, *row = NULL;
    size_t hn = 0, rn = 0;
    if (getline(&head, &hn, f) > 0 && getline(&row, &rn, f) > 0) {
        head[strcspn(head, "\r\n")] = '\0';
        row[strcspn(row, "\r\n")] = '\0';
        char *hf[512], *rf[512];
        int nh = pact__csv_split(head, hf, 512);
        int nr = pact__csv_split(row, rf, 512);
        for (int i = 0; i < nh && i < nr && i < 512; i++)
            if (!strcmp(hf[i], name))
                snprintf(out, len, "%s", rf[i]);
    }
    free(head);
    free(row);
    fclose(f);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int load(struct nfile *f)
{
    char why[512];
    int rc = pact__table_read(f->path, &f->t, why, sizeof why);
    if (rc < 0) {
        fprintf(stderr, "pact merge: %s\n", why);
        return -1;
    }
    f->c_time = pact__table_col(f->t, "unix_time");
    f->c_dur = pact__table_col(f->t, "duration(s)");
    f->c_pow = pact__table_col(f->t, "total_power_w");
    f->c_co2 = pact__table_col(f->t, "co2_g");
    const char *miss = f->c_time < 0 ? "unix_time"
                       : f->c_dur < 0 ? "duration(s)"
                       : f->c_pow < 0 ? "total_power_w" : NULL;
    if (miss) {
        fprintf(stderr, "pact merge: %s: no '%s' column; is it a CSV "
                "written by pact run/monitor?\n", f->path, miss);
        return -1;
    }
    if (f->t->nrows == 0) {
        fprintf(stderr, "pact merge: %s: no rows; leave it out\n", f->path);
        return -1;
    }
    first_text(f->path, "host", f->host, sizeof f->host);
    first_text(f->path, "job_id", f->job, sizeof f->job);
    first_text(f->path, "rank", f->rank, sizeof f->rank);
    if (!f->host[0]) { /* a file from before the host column */
        const char *b = strrchr(f->path, '/');
        snprintf(f->host, sizeof f->host, "%s", b ? b + 1 : f->path);
        char *dot = strrchr(f->host, '.');
        if (dot && dot != f->host)
            *dot = '\0';
    }
    size_t n = f->t->nrows;
    double *d = malloc(n * sizeof *d);
    if (!d)
        return -1;
    double prev_co2 = 0;
    f->start = INFINITY;
    f->end = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double t = pact__table_get(f->t, i, f->c_time);
        double du = pact__table_get(f->t, i, f->c_dur);
        double p = pact__table_get(f->t, i, f->c_pow);
        double c = pact__table_get(f->t, i, f->c_co2);
        if (isnan(t) || isnan(du) || du < 0) {
            fprintf(stderr, "pact merge: %s line %ld: no unix_time or "
                    "duration(s); repair or cut that line\n", f->path,
                    f->t->line[i]);
            free(d);
            return -1;
        }
        d[i] = du;
        if (t < f->start)
            f->start = t;
        if (t + du > f->end)
            f->end = t + du;
        if (isnan(p)) {
            f->gaps++;
            continue;
        }
        f->energy_j += p * du;
        if (!isnan(c)) {
            f->co2_g += c - prev_co2;
            prev_co2 = c;
        }
    }
    qsort(d, n, sizeof *d, cmp_double);
    /* The period: the median row, so a short last row does not count. */
    f->period = d[n / 2] > 0 ? d[n / 2] : 1.0;
    free(d);
    return 0;
}

static int add_path(const char *p, const char **paths, int *n)
{
    if (*n == MAXF) {
        fprintf(stderr, "pact merge: more than %d files\n", MAXF);
        return -1;
    }
    paths[(*n)++] = p;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .csv files of dir, sorted, except skip (the output). */
static int scan_dir(const char *dir, const char *skip, const char **paths,
                    int *n)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "pact merge: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    int first = *n;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t k = strlen(e->d_name);
        if (k < 5 || strcmp(e->d_name + k - 4, ".csv") != 0)
            continue;
        char *p = NULL;
        if (asprintf(&p, "%s/%s", dir, e->d_name) < 0)
            break;
        const char *sb = strrchr(skip, '/');
        if (!strcmp(e->d_name, sb ? sb + 1 : skip)) {
            free(p); /* the output of an earlier merge */
            continue;
        }
        if (add_path(p, paths, n) < 0) {
            free(p);
            break;
        }
    }
    closedir(d);
    qsort(paths + first, (size_t)(*n - first), sizeof *paths, cmp_str);
    if (*n == first) {
        fprintf(stderr, "pact merge: %s: no .csv files\n", dir);
        return -1;
    }
    return 0;
}

static void spread(struct node *nd, double a0, double P, int nw, double s,
                   double du, double p, double crate)
{
    int k0 = (int)floor((s - a0) / P);
    for (int k = k0 < 0 ? 0 : k0; k < nw; k++) {
        double a = a0 + k * P, b = a + P;
        if (a >= s + du)
            break;
        double ov = fmin(b, s + du) - fmax(a, s);
        if (ov <= 0)
            continue;
        nd->e[k] += p * ov;
        nd->cov[k] += ov;
        if (!isnan(crate))
            nd->c[k] += crate * ov;
    }
}

static void cell(FILE *o, double v, const char *fmt)
{
    fputc(',', o);
    if (!isnan(v))
        fprintf(o, fmt, v);
}

int cmd_merge(int argc, char **argv)
{
    static const struct option lo[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int quiet = 0, c;
    while ((c = getopt_long(argc, argv, "+o:qh", lo, NULL)) != -1) {
        if (c == 'o')
            out = optarg;
        else if (c == 'q')
            quiet = 1;
        else if (c == 'h') {
            help();
            return 0;
        } else {
            fprintf(stderr, "pact: see 'pact merge --help'\n");
            return 2;
        }
    }
    if (!out || optind >= argc) {
        fprintf(stderr, "pact merge: usage: pact merge -o JOB.csv "
                "NODE1.csv [NODE2.csv ...] | DIR\n");
        return 2;
    }
    static const char *paths[MAXF];
    int np = 0;
    for (int i = optind; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (d) {
            closedir(d);
            if (scan_dir(argv[i], out, paths, &np) < 0)
                return 2;
        } else if (add_path(argv[i], paths, &np) < 0) {
            return 2;
        }
    }
    static struct nfile f[MAXF];
    static struct node nodes[MAXF];
    int nn = 0, bad = 0, rc = 2;
    memset(f, 0, sizeof f);
    memset(nodes, 0, sizeof nodes);
    for (int i = 0; i < np; i++) {
        f[i].path = paths[i];
        if (load(&f[i]) < 0)
            bad = 1;
    }
    if (bad)
        goto done;

    /* Nodes; overlapping files from one node; ranks twice. */
    for (int i = 0; i < np; i++) {
        int k = 0;
        while (k < nn && strcmp(nodes[k].host, f[i].host))
            k++;
        if (k == nn) {
            snprintf(nodes[nn].host, sizeof nodes[0].host, "%s", f[i].host);
            nodes[nn].start = INFINITY;
            nodes[nn].end = -INFINITY;
            nodes[nn].co2_known = 1;
            nn++;
        }
        f[i].node = k;
        for (int j = 0; j < i; j++) {
            if (f[j].node == k) {
                double ov = fmin(f[i].end, f[j].end) -
                            fmax(f[i].start, f[j].start);
                if (ov > 1e-3) {
                    fprintf(stderr, "pact merge: node %s: %s and %s overlap "
                            "by %.3f s (two trackers on one node count its "
                            "energy twice); pass only one of them\n",
                            f[i].host, f[j].path, f[i].path, ov);
                    bad = 1;
                }
            } else if (f[i].rank[0] && !strcmp(f[i].rank, f[j].rank) &&
                       !strcmp(f[i].job, f[j].job)) {
                fprintf(stderr, "pact merge: rank %s%s%s is in %s (node %s) "
                        "and %s (node %s); each rank must come from one "
                        "node: drop the stray file\n", f[i].rank,
                        f[i].job[0] ? " of job " : "", f[i].job, f[j].path,
                        f[j].host, f[i].path, f[i].host);
                bad = 1;
            }
        }
    }
    if (bad)
        goto done;

    /* Periods and the grid. */
    double P = 0, pmin = INFINITY, a0 = INFINITY, end = -INFINITY;
    for (int i = 0; i < np; i++) {
        P = fmax(P, f[i].period);
        pmin = fmin(pmin, f[i].period);
        a0 = fmin(a0, f[i].start);
        end = fmax(end, f[i].end);
    }
    if (P > pmin * 1.01 && !quiet)
        fprintf(stderr, "pact merge: note: measure periods differ (%.3g s "
                "to %.3g s); every node is resampled by energy onto %.3g s "
                "windows\n", pmin, P, P);
    for (int i = 0; i < np; i++)
        for (int j = 0; j < i; j++)
            if (f[i].job[0] && !strcmp(f[i].job, f[j].job) &&
                f[i].node != f[j].node &&
                fabs(f[i].start - f[j].start) > P && !quiet)
                fprintf(stderr, "pact merge: warning: job %s: %s starts "
                        "%.3f s after %s, more than one window (%.3g s); if "
                        "they started together the nodes' clocks are "
                        "skewed (check NTP).  Energy is unaffected; the "
                        "timeline aligns on each node's clock\n", f[i].job,
                        f[i].start > f[j].start ? f[i].host : f[j].host,
                        fabs(f[i].start - f[j].start),
                        f[i].start > f[j].start ? f[j].host : f[i].host, P);
    int nw = (int)ceil((end - a0) / P - 1e-9);
    if (nw < 1)
        nw = 1;
    for (int k = 0; k < nn; k++) {
        nodes[k].e = calloc((size_t)nw, sizeof(double));
        nodes[k].c = calloc((size_t)nw, sizeof(double));
        nodes[k].cov = calloc((size_t)nw, sizeof(double));
        if (!nodes[k].e || !nodes[k].c || !nodes[k].cov) {
            fprintf(stderr, "pact merge: out of memory\n");
            goto done;
        }
    }
    for (int i = 0; i < np; i++) {
        struct node *nd = &nodes[f[i].node];
        nd->nfiles++;
        nd->start = fmin(nd->start, f[i].start);
        nd->end = fmax(nd->end, f[i].end);
        nd->energy_j += f[i].energy_j;
        nd->gaps += f[i].gaps;
        if (f[i].c_co2 < 0)
            nd->co2_known = 0;
        nd->co2_g += f[i].co2_g;
        if (f[i].rank[0]) {
            size_t l = strlen(nd->ranks);
            snprintf(nd->ranks + l, sizeof nd->ranks - l, "%s%s",
                     l ? " " : "", f[i].rank);
        }
        double prev = 0;
        for (size_t r = 0; r < f[i].t->nrows; r++) {
            double s = pact__table_get(f[i].t, r, f[i].c_time);
            double du = pact__table_get(f[i].t, r, f[i].c_dur);
            double p = pact__table_get(f[i].t, r, f[i].c_pow);
            double cc = pact__table_get(f[i].t, r, f[i].c_co2);
            double crate = NAN;
            if (!isnan(cc)) {
                crate = du > 0 ? (cc - prev) / du : NAN;
                prev = cc;
            }
            if (!isnan(p) && du > 0)
                spread(nd, a0, P, nw, s, du, p, crate);
        }
    }

    FILE *o = fopen(out, "w");
    if (!o) {
        fprintf(stderr, "pact merge: cannot write '%s': %s; choose another "
                "path with -o\n", out, strerror(errno));
        goto done;
    }
    fprintf(o, "unix_time,duration(s)");
    for (int k = 0; k < nn; k++)
        fprintf(o, ",%s_power_w", nodes[k].host);
    fprintf(o, ",nodes,job_power_w,job_energy_j,job_co2_g\n");
    double cum_e = 0, cum_c = 0, peak = 0;
    int co2_known = 1;
    for (int k = 0; k < nn; k++)
        co2_known &= nodes[k].co2_known;
    for (int w = 0; w < nw; w++) {
        double a = a0 + w * P, du = fmin(P, end - a);
        fprintf(o, "%.6f,%.6f", a, du);
        double e = 0, cg = 0;
        int live = 0;
        for (int k = 0; k < nn; k++) {
            struct node *nd = &nodes[k];
            cell(o, nd->cov[w] > 0 ? nd->e[w] / nd->cov[w] : NAN, "%.3f");
            e += nd->e[w];
            cg += nd->c[w];
            live += nd->cov[w] > 0;
        }
        cum_e += e;
        cum_c += cg;
        if (du > 0 && e / du > peak)
            peak = e / du;
        fprintf(o, ",%d", live);
        cell(o, du > 0 ? e / du : NAN, "%.3f");
        cell(o, cum_e, "%.3f");
        cell(o, co2_known ? cum_c : NAN, "%.6f");
        fputc('\n', o);
    }
    if (fclose(o) != 0) {
        fprintf(stderr, "pact merge: could not write all of '%s': %s\n", out,
                strerror(errno));
        goto done;
    }
    double job_e = 0, job_c = 0;
    for (int k = 0; k < nn; k++) {
        job_e += nodes[k].energy_j;
        job_c += nodes[k].co2_g;
    }
    if (!quiet) {
        fprintf(stderr, "\npact merge: %d node%s, %d file%s -> %s\n", nn,
                nn == 1 ? "" : "s", np, np == 1 ? "" : "s", out);
        fprintf(stderr, "  duration:        %.3f s (%d windows of %.3g s)\n",
                end - a0, nw, P);
        fprintf(stderr, "  job energy:      %.3f J (%.6f kWh)\n", job_e,
                job_e / 3.6e6);
        fprintf(stderr, "  job avg power:   %.3f W\n",
                end > a0 ? job_e / (end - a0) : NAN);
        fprintf(stderr, "  job peak power:  %.3f W (one window)\n", peak);
        if (co2_known)
            fprintf(stderr, "  job CO2:         %.6f g (each node at its "
                    "own intensity)\n", job_c);
        else
            fprintf(stderr, "  job CO2:         unknown (a file has no "
                    "co2_g column)\n");
        fprintf(stderr, "\n  %-20s %-10s %5s %12s %10s %12s %10s %6s\n",
                "node", "ranks", "files", "energy_J", "avg_W", "co2_g",
                "g/kWh", "gaps");
        for (int k = 0; k < nn; k++) {
            struct node *nd = &nodes[k];
            double span = nd->end - nd->start;
            fprintf(stderr, "  %-20s %-10s %5d %12.3f %10.3f %12.6f %10.1f "
                    "%6d\n", nd->host, nd->ranks[0] ? nd->ranks : "-",
                    nd->nfiles, nd->energy_j,
                    span > 0 ? nd->energy_j / span : NAN,
                    nd->co2_known ? nd->co2_g : NAN,
                    nd->co2_known && nd->energy_j > 0
                        ? nd->co2_g / nd->energy_j * 3.6e6 : NAN,
                    nd->gaps);
        }
    }
    rc = 0;
done:
    for (int i = 0; i < np; i++)
        pact__table_free(f[i].t);
    for (int k = 0; k < nn; k++) {
        free(nodes[k].e);
        free(nodes[k].c);
        free(nodes[k].cov);
    }
    for (int i = 0; i < np; i++) /* paths found in a directory */
        for (int j = optind; j <= argc; j++) {
            if (j == argc)
                free((char *)paths[i]);
            else if (paths[i] == argv[j])
                break;
        }
    return rc;
}
