/* SPDX-License-Identifier: MIT */
/*
 * summary_print.c - gathers the tracker's run summary and per-source
 * figures and hands them to the text (stderr) and JSON (--summary-json)
 * writers in src/output/summary_*.c.
 */
#include "cli/summary_print.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/outfile.h"
#include "output/summary.h"

int summary_json_check(const char *json_path)
{
    char dir[4096];
    if (!json_path)
        return 0;
    const char *slash = strrchr(json_path, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == json_path)
        snprintf(dir, sizeof dir, "/");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - json_path),
                 json_path);
    char why[1024];
    if (pact__out_check(json_path, NULL, why, sizeof why) < 0) {
        fprintf(stderr, "pact: --summary-json: %s\n", why);
        return 1;
    }
    int ok = access(json_path, F_OK) == 0 ? access(json_path, W_OK) == 0
                                          : access(dir, W_OK) == 0;
    if (ok)
        return 0;
    fprintf(stderr, "pact: cannot write --summary-json %s: %s; check the "
            "directory exists and is writable\n", json_path, strerror(errno));
    return 1;
}

static char command[1024];

void summary_print_command(const char *prefix, int argc, char **argv)
{
    int n0 = snprintf(command, sizeof command, "%s", prefix ? prefix : "");
    size_t off = n0 > 0 ? (size_t)n0 : 0;
    for (int i = 0; i < argc && off < sizeof command; i++) {
        int n = snprintf(command + off, sizeof command - off, "%s%s",
                         off ? " " : "", argv[i]);
        if (n < 0)
            break;
        off += (size_t)n;
    }
}

int summary_print(struct pact_tracker *t, int text, const char *json_path)
{
    struct pact_summary s;
    if (pact_tracker_summary(t, &s) < 0)
        return 1;
    int n = pact_tracker_source_count(t);
    if (n < 0)
        n = 0;
    struct pact_source_summary *src = calloc((size_t)(n ? n : 1),
                                             sizeof *src);
    if (!src) {
        fprintf(stderr, "pact: out of memory for the summary\n");
        return 1;
    }
    int k = 0;
    for (int i = 0; i < n; i++)
        if (pact_tracker_source_get(t, i, &src[k]) == 0)
            k++;
    if (text)
        pact__summary_text(stderr, &s, src, k);
    int rc = 0;
    if (json_path) {
        /* A new file beside the target, renamed over it when complete:
         * never through a link, never half written. */
        struct pact__outfile of;
        char why[1024];
        if (pact__outfile_open(&of, json_path, NULL, why, sizeof why) < 0) {
            fprintf(stderr, "pact: --summary-json: %s\n", why);
            rc = 1;
        } else {
            char host[256] = "";
            gethostname(host, sizeof host - 1);
            int w = pact__summary_json_run(of.fp, &s, src, k,
                                           command[0] ? command : NULL,
                                           host[0] ? host : NULL);
            if (w < 0) {
                pact__outfile_abort(&of);
                fprintf(stderr, "pact: --summary-json: could not write all "
                        "of %s\n", json_path);
                rc = 1;
            } else if (pact__outfile_commit(&of, why, sizeof why) < 0) {
                fprintf(stderr, "pact: --summary-json: %s\n", why);
                rc = 1;
            }
        }
    }
    free(src);
    return rc;
}
