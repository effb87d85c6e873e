/* SPDX-License-Identifier: MIT */
/*
 * model_file.c - the model file reader and writer.  The format is plain
 * text so that a model can be read, diffed and checked by hand; the
 * first line carries the version, and a reader refuses newer versions
 * rather than guess.
 */
#include "model/model_file.h"
#include "output/outfile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/numfmt.h"
#include "pact/pact.h"

/* ---- Writing ---- */

/* The shortest of 15, 16 or 17 significant digits that reads back as
 * the same double, so files stay readable and round-trip exactly. */
static void put_double(FILE *fp, const char *pre, double v)
{
    char b[40];
    for (int p = 15; p <= 17; p++) {
        snprintf(b, sizeof b, "%.*g", p, v);
        if (pact__strtod(b, NULL) == v)
            break;
    }
    fprintf(fp, "%s%s", pre, b);
}

static void put_doubles(FILE *fp, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_double(fp, " ", v[i]);
}

static int model_write_c(const struct pact__model *m, FILE *fp)
{
    size_t nf = m->nf;
    fprintf(fp, "# PACT power model; format described in docs/model.md\n");
    fprintf(fp, "pact-model %d\n", PACT__MODEL_FORMAT);
    fprintf(fp, "type %s\n",
            m->type == PACT__MODEL_PIECEWISE ? "piecewise" : "ols");
    fprintf(fp, "target %s\n", m->target);
    fprintf(fp, "features %zu\n", nf);
    for (size_t j = 0; j < nf; j++)
        fprintf(fp, "feature per_period=%d %s\n", m->per_period[j] ? 1 : 0,
                m->feature[j]);
    fprintf(fp, "preprocess skip_leading=%d normalise=%d",
            m->pp.skip_leading, m->pp.normalise);
    put_double(fp, " perf_period_s=", m->pp.perf_period_s);
    fprintf(fp, " window=%zu trim=%d", m->pp.window, m->pp.trim);
    put_double(fp, " train_fraction=", m->pp.train_fraction);
    fputc('\n', fp);
    fprintf(fp, "basis pipeline=%s counter_mode=%s subtracted=%s\n",
            m->pp.pipeline == PACT__PIPE_ORIGINAL ? "original" : "pact",
            pact__ctr_name(m->counter_mode),
            m->subtracted ? (*m->subtracted ? m->subtracted : "none")
                          : "unknown");
    fprintf(fp, "seed %llu\n", (unsigned long long)m->seed);
    fprintf(fp, "train_rows %zu\n", m->ntrain);
    fprintf(fp, "ols");
    put_doubles(fp, m->ols, nf + 1);
    fputc('\n', fp);
    if (m->type == PACT__MODEL_PIECEWISE) {
        const struct pact__piecewise *pw = &m->pw;
        fprintf(fp, "clusters %zu %zu\n", pw->k, pw->nsel);
        for (size_t s = 0; s < pw->nsel; s++) {
            fprintf(fp, "scale %zu", pw->sel[s]);
            put_double(fp, " ", pw->lo[s]);
            put_double(fp, " ", pw->hi[s]);
            fputc('\n', fp);
        }
        for (size_t c = 0; c < pw->k; c++) {
            fprintf(fp, "cluster rows=%zu fallback=%d centre", pw->rows[c],
                    pw->fallback[c]);
            put_doubles(fp, pw->centre + c * pw->nsel, pw->nsel);
            fprintf(fp, " coef");
            put_doubles(fp, pw->coef + c * (nf + 1), nf + 1);
            fputc('\n', fp);
        }
    }
    fprintf(fp, "end\n");
    return ferror(fp) ? -EIO : 0;
}

int pact__model_save(const struct pact__model *m, const char *path,
                     char *why, size_t len)
{
    /* A new file beside path, renamed over it when complete: never
     * through a link, and an old model survives a failed write. */
    struct pact__outfile of;
    int rc = pact__outfile_open(&of, path, NULL, why, len);
    if (rc < 0)
        return rc;
    rc = pact__model_write(m, of.fp);
    if (rc < 0) {
        pact__outfile_abort(&of);
        snprintf(why, len, "%s: write failed: %s", path, strerror(-rc));
        return rc;
    }
    return pact__outfile_commit(&of, why, len);
}

/* ---- Reading ---- */

struct rd {
    const char *path;
    long line;
    char *why;
    size_t len;
};

static int bad(struct rd *r, const char *what)
{
    snprintf(r->why, r->len, "%s:%ld: %s; refit with pact model fit",
             r->path, r->line, what);
    return PACT_EFORMAT;
}

/* Next finite number from *s. */
static int num(struct rd *r, char **s, double *out)
{
    char *end;
    errno = 0;
    *out = pact__strtod(*s, &end);
    if (end == *s || !isfinite(*out) || (*end && !isspace((unsigned char)*end)))
        return bad(r, "expected a finite number");
    *s = end;
    return 0;
}

static int nums(struct rd *r, char **s, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (num(r, s, &out[i]) < 0)
            return PACT_EFORMAT;
    return 0;
}

static int size(struct rd *r, char **s, size_t *out)
{
    char *end;
    while (isspace((unsigned char)**s))
        (*s)++;
    if (!isdigit((unsigned char)**s))
        return bad(r, "expected a count");
    errno = 0;
    unsigned long long v = strtoull(*s, &end, 10);
    if (errno || (*end && !isspace((unsigned char)*end)))
        return bad(r, "expected a count");
    *out = (size_t)v;
    *s = end;
    return 0;
}

/* "key=" then a number; int or double. */
static int keyval(struct rd *r, char **s, const char *key, double *out)
{
    while (isspace((unsigned char)**s))
        (*s)++;
    size_t kl = strlen(key);
    if (strncmp(*s, key, kl) != 0 || (*s)[kl] != '=') {
        char msg[96];
        snprintf(msg, sizeof msg, "expected %s=", key);
        return bad(r, msg);
    }
    *s += kl + 1;
    return num(r, s, out);
}

static int word(struct rd *r, char **s, const char *w)
{
    while (isspace((unsigned char)**s))
        (*s)++;
    size_t l = strlen(w);
    char after = (*s)[strncmp(*s, w, l) == 0 ? l : 0];
    if (strncmp(*s, w, l) != 0 || (after && !isspace((unsigned char)after))) {
        char msg[96];
        snprintf(msg, sizeof msg, "expected '%s'", w);
        return bad(r, msg);
    }
    *s += l;
    return 0;
}

static int rest_empty(struct rd *r, const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return *s ? bad(r, "unexpected text at the end of the line") : 0;
}

/* The text after the keyword, trimmed, as an owned string. */
static char *rest_dup(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t l = strlen(s);
    while (l && isspace((unsigned char)s[l - 1]))
        l--;
    return l ? strndup(s, l) : NULL;
}

static int flag(double v)
{
    return v != 0;
}

/* "basis pipeline=P counter_mode=C subtracted=LIST": what the model's
 * training data were (docs/model.md, "Model file"). */
static int basis_line(struct rd *r, char *s, struct pact__model *m)
{
    char pipe[16], mode[16], sub[512];
    int end = 0;
    if (sscanf(s, " pipeline=%15s counter_mode=%15s subtracted=%511s %n",
               pipe, mode, sub, &end) != 3 || s[end] != '\0')
        return bad(r, "expected 'basis pipeline=P counter_mode=C "
                      "subtracted=LIST'");
    if (!strcmp(pipe, "original"))
        m->pp.pipeline = PACT__PIPE_ORIGINAL;
    else if (!strcmp(pipe, "pact"))
        m->pp.pipeline = PACT__PIPE_PACT;
    else
        return bad(r, "pipeline is not pact or original");
    m->counter_mode = !strcmp(mode, "window") ? PACT__CTR_WINDOW
                    : !strcmp(mode, "pact")   ? PACT__CTR_SUMS
                                              : PACT__CTR_UNKNOWN;
    free(m->subtracted);
    m->subtracted = NULL;
    if (strcmp(sub, "unknown") != 0 &&
        !(m->subtracted = strdup(strcmp(sub, "none") ? sub : "")))
        return -ENOMEM;
    return 0;
}

static int parse(struct rd *r, FILE *fp, struct pact__model **out)
{
    char *buf = NULL;
    size_t cap = 0;
    struct pact__model *m = NULL;
    size_t nf = 0, nfeat = 0, ncl = 0, nscale = 0;
    int rc = 0, version = 0, ended = 0, have_ols = 0, have_type = 0;
    int type = 0;
    char *target = NULL;

    for (;;) {
        ssize_t got = getline(&buf, &cap, fp);
        if (got < 0)
            break;
        r->line++;
        char *s = buf;
        while (isspace((unsigned char)*s))
            s++;
        if (!*s || *s == '#')
            continue;
        if (ended) {
            rc = bad(r, "text after 'end'");
            goto out;
        }
        char *kw = s;
        while (*s && !isspace((unsigned char)*s))
            s++;
        if (*s)
            *s++ = '\0';
        if (!version) {
            size_t v;
            if (strcmp(kw, "pact-model") != 0) {
                rc = bad(r, "not a PACT model file (no 'pact-model' line)");
                goto out;
            }
            if ((rc = size(r, &s, &v)) < 0)
                goto out;
            if (v != PACT__MODEL_FORMAT) {
                char msg[128];
                snprintf(msg, sizeof msg, "format version %zu; this pact "
                         "reads version %d", v, PACT__MODEL_FORMAT);
                rc = bad(r, msg);
                goto out;
            }
            version = (int)v;
        } else if (strcmp(kw, "type") == 0) {
            char *t = rest_dup(s);
            type = !t ? 0 : strcmp(t, "ols") == 0 ? PACT__MODEL_OLS
                   : strcmp(t, "piecewise") == 0 ? PACT__MODEL_PIECEWISE : 0;
            free(t);
            if (!type) {
                rc = bad(r, "type must be ols or piecewise");
                goto out;
            }
            have_type = 1;
        } else if (strcmp(kw, "features") == 0) {
            if (m) {
                rc = bad(r, "a second 'features' line");
                goto out;
            }
            if ((rc = size(r, &s, &nf)) < 0 || (rc = rest_empty(r, s)) < 0)
                goto out;
            if (nf == 0 || nf > PACT__MODEL_MAX_FEATURES) {
                rc = bad(r, "feature count out of range");
                goto out;
            }
            if (!(m = pact__model_new(nf))) {
                rc = -ENOMEM;
                goto out;
            }
        } else if (!m && strcmp(kw, "target") != 0) {
            rc = bad(r, "'features N' must come before this line");
            goto out;
        } else if (strcmp(kw, "target") == 0) {
            free(target);
            if (!(target = rest_dup(s))) {
                rc = bad(r, "empty target name");
                goto out;
            }
        } else if (strcmp(kw, "feature") == 0) {
            double pp;
            if (nfeat >= nf) {
                rc = bad(r, "more 'feature' lines than 'features' says");
                goto out;
            }
            if ((rc = keyval(r, &s, "per_period", &pp)) < 0)
                goto out;
            if (!(m->feature[nfeat] = rest_dup(s))) {
                rc = bad(r, "empty feature name");
                goto out;
            }
            m->per_period[nfeat++] = flag(pp);
        } else if (strcmp(kw, "preprocess") == 0) {
            double sk, no, pp, wi, tr, tf;
            if ((rc = keyval(r, &s, "skip_leading", &sk)) < 0 ||
                (rc = keyval(r, &s, "normalise", &no)) < 0 ||
                (rc = keyval(r, &s, "perf_period_s", &pp)) < 0 ||
                (rc = keyval(r, &s, "window", &wi)) < 0 ||
                (rc = keyval(r, &s, "trim", &tr)) < 0 ||
                (rc = keyval(r, &s, "train_fraction", &tf)) < 0 ||
                (rc = rest_empty(r, s)) < 0)
                goto out;
            if (!(pp > 0) || wi < 0 || wi > 1e9 || tf < 0 || tf > 1) {
                rc = bad(r, "pre-processing value out of range");
                goto out;
            }
            m->pp.skip_leading = flag(sk);
            m->pp.normalise = flag(no);
            m->pp.perf_period_s = pp;
            m->pp.window = (size_t)wi;
            m->pp.trim = flag(tr);
            m->pp.train_fraction = tf;
        } else if (strcmp(kw, "basis") == 0) {
            if ((rc = basis_line(r, s, m)) < 0)
                goto out;
        } else if (strcmp(kw, "seed") == 0) {
            size_t v;
            if ((rc = size(r, &s, &v)) < 0 || (rc = rest_empty(r, s)) < 0)
                goto out;
            m->seed = v;
        } else if (strcmp(kw, "train_rows") == 0) {
            if ((rc = size(r, &s, &m->ntrain)) < 0 ||
                (rc = rest_empty(r, s)) < 0)
                goto out;
        } else if (strcmp(kw, "ols") == 0) {
            if ((rc = nums(r, &s, m->ols, nf + 1)) < 0 ||
                (rc = rest_empty(r, s)) < 0)
                goto out;
            have_ols = 1;
        } else if (strcmp(kw, "clusters") == 0) {
            struct pact__piecewise *pw = &m->pw;
            size_t k, ns;
            if (pw->coef) {
                rc = bad(r, "a second 'clusters' line");
                goto out;
            }
            if ((rc = size(r, &s, &k)) < 0 || (rc = size(r, &s, &ns)) < 0 ||
                (rc = rest_empty(r, s)) < 0)
                goto out;
            if (k == 0 || k > 100000 || ns == 0 || ns > nf ||
                ns > PACT__PW_MAX_SEL) {
                rc = bad(r, "cluster or clustering-feature count out of "
                         "range");
                goto out;
            }
            pw->k = k;
            pw->nsel = ns;
            pw->sel = calloc(ns, sizeof *pw->sel);
            pw->lo = calloc(ns, sizeof *pw->lo);
            pw->hi = calloc(ns, sizeof *pw->hi);
            pw->centre = calloc(k * ns, sizeof *pw->centre);
            pw->coef = calloc(k * (nf + 1), sizeof *pw->coef);
            pw->rows = calloc(k, sizeof *pw->rows);
            pw->fallback = calloc(k, sizeof *pw->fallback);
            if (!pw->sel || !pw->lo || !pw->hi || !pw->centre ||
                !pw->coef || !pw->rows || !pw->fallback) {
                rc = -ENOMEM;
                goto out;
            }
        } else if (strcmp(kw, "scale") == 0) {
            struct pact__piecewise *pw = &m->pw;
            size_t j;
            if (!pw->coef || nscale >= pw->nsel) {
                rc = bad(r, "'scale' without room after 'clusters'");
                goto out;
            }
            if ((rc = size(r, &s, &j)) < 0 ||
                (rc = num(r, &s, &pw->lo[nscale])) < 0 ||
                (rc = num(r, &s, &pw->hi[nscale])) < 0 ||
                (rc = rest_empty(r, s)) < 0)
                goto out;
            if (j >= nf) {
                rc = bad(r, "scale feature index out of range");
                goto out;
            }
            pw->sel[nscale++] = j;
        } else if (strcmp(kw, "cluster") == 0) {
            struct pact__piecewise *pw = &m->pw;
            double rows, fb;
            if (!pw->coef || ncl >= pw->k) {
                rc = bad(r, "'cluster' without room after 'clusters'");
                goto out;
            }
            if ((rc = keyval(r, &s, "rows", &rows)) < 0 ||
                (rc = keyval(r, &s, "fallback", &fb)) < 0 ||
                (rc = word(r, &s, "centre")) < 0 ||
                (rc = nums(r, &s, pw->centre + ncl * pw->nsel, pw->nsel)) <
                    0 ||
                (rc = word(r, &s, "coef")) < 0 ||
                (rc = nums(r, &s, pw->coef + ncl * (nf + 1), nf + 1)) < 0 ||
                (rc = rest_empty(r, s)) < 0)
                goto out;
            /* A count pact can hold, never a float cast out of range. */
            if (!(rows >= 0 && rows <= 9007199254740992.0) ||
                rows != floor(rows)) {
                rc = bad(r, "rows= must be a whole count from 0 to 2^53");
                goto out;
            }
            pw->rows[ncl] = (size_t)rows;
            pw->fallback[ncl] = flag(fb);
            ncl++;
        } else if (strcmp(kw, "end") == 0) {
            ended = 1;
        } else {
            char msg[128];
            snprintf(msg, sizeof msg, "unknown keyword '%.40s'", kw);
            rc = bad(r, msg);
            goto out;
        }
    }
    r->line++;
    if (!version)
        rc = bad(r, "empty file; not a PACT model");
    else if (!ended)
        rc = bad(r, "no 'end' line (file cut short)");
    else if (!m || !have_type || !target || nfeat != nf || !have_ols)
        rc = bad(r, "missing type, target, feature or ols lines");
    else if (type == PACT__MODEL_PIECEWISE &&
             (!m->pw.coef || nscale != m->pw.nsel || ncl != m->pw.k))
        rc = bad(r, "piecewise model without all its scale and cluster "
                    "lines");
    else if (type == PACT__MODEL_OLS && m->pw.coef)
        rc = bad(r, "an ols model with cluster lines");
out:
    free(buf);
    if (rc < 0) {
        free(target);
        pact__model_free(m);
        return rc;
    }
    m->target = target;
    m->type = type;
    *out = m;
    return 0;
}

int pact__model_load(const char *path, struct pact__model **out, char *why,
                     size_t len)
{
    *out = NULL;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        int e = errno;
        snprintf(why, len, "%s: cannot open the model: %s", path,
                 strerror(e));
        return -e;
    }
    pact__skip_bom(fp);
    struct rd r = {path, 0, why, len};
    int rc = parse(&r, fp, out);
    fclose(fp);
    if (rc == -ENOMEM)
        snprintf(why, len, "%s: out of memory", path);
    return rc;
}

/* Numbers in the C locale whatever the host program set. */
int pact__model_write(const struct pact__model *m, FILE *fp)
{
    locale_t old = pact__c_locale_push();
    int rc = model_write_c(m, fp);
    pact__c_locale_pop(old);
    return rc;
}
