/* SPDX-License-Identifier: MIT */
/*
 * events.c - the generic event table (perf's event_symbols_hw/sw names and
 * aliases, per linux/perf_event.h), libpfm4 for the rest, and the spec
 * parser.  Unknown names get a "did you mean" list by edit distance.
 */
#include "counters/events.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "pact/pact.h"

struct named_event {
    const char *name;
    const char *canonical;
    uint32_t type;
    uint64_t config;
    int kernel_side;
};

#define HW PERF_TYPE_HARDWARE
#define SW PERF_TYPE_SOFTWARE
#define HWC PERF_TYPE_HW_CACHE
#define CACHE(id, op, res) ((id) | ((op) << 8) | ((res) << 16))

/* Names as perf spells them; aliases point at the same encoding. */
static const struct named_event table[] = {
    {"cpu-cycles", "cpu-cycles", HW, PERF_COUNT_HW_CPU_CYCLES, 0},
    {"cycles", "cpu-cycles", HW, PERF_COUNT_HW_CPU_CYCLES, 0},
    {"instructions", "instructions", HW, PERF_COUNT_HW_INSTRUCTIONS, 0},
    {"cache-references", "cache-references", HW,
     PERF_COUNT_HW_CACHE_REFERENCES, 0},
    {"cache-misses", "cache-misses", HW, PERF_COUNT_HW_CACHE_MISSES, 0},
    {"branch-instructions", "branch-instructions", HW,
     PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 0},
    {"branches", "branch-instructions", HW,
     PERF_COUNT_HW_BRANCH_INSTRUCTIONS, 0},
    {"branch-misses", "branch-misses", HW, PERF_COUNT_HW_BRANCH_MISSES, 0},
    {"bus-cycles", "bus-cycles", HW, PERF_COUNT_HW_BUS_CYCLES, 0},
    {"stalled-cycles-frontend", "stalled-cycles-frontend", HW,
     PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 0},
    {"idle-cycles-frontend", "stalled-cycles-frontend", HW,
     PERF_COUNT_HW_STALLED_CYCLES_FRONTEND, 0},
    {"stalled-cycles-backend", "stalled-cycles-backend", HW,
     PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 0},
    {"idle-cycles-backend", "stalled-cycles-backend", HW,
     PERF_COUNT_HW_STALLED_CYCLES_BACKEND, 0},
    {"ref-cycles", "ref-cycles", HW, PERF_COUNT_HW_REF_CPU_CYCLES, 0},
    {"cpu-clock", "cpu-clock", SW, PERF_COUNT_SW_CPU_CLOCK, 0},
    {"task-clock", "task-clock", SW, PERF_COUNT_SW_TASK_CLOCK, 0},
    {"page-faults", "page-faults", SW, PERF_COUNT_SW_PAGE_FAULTS, 0},
    {"faults", "page-faults", SW, PERF_COUNT_SW_PAGE_FAULTS, 0},
    {"context-switches", "context-switches", SW,
     PERF_COUNT_SW_CONTEXT_SWITCHES, 1},
    {"cs", "context-switches", SW, PERF_COUNT_SW_CONTEXT_SWITCHES, 1},
    {"cpu-migrations", "cpu-migrations", SW, PERF_COUNT_SW_CPU_MIGRATIONS, 1},
    {"migrations", "cpu-migrations", SW, PERF_COUNT_SW_CPU_MIGRATIONS, 1},
    {"minor-faults", "minor-faults", SW, PERF_COUNT_SW_PAGE_FAULTS_MIN, 0},
    {"major-faults", "major-faults", SW, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 0},
    {"alignment-faults", "alignment-faults", SW,
     PERF_COUNT_SW_ALIGNMENT_FAULTS, 0},
    {"emulation-faults", "emulation-faults", SW,
     PERF_COUNT_SW_EMULATION_FAULTS, 0},
    {"L1-dcache-loads", "L1-dcache-loads", HWC,
     CACHE(PERF_COUNT_HW_CACHE_L1D, 0, 0), 0},
    {"L1-dcache-load-misses", "L1-dcache-load-misses", HWC,
     CACHE(PERF_COUNT_HW_CACHE_L1D, 0, 1), 0},
    {"LLC-loads", "LLC-loads", HWC, CACHE(PERF_COUNT_HW_CACHE_LL, 0, 0), 0},
    {"LLC-load-misses", "LLC-load-misses", HWC,
     CACHE(PERF_COUNT_HW_CACHE_LL, 0, 1), 0},
    {"dTLB-load-misses", "dTLB-load-misses", HWC,
     CACHE(PERF_COUNT_HW_CACHE_DTLB, 0, 1), 0},
};
#define NTABLE (sizeof table / sizeof table[0])

/* ---- Close-name suggestions ---- */

static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int row[64];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int cost = tolower((unsigned char)a[i - 1]) !=
                       tolower((unsigned char)b[j - 1]);
            int best = prev + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

static void suggest(const char *name, char *why, size_t len)
{
    int n = snprintf(why, len, "unknown event '%s'", name);
    int shown = 0;
    for (int pass = 1; pass <= 4 && shown < 4; pass++) {
        if (pass == 4 && shown)
            break;
        for (size_t i = 0; i < NTABLE && shown < 4; i++) {
            int d = edit_distance(name, table[i].name);
            int sub = strcasestr(table[i].name, name) != NULL && *name;
            if ((pass == 1 && d == 1) || (pass == 2 && d == 2) ||
                (pass == 3 && sub && d > 2) ||
                (pass == 4 && d > 2 && d <= 4)) {
                if (n > 0 && (size_t)n < len)
                    n += snprintf(why + n, len - (size_t)n, "%s%s",
                                  shown ? ", " : "; did you mean: ",
                                  table[i].name);
                shown++;
            }
        }
    }
    if (n > 0 && (size_t)n < len)
        snprintf(why + n, len - (size_t)n,
                 "%sSee 'pact list' for the events this machine counts",
                 shown ? "? " : ". ");
}

/* ---- libpfm4 ---- */

/* libpfm4 is dlopen'd on the first name outside the table: linking it
 * costs about 2 MB of resident memory (its relocations and tables) in
 * every run, while most runs use only the generic names above. */
static pthread_once_t pfm_once = PTHREAD_ONCE_INIT;
static int pfm_ok;
static pfm_err_t (*sym_pfm_get_os_event_encoding)(const char *, int,
                                                  pfm_os_t, void *);

static void pfm_init(void)
{
    void *h = dlopen("libpfm.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    pfm_err_t (*init)(void) = (pfm_err_t(*)(void))dlsym(h, "pfm_initialize");
    *(void **)&sym_pfm_get_os_event_encoding =
        dlsym(h, "pfm_get_os_event_encoding");
    pfm_ok = init && sym_pfm_get_os_event_encoding &&
             init() == PFM_SUCCESS;
    /* The handle stays open for the life of the process. */
}

static int pfm_lookup(const char *name, struct pact__event *ev)
{
    pthread_once(&pfm_once, pfm_init);
    if (!pfm_ok)
        return -1;
    struct perf_event_attr attr;
    pfm_perf_encode_arg_t arg;
    memset(&attr, 0, sizeof attr);
    memset(&arg, 0, sizeof arg);
    arg.attr = &attr;
    arg.size = sizeof arg;
    if (sym_pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3,
                                  PFM_OS_PERF_EVENT, &arg) != PFM_SUCCESS)
        return -1;
    ev->type = attr.type;
    ev->config = attr.config;
    ev->config1 = attr.config1;
    ev->config2 = attr.config2;
    snprintf(ev->canonical, sizeof ev->canonical, "%s", name);
    return 0;
}

/* ---- Public ---- */

int pact__event_lookup(const char *name, struct pact__event *ev, char *why,
                       size_t len)
{
    memset(ev, 0, sizeof *ev);
    size_t n = strlen(name);
    if (n == 0 || n >= PACT_EVENT_NAME) {
        snprintf(why, len, "event name '%s' is empty or too long", name);
        return PACT_EBADEVENT;
    }
    for (size_t i = 0; i < n; i++)
        ev->column[i] = (char)tolower((unsigned char)name[i]);
    for (size_t i = 0; i < NTABLE; i++) {
        if (strcasecmp(name, table[i].name) == 0) {
            snprintf(ev->canonical, sizeof ev->canonical, "%s",
                     table[i].canonical);
            ev->type = table[i].type;
            ev->config = table[i].config;
            ev->kernel_side = table[i].kernel_side;
            ev->software = table[i].type == PERF_TYPE_SOFTWARE;
            return 0;
        }
    }
    if (pfm_lookup(name, ev) == 0)
        return 0;
    suggest(name, why, len);
    return PACT_EBADEVENT;
}

int pact__events_parse(const char *spec, struct pact__event *out, int max,
                       char *why, size_t len)
{
    int count = 0, group = 0;
    const char *p = spec ? spec : "";
    char tok[PACT_EVENT_NAME * 2];
    while (*p) {
        size_t k = strcspn(p, ",;");
        /* Trim blanks around the token. */
        const char *s = p, *e = p + k;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        if (e > s) {
            if ((size_t)(e - s) >= sizeof tok) {
                snprintf(why, len, "event name '%.*s...' is too long", 20, s);
                return PACT_EBADEVENT;
            }
            if (count == max) {
                snprintf(why, len, "too many events (at most %d)", max);
                return PACT_EBADEVENT;
            }
            memcpy(tok, s, (size_t)(e - s));
            tok[e - s] = '\0';
            int rc = pact__event_lookup(tok, &out[count], why, len);
            if (rc < 0)
                return rc;
            for (int i = 0; i < count; i++) {
                if (strcmp(out[i].column, out[count].column) == 0) {
                    snprintf(why, len, "event '%s' is listed twice", tok);
                    return PACT_EBADEVENT;
                }
            }
            out[count++].group = group;
        }
        p += k;
        if (*p == ';')
            group++;
        if (*p)
            p++;
    }
    return count;
}
