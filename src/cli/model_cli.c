/* SPDX-License-Identifier: MIT */
/*
 * model_cli.c - shared plumbing of `pact model fit|eval|predict`: input
 * expansion (files, directories, --workload NAME=FILE,...), the
 * pre-processing switches, and formatting helpers.
 */
#include "cli/model_cli.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/options.h"
#include "output/outfile.h"

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fprintf(stderr, "pact: model: out of memory\n");
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) {
        fprintf(stderr, "pact: model: out of memory\n");
        exit(1);
    }
    return d;
}

void model_args_init(struct model_args *a)
{
    memset(a, 0, sizeof *a);
    pact__pp_opts_init(&a->pp);
}

void model_args_release(struct model_args *a)
{
    for (size_t i = 0; i < a->nin; i++) {
        free((char *)a->in[i].path);
        free((char *)a->in[i].workload);
    }
    free(a->in);
    memset(a, 0, sizeof *a);
}

static void add(struct model_args *a, const char *path, const char *wl)
{
    if (a->nin == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 16;
        a->in = xrealloc(a->in, a->cap * sizeof *a->in);
    }
    a->in[a->nin].path = xstrdup(path);
    a->in[a->nin].workload = wl ? xstrdup(wl) : NULL;
    a->in[a->nin].trial = NULL;
    a->nin++;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static void add_dir(struct model_args *a, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "pact: model: %s: cannot open the directory: %s\n",
                dir, strerror(errno));
        exit(2);
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 5 ||
            strcmp(e->d_name + l - 4, ".csv") != 0)
            continue;
        names = xrealloc(names, (n + 1) * sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n == 0) {
        fprintf(stderr, "pact: model: %s: no .csv files in the directory\n",
                dir);
        exit(2);
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(dir) + strlen(names[i]) + 2;
        char *p = xrealloc(NULL, l);
        snprintf(p, l, "%s/%s", dir, names[i]);
        add(a, p, NULL);
        free(p);
        free(names[i]);
    }
    free(names);
}

void model_args_path(struct model_args *a, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "pact: model: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    if (S_ISDIR(st.st_mode))
        add_dir(a, path);
    else
        add(a, path, NULL);
}

void model_args_require(const struct model_args *a, const char *cmd)
{
    if (a->nin)
        return;
    fprintf(stderr, "pact: model %s: no input; give CSV files or "
            "directories (see 'pact model %s --help')\n", cmd, cmd);
    exit(2);
}

char **model_list(const char *opt, const char *arg, size_t *n)
{
    char *copy = xstrdup(arg), *save = NULL;
    char **v = NULL;
    size_t k = 0;
    /* Keep empty items visible: strsep, not strtok. */
    char *p = copy;
    for (char *tok; (tok = strsep(&p, ","));) {
        while (*tok == ' ')
            tok++;
        size_t l = strlen(tok);
        while (l && tok[l - 1] == ' ')
            tok[--l] = '\0';
        if (!*tok) {
            fprintf(stderr, "pact: model %s: empty name in '%s'\n", opt,
                    arg);
            exit(2);
        }
        v = xrealloc(v, (k + 2) * sizeof *v);
        v[k++] = xstrdup(tok);
    }
    (void)save;
    free(copy);
    if (!v)
        v = xrealloc(NULL, sizeof *v);
    v[k] = NULL;
    *n = k;
    return v;
}

void model_list_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

size_t model_count(const char *opt, const char *arg, size_t min)
{
    double v = cli_number(opt, arg);
    if (v < (double)min || v != floor(v) || v > 1e9) {
        fprintf(stderr, "pact: model %s: '%s' must be a whole number >= "
                "%zu\n", opt, arg, min);
        exit(2);
    }
    return (size_t)v;
}

static void workload(struct model_args *a, const char *arg)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1]) {
        fprintf(stderr, "pact: model --workload: '%s' is not NAME=FILE[,"
                "FILE...]\n", arg);
        exit(2);
    }
    char *name = xrealloc(NULL, (size_t)(eq - arg) + 1);
    memcpy(name, arg, (size_t)(eq - arg));
    name[eq - arg] = '\0';
    size_t n;
    char **files = model_list("--workload", eq + 1, &n);
    for (size_t i = 0; i < n; i++)
        add(a, files[i], name);
    model_list_free(files);
    free(name);
}

int model_args_option(struct model_args *a, int c, const char *arg)
{
    switch (c) {
    case MO_WINDOW:
        a->pp.window = model_count("--window", arg, 0);
        break;
    case MO_NO_SMOOTH:
        a->pp.window = 1;
        c = MO_WINDOW;
        break;
    case MO_NO_SKIP:
        a->pp.skip_leading = 0;
        break;
    case MO_NO_NORM:
        a->pp.normalise = 0;
        break;
    case MO_NO_TRIM:
        a->pp.trim = 0;
        break;
    case MO_PERF:
        a->pp.perf_period_s = cli_number("--perf-period", arg);
        if (!(a->pp.perf_period_s > 0)) {
            fprintf(stderr, "pact: model --perf-period: must be > 0 "
                    "seconds\n");
            exit(2);
        }
        break;
    case MO_SPLIT:
        a->pp.train_fraction = cli_number("--split", arg);
        if (a->pp.train_fraction < 0 || a->pp.train_fraction > 1) {
            fprintf(stderr, "pact: model --split: '%s' must be a training "
                    "fraction between 0 and 1 (0.7 = 70/30)\n", arg);
            exit(2);
        }
        break;
    case MO_WORKLOAD:
        workload(a, arg);
        return 1;
    case MO_PIPELINE:
        if (!strcmp(arg, "original"))
            a->pp.pipeline = PACT__PIPE_ORIGINAL;
        else if (!strcmp(arg, "pact"))
            a->pp.pipeline = PACT__PIPE_PACT;
        else {
            fprintf(stderr, "pact: model --pipeline: '%s' is not pact or "
                    "original\n", arg);
            exit(2);
        }
        break;
    default:
        return 0;
    }
    a->pp_given |= 1u << (c - MO_WINDOW);
    return 1;
}

void model_args_pp_merge(const struct model_args *a,
                         struct pact__pp_opts *base)
{
#define GIVEN(code) (a->pp_given & (1u << ((code) - MO_WINDOW)))
    if (GIVEN(MO_WINDOW))
        base->window = a->pp.window;
    if (GIVEN(MO_NO_SKIP))
        base->skip_leading = 0;
    if (GIVEN(MO_NO_NORM))
        base->normalise = 0;
    if (GIVEN(MO_NO_TRIM))
        base->trim = 0;
    if (GIVEN(MO_PERF))
        base->perf_period_s = a->pp.perf_period_s;
    if (GIVEN(MO_SPLIT))
        base->train_fraction = a->pp.train_fraction;
    if (GIVEN(MO_PIPELINE))
        base->pipeline = a->pp.pipeline;
#undef GIVEN
}

void model_args_help(FILE *f, int with_split)
{
    fputs("Inputs: CSV files written by pact (or the original tool), or "
          "directories of them.\n"
          "A file NAME_TRIAL_PACT.csv is trial TRIAL of workload NAME; "
          "any other file is a\nworkload of its own.\n"
          "      --workload NAME=FILE[,FILE...]  group files into one "
          "workload explicitly\n"
          "\nPre-processing (each step can be switched off):\n"
          "      --window N          running mean over N rows (default "
          "20; 1 = off)\n"
          "      --no-smooth         same as --window 1\n"
          "      --no-skip-leading   keep rows before the first counter "
          "reading\n"
          "      --no-normalise      keep raw counter counts (default: "
          "per perf period)\n"
          "      --perf-period S     perf period for that (default "
          "0.01 s)\n"
          "      --no-trim           plain mean across trials (default: "
          "drop the highest\n"
          "                          and lowest trial by PSU power at "
          "each step)\n", f);
    if (with_split)
        fputs("      --split F           first F of each workload trains, "
              "the rest tests\n"
              "                          (default 0.7)\n", f);
    fputs("      --pipeline original reproduce the original tool number for "
          "number, quirks\n"
          "                          included (docs/model.md lists them); "
          "default pact\n", f);
}

const char *model_fmt(char *buf, size_t len, const char *fmt, double v)
{
    if (isnan(v))
        snprintf(buf, len, "n/a");
    else
        snprintf(buf, len, fmt, v);
    return buf;
}

void model_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void model_args_check_output(const struct model_args *a, const char *cmd,
                             const char *output, const char *extra)
{
    const char **in = calloc(a->nin + 2, sizeof *in);
    if (!in) {
        fprintf(stderr, "pact: model: out of memory\n");
        exit(2);
    }
    size_t k = 0;
    for (size_t i = 0; i < a->nin; i++)
        in[k++] = a->in[i].path;
    if (extra)
        in[k++] = extra;
    char why[1024];
    int rc = pact__out_check(output, in, why, sizeof why);
    free(in);
    if (rc < 0) {
        fprintf(stderr, "pact: model %s: %s\n", cmd, why);
        exit(2);
    }
}
