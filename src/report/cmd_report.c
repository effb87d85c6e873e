/* SPDX-License-Identifier: MIT */
/*
 * cmd_report.c - `pact report INPUT... -o report.html`: one offline HTML
 * page for run CSVs (each with its --summary-json), `pact stress` result
 * folders, merged job CSVs and `pact model eval --out` folders; with
 * --figures DIR each chart also as a PNG, SVG or PDF file for papers.
 * The page is written to a temporary name and renamed, so a failed report
 * never leaves half a file.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "report/report.h"

static void usage(FILE *f)
{
    fprintf(
        f, "usage: pact report [options] INPUT... [-o report.html]\n"
           "One self-contained HTML page (inline SVG, works offline) for:\n"
           "  RUN.csv [RUN.json]   a run's CSV and its --summary-json\n"
           "  RESULTS/             a 'pact stress' results folder\n"
           "  JOB.csv              a 'pact merge' job CSV (per-node tables)\n"
           "  EVAL/                a 'pact model eval --out' folder\n\n"
           "  -o, --output FILE       the page (default report.html)\n"
           "      --summary-json FILE the summary of the (one) run CSV\n"
           "      --title TEXT        page title\n"
           "      --figures DIR       also each chart as DIR/<chart>.<format>\n"
           "      --format png|svg|pdf  figure format (default png)\n"
           "      --bins N            pixel columns for drawing (default "
           "800); energies always use every row\n");
}

static int ends(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static int has_file(const char *dir, const char *name)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return access(p, R_OK) == 0;
}

static int one_input(struct pact__report *r, const char *in, const char *json,
                     char *why, size_t len)
{
    struct stat st;
    if (stat(in, &st) != 0) {
        snprintf(why, len, "%s: %s", in, strerror(errno));
        return -errno;
    }
    if (S_ISDIR(st.st_mode)) {
        if (has_file(in, "eval.csv") || has_file(in, "predictions.csv"))
            return pact__report_eval(r, in, why, len);
        return pact__report_plan(r, in, why, len);
    }
    return pact__report_run(r, in, json, why, len);
}

int cmd_report(int argc, char **argv)
{
    enum { O_JSON = 256, O_TITLE, O_FIG, O_FMT, O_BINS };
    static const struct option lo[] = {
        {"output", required_argument, NULL, 'o'},
        {"summary-json", required_argument, NULL, O_JSON},
        {"title", required_argument, NULL, O_TITLE},
        {"figures", required_argument, NULL, O_FIG},
        {"format", required_argument, NULL, O_FMT},
        {"bins", required_argument, NULL, O_BINS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = "report.html", *json = NULL, *title = NULL;
    const char *figdir = NULL, *format = "png";
    int bins = 800, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case O_JSON:
            json = optarg;
            break;
        case O_TITLE:
            title = optarg;
            break;
        case O_FIG:
            figdir = optarg;
            break;
        case O_FMT:
            format = optarg;
            break;
        case O_BINS: {
            char *e;
            long v = strtol(optarg, &e, 10);
            if (*e || v < 16 || v > 100000) {
                fprintf(stderr,
                        "pact report: --bins '%s': give a whole "
                        "number from 16 to 100000\n",
                        optarg);
                return 2;
            }
            bins = (int)v;
            break;
        }
        case 'h':
            usage(stdout);
            return 0;
        default:
            fprintf(stderr, "pact report: see 'pact report --help'\n");
            return 2;
        }
    }
    if (strcmp(format, "png") && strcmp(format, "svg") &&
        strcmp(format, "pdf")) {
        fprintf(stderr, "pact report: --format '%s': use png, svg or pdf\n",
                format);
        return 2;
    }
    if (optind >= argc) {
        fprintf(stderr, "pact report: no input; give a run CSV, a pact "
                        "stress results folder or a model eval folder "
                        "(see 'pact report --help')\n");
        return 2;
    }
    /* A .json input is the summary of the CSV just before it. */
    int ncsv = 0;
    for (int i = optind; i < argc; i++)
        ncsv += !ends(argv[i], ".json");
    if (json && ncsv != 1) {
        fprintf(stderr, "pact report: --summary-json needs exactly one run "
                        "CSV; give each run's JSON after its CSV instead\n");
        return 2;
    }
    struct pact__report r = {.bins = bins};
    char why[1024] = "";
    int err = 0;
    for (int i = optind; i < argc && !err; i++) {
        if (ends(argv[i], ".json")) {
            if (i == optind || ends(argv[i - 1], ".json")) {
                snprintf(why, sizeof why,
                         "%s: a summary JSON must follow "
                         "its run's CSV",
                         argv[i]);
                err = -EINVAL;
            }
            continue;
        }
        const char *j = json;
        if (i + 1 < argc && ends(argv[i + 1], ".json"))
            j = argv[i + 1];
        err = one_input(&r, argv[i], j, why, sizeof why);
    }
    if (err) {
        fprintf(stderr, "pact report: %s\n", why);
        pact__report_release(&r);
        return 1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr,
                "pact report: %s: cannot write: %s; choose another "
                "path with -o\n",
                out, strerror(errno));
        pact__report_release(&r);
        return 1;
    }
    char deftitle[512];
    snprintf(deftitle, sizeof deftitle, "pact report: %s%s", argv[optind],
             ncsv > 1 ? " and more" : "");
    err = pact__report_html(&r, title ? title : deftitle, f);
    if (fclose(f) != 0 || err || rename(tmp, out) != 0) {
        fprintf(stderr, "pact report: %s: write failed (%s)\n", out,
                strerror(err ? -err : errno));
        unlink(tmp);
        pact__report_release(&r);
        return 1;
    }
    if (figdir) {
        if (mkdir(figdir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "pact report: %s: cannot create: %s\n", figdir,
                    strerror(errno));
            pact__report_release(&r);
            return 1;
        }
        for (int i = 0; i < r.ncharts && !err; i++)
            err = pact__figure_write(r.charts[i], figdir, format, why,
                                     sizeof why);
        pact__figure_done();
        if (err) {
            fprintf(stderr, "pact report: %s\n", why);
            pact__report_release(&r);
            return 1;
        }
    }
    fprintf(stderr, "pact report: wrote %s (%d charts)%s%s\n", out, r.ncharts,
            figdir ? "; figures in " : "", figdir ? figdir : "");
    pact__report_release(&r);
    return 0;
}
