/* SPDX-License-Identifier: MIT */
/*
 * cmd_list.c - `pact list`: every power source and counter this machine
 * offers, and for each missing one the reason and the fix.  Drivers say
 * why through their probe; counters are opened for real to find out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "cli/console.h"
#include "cli/options.h"
#include "core/basis.h"
#include "core/path.h"
#include "core/sources.h"
#include "counters/counters.h"
#include "sensors/registry.h"

/* Events worth listing beyond the ones asked for. */
#define LIST_EVENTS                                                       \
    "cpu-migrations,page-faults,context-switches,task-clock,cpu-clock,"   \
    "minor-faults,major-faults,cycles,instructions,cache-references,"     \
    "cache-misses,branch-instructions,branch-misses,ref-cycles"

static void help(void)
{
    puts("usage: pact list [--sysroot DIR] [-e EVENTS] [--psu ...]\n"
         "List power sources and counters, and why missing ones are "
         "missing.\n");
    cli_print_tracker_options();
}

static void list_sources(const struct pact_config *cfg)
{
    const char *root = pact__sysroot(cfg->sysroot);
    struct pact_sensor_env env = {.sysroot = root, .cfg = cfg};
    printf("Power sources%s%s:\n", root[0] ? " under " : "", root);
    if (!pact__sensors[0])
        printf("  (no drivers built in)\n");
    for (int i = 0; pact__sensors[i]; i++) {
        char why[1024] = "";
        int n = pact__sensors[i]->probe(&env, why, sizeof why);
        if (n > 0)
            printf("  %-14s yes (%d)  %s\n", pact__sensors[i]->name, n, why);
        else
            printf("  %-14s no       %s\n", pact__sensors[i]->name,
                   why[0] ? why : "not found");
    }
}

/* Read every source for a short while, as a run's first seconds do, and
 * say which are present but not counting, which estimates stand aside,
 * and what the total's basis would be (docs/energy.md). */
#define LIST_LIVENESS_S 0.5
static void list_liveness(const struct pact_config *cfg)
{
    struct pact__sources *src;
    char why[512] = "";
    const char *root = pact__sysroot(cfg->sysroot);
    if (pact__sources_open(cfg, root, &src, why, sizeof why) < 0) {
        printf("Liveness: %s\n", why);
        return;
    }
    int n = pact__sources_count(src);
    double *v = calloc((size_t)(n ? n : 1), sizeof *v);
    unsigned char *dropped = calloc((size_t)(n ? n : 1), 1);
    if (!v || !dropped) {
        free(v);
        free(dropped);
        pact__sources_close(src);
        return;
    }
    pact__sources_begin(src);
    struct timespec ts = {0, (long)(LIST_LIVENESS_S / 5 * 1e9)};
    for (int k = 0; k < 5; k++) {
        nanosleep(&ts, NULL);
        pact__sources_tick(src);
    }
    pact__sources_window(src, v, NULL);
    pact__sources_settle(src, LIST_LIVENESS_S);
    const struct pact_channel *ch = n ? pact__sources_channels(src) : NULL;
    printf("Liveness (%.1f s of readings):\n", LIST_LIVENESS_S);
    for (int i = 0; i < n; i++) {
        const char *w;
        if (pact__sources_dropped(src, i, &w)) {
            dropped[i] = 1;
            printf("  %-26s present but not counting (%s): dropped\n",
                   ch[i].name, w);
        }
    }
    struct pact__basis b;
    if (pact__basis_choose(&b, ch, n, dropped) == 0) {
        for (int i = 0; i < n; i++)
            if (!dropped[i] && b.blank[i])
                printf("  %-26s not needed: a live measured channel covers "
                       "what it estimates\n", ch[i].name);
        printf("  total basis: %s: %s\n", pact__basis_name(b.kind), b.why);
        pact__basis_free(&b);
    }
    free(v);
    free(dropped);
    pact__sources_close(src);
}

static void list_counters(const struct pact_config *cfg)
{
    char paranoid[16] = "?";
    pact__read_text("/proc/sys/kernel/perf_event_paranoid", paranoid,
                    sizeof paranoid);
    const char *spec = cfg->events && strcmp(cfg->events, LIST_EVENTS)
                           ? cfg->events : LIST_EVENTS;
    struct pact__counters_opts o = {.scope = cfg->scope,
                                    .mode = PACT_COUNTER_WINDOW, .pid = 0};
    struct pact__counters *c;
    char notice[512], why[512];
    if (pact__counters_open(spec, &o, &c, notice, sizeof notice, why,
                            sizeof why) < 0) {
        printf("Counters: %s\n", why);
        return;
    }
    int scope = pact__counters_scope(c);
    printf("Counters (perf_event_paranoid %s; scope %s%s%s):\n", paranoid,
           scope == PACT_SCOPE_SYSTEM ? "system: every CPU"
                                      : "workload: the command and children",
           notice[0] ? "; " : "", notice);
    for (int i = 0; i < pact__counters_count(c); i++) {
        const char *w;
        if (pact__counters_available(c, i, &w))
            printf("  %-20s yes\n", pact__counters_column(c, i));
        else
            printf("  %-20s no       %s\n", pact__counters_column(c, i),
                   strchr(w, ':') ? strchr(w, ':') + 2 : w);
    }
    pact__counters_close(c);
    printf("  Other names: perf's spellings, the original's upper-case ones "
           "and libpfm4 PMU events.\n");
}

int cmd_list(int argc, char **argv)
{
    struct cli_opts o = {.status = 0};
    pact_config_init(&o.cfg);
    o.cfg.events = LIST_EVENTS;
    cli_parse(argc, argv, &o, help);
    console_init(1, 0); /* warnings (e.g. an ignored PACT_NVML_LIB) only */
    list_sources(&o.cfg);
    list_liveness(&o.cfg);
    list_counters(&o.cfg);
    return 0;
}
