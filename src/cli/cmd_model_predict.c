/* SPDX-License-Identifier: MIT */
/*
 * cmd_model_predict.c - `pact model predict`: copy a CSV, adding (or
 * refreshing) a Predicted_Total_Power(W) column computed row by row from
 * the model's features, as live prediction does during `pact run`.  No
 * smoothing: each row stands alone.  Streams, so files of any length work.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/console.h"
#include "cli/model_cli.h"
#include "cli/options.h"
#include "model/csv_basis.h"
#include "model/csv_table.h"
#include "model/model_file.h"
#include "output/outfile.h"

static void predict_help(void)
{
    puts("usage: pact model predict -m MODEL -o OUT.csv [options] IN.csv\n"
         "Write a copy of IN.csv with a Predicted_Total_Power(W) column "
         "(predicted\nPower_Other + GPU + RAPL power; empty cells count as "
         "0 W) computed row by row.\nAn existing prediction column is "
         "replaced.  A row missing a feature gets an\nempty cell.\n\n"
         "  -m, --model FILE       model written by 'pact model fit' "
         "(required)\n"
         "  -o, --output FILE      the new CSV (required; not IN.csv)\n"
         "      --perf-period S    normalise counters per S seconds "
         "(default: the model's)\n"
         "  -q, --quiet            no notices");
}

struct cols {
    int feat[PACT__MODEL_MAX_FEATURES];
    int gpu, cpu, dur, pred;
    int n;
};

static int find(char **f, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(f[i], name))
            return i;
    return -1;
}

/* Refuse a file whose counter mode, perf period (--perf-period) or power
 * columns differ from what the model was fitted on (model.h). */
static int check_basis(const struct pact__model *m, const char *in,
                       double period, char *why, size_t len)
{
    int mode = pact__csv_counter_mode(in, why, len);
    if (mode < PACT__CTR_UNKNOWN)
        return mode;
    struct pact__table *t = NULL;
    int rc = pact__table_read(in, &t, why, len);
    if (rc < 0)
        return rc;
    int mask = 0, gpu = pact__table_col(t, PACT__COL_GPU);
    int cpu = pact__table_col(t, PACT__COL_CPU);
    for (size_t r = 0; r < t->nrows; r++) {
        mask |= !isnan(pact__table_get(t, r, gpu)) ? 1 : 0;
        mask |= !isnan(pact__table_get(t, r, cpu)) ? 2 : 0;
    }
    pact__table_free(t);
    char present[128];
    pact__basis_list(mask, present, sizeof present);
    return pact__model_check_basis(m, mode, period, present, why, len);
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int run(const struct pact__model *m, const char *in, const char *out,
               const char *model_path, double period, const char *colname)
{
    FILE *fi = fopen(in, "r");
    if (!fi) {
        fprintf(stderr, "pact: model predict: %s: cannot open: %s\n", in,
                strerror(errno));
        return 2;
    }
    /* Written beside OUT and renamed over it when complete; OUT is never
     * the input or the model (same inode), a link or a FIFO. */
    const char *inputs[] = {in, model_path, NULL};
    struct pact__outfile of;
    char why[1024];
    if (pact__outfile_open(&of, out, inputs, why, sizeof why) < 0) {
        fprintf(stderr, "pact: model predict: %s\n", why);
        fclose(fi);
        return 2;
    }
    FILE *fo = of.fp;
    pact__skip_bom(fi);
    char *buf = NULL, **field = NULL;
    size_t cap = 0;
    long line = 0, phys = 0, rows = 0, empty = 0;
    struct cols c = {.n = 0};
    int rc = 0;
    for (;;) {
        int complete;
        line = phys + 1;
        long got = pact__csv_record(&buf, &cap, fi, &phys, &complete);
        if (got < 0)
            break;
        const char *s = buf;
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#') {
            fprintf(fo, "%s\n", buf);
            continue;
        }
        if (!c.n) {
            size_t mx = 1;
            for (const char *p = buf; *p; p++)
                mx += *p == ',';
            field = calloc(mx + 1, sizeof *field);
            if (!field) {
                rc = 1;
                break;
            }
            c.n = pact__csv_split(buf, field, (int)mx);
            if (c.n <= 0) {
                fprintf(stderr, "pact: model predict: %s:%ld: unterminated "
                        "quote in the header\n", in, line);
                rc = 1;
                break;
            }
            for (size_t j = 0; j < m->nf; j++)
                if ((c.feat[j] = find(field, c.n, m->feature[j])) < 0) {
                    fprintf(stderr, "pact: model predict: %s: no column "
                            "'%s', which the model needs\n", in,
                            m->feature[j]);
                    rc = 1;
                }
            if (rc)
                break;
            c.gpu = find(field, c.n, PACT__COL_GPU);
            c.cpu = find(field, c.n, PACT__COL_CPU);
            c.dur = find(field, c.n, PACT__COL_DUR);
            c.pred = find(field, c.n, colname);
            for (int i = 0; i < c.n; i++) {
                if (i)
                    fputc(',', fo);
                model_csv_field(fo, field[i]);
            }
            if (c.pred < 0) {
                fputc(',', fo);
                model_csv_field(fo, colname);
            }
            fputc('\n', fo);
            continue;
        }
        int nf = pact__csv_split(buf, field, c.n);
        if (nf != c.n) {
            if (!complete) {
                fprintf(stderr, "pact: model predict: %s:%ld: last line cut "
                        "short; left out\n", in, line);
                break;
            }
            fprintf(stderr, "pact: model predict: %s:%ld: %d fields where "
                    "the header has %d; fix or delete the line\n", in, line,
                    nf, c.n);
            rc = 1;
            break;
        }
        double x[PACT__MODEL_MAX_FEATURES], v, dur = NAN, gpu = NAN,
               cpu = NAN;
        if (c.dur >= 0)
            pact__csv_number(field[c.dur], &dur);
        if (c.gpu >= 0)
            pact__csv_number(field[c.gpu], &gpu);
        if (c.cpu >= 0)
            pact__csv_number(field[c.cpu], &cpu);
        for (size_t j = 0; j < m->nf; j++) {
            pact__csv_number(field[c.feat[j]], &v);
            x[j] = pact__model_feature(m, j, v, dur, period);
        }
        double p = pact__model_predict(m, x);
        if (pact__model_total_mode(m) != PACT__TOTAL_NONE)
            p = isnan(p) ? NAN : pact__model_total(m, p, gpu, cpu);
        char num[64] = "";
        if (!isnan(p))
            snprintf(num, sizeof num, "%.3f", p);
        else
            empty++;
        for (int i = 0; i < c.n; i++) {
            if (i)
                fputc(',', fo);
            model_csv_field(fo, i == c.pred ? num : field[i]);
        }
        if (c.pred < 0)
            fprintf(fo, ",%s", num);
        fputc('\n', fo);
        rows++;
    }
    if (!rc && !c.n) {
        fprintf(stderr, "pact: model predict: %s: empty file (no header "
                "line)\n", in);
        rc = 1;
    }
    if (rc) {
        pact__outfile_abort(&of);
        rc = 2;
    } else if (pact__outfile_commit(&of, why, sizeof why) < 0) {
        fprintf(stderr, "pact: model predict: %s\n", why);
        rc = 3;
    }
    fclose(fi);
    free(buf);
    free(field);
    if (!rc && empty)
        fprintf(stderr, "pact: model predict: %ld of %ld rows lack a "
                "feature: their prediction is empty\n", empty, rows);
    return rc;
}

int cmd_model_predict(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"model", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'o'},
        {"perf-period", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *model = NULL, *out = NULL;
    double period = 0;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "m:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': model = optarg; break;
        case 'o': out = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': predict_help(); return 0;
        case 'P':
            period = cli_number("--perf-period", optarg);
            if (!(period > 0)) {
                fprintf(stderr, "pact: model predict --perf-period: must "
                        "be > 0 seconds\n");
                return 2;
            }
            break;
        default:
            fprintf(stderr, "pact: model predict: see 'pact model predict "
                    "--help'\n");
            return 2;
        }
    }
    if (!model || !out || optind != argc - 1) {
        fprintf(stderr, "pact: model predict: give -m MODEL, -o OUT.csv "
                "and one input CSV\n");
        return 2;
    }
    const char *in = argv[optind];
    if (!strcmp(in, out) || same_file(in, out)) {
        fprintf(stderr, "pact: model predict: -o must name a new file, not "
                "the input\n");
        return 2;
    }
    console_init(quiet, 0);
    char why[1024] = "";
    struct pact__model *m;
    if (pact__model_load(model, &m, why, sizeof why) < 0) {
        fprintf(stderr, "pact: model predict: %s\n", why);
        return 2;
    }
    if (check_basis(m, in, period, why, sizeof why) < 0) {
        fprintf(stderr, "pact: model predict: %s: %s\n", in, why);
        pact__model_free(m);
        return 1;
    }
    char colname[256];
    if (pact__model_total_mode(m) != PACT__TOTAL_NONE)
        snprintf(colname, sizeof colname, "%s", PACT__COL_PRED_TOTAL);
    else
        snprintf(colname, sizeof colname, "Predicted_%s", m->target);
    int rc = run(m, in, out, model, period > 0 ? period : m->pp.perf_period_s,
                 colname);
    pact__model_free(m);
    return rc;
}
