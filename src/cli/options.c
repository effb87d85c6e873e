/* SPDX-License-Identifier: MIT */
/*
 * options.c - parse the shared tracker options (see options.h).  The CLI
 * may print and exit; the library never does.
 */
#include "cli/options.h"
#include "cli/mkparents.h"
#include "core/numfmt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    O_MEASURE = 256, O_PERF, O_SCOPE, O_MODE, O_SYSROOT, O_PSU, O_PSUDEV,
    O_PSUDETAIL, O_GPUS, O_NOEST, O_PSUEFF, O_PSURATING, O_COUNTRY, O_CI,
    O_IFILE, O_PUE, O_MODEL, O_SUMJSON, O_DATADIR, O_DURATION, O_STATUS,
    O_NOSTATUS, O_COOLDOWN, O_PSAMPLE, O_REALTIME, O_LISTEN, O_LABEL,
    O_TEXTFILE,
};

static const struct option longopts[] = {
    {"output", required_argument, NULL, 'o'},
    {"events", required_argument, NULL, 'e'},
    {"measure-period", required_argument, NULL, O_MEASURE},
    {"perf-period", required_argument, NULL, O_PERF},
    {"power-sample-period", required_argument, NULL, O_PSAMPLE},
    {"scope", required_argument, NULL, O_SCOPE},
    {"counter-mode", required_argument, NULL, O_MODE},
    {"sysroot", required_argument, NULL, O_SYSROOT},
    {"psu", required_argument, NULL, O_PSU},
    {"psu-device", required_argument, NULL, O_PSUDEV},
    {"psu-detail", no_argument, NULL, O_PSUDETAIL},
    {"gpus", required_argument, NULL, O_GPUS},
    {"no-estimate", no_argument, NULL, O_NOEST},
    {"psu-efficiency", required_argument, NULL, O_PSUEFF},
    {"psu-rating", required_argument, NULL, O_PSURATING},
    {"country", required_argument, NULL, O_COUNTRY},
    {"carbon-intensity", required_argument, NULL, O_CI},
    {"intensity-file", required_argument, NULL, O_IFILE},
    {"pue", required_argument, NULL, O_PUE},
    {"model", required_argument, NULL, O_MODEL},
    {"summary-json", required_argument, NULL, O_SUMJSON},
    {"data-dir", required_argument, NULL, O_DATADIR},
    {"duration", required_argument, NULL, O_DURATION},
    {"status", no_argument, NULL, O_STATUS},
    {"live", no_argument, NULL, O_STATUS},
    {"no-live", no_argument, NULL, O_NOSTATUS},
    {"no-status", no_argument, NULL, O_NOSTATUS},
    {"cooldown", required_argument, NULL, O_COOLDOWN},
    {"realtime", no_argument, NULL, O_REALTIME},
    {"listen", required_argument, NULL, O_LISTEN},
    {"label", required_argument, NULL, O_LABEL},
    {"textfile", required_argument, NULL, O_TEXTFILE},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

double cli_number(const char *opt, const char *arg)
{
    char *end;
    errno = 0;
    double v = pact__strtod(arg, &end);
    if (errno || end == arg || *end != '\0' || !isfinite(v)) {
        fprintf(stderr, "pact: %s: '%s' is not a number\n", opt, arg);
        exit(2);
    }
    return v;
}

static int parse_scope(const char *a)
{
    if (!strcmp(a, "auto"))
        return PACT_SCOPE_AUTO;
    if (!strcmp(a, "system"))
        return PACT_SCOPE_SYSTEM;
    if (!strcmp(a, "workload"))
        return PACT_SCOPE_WORKLOAD;
    fprintf(stderr, "pact: --scope: '%s' is not one of auto, system, "
            "workload\n", a);
    exit(2);
}

static int parse_mode(const char *a)
{
    if (!strcmp(a, "window") || !strcmp(a, "delta"))
        return PACT_COUNTER_WINDOW;
    if (!strcasecmp(a, "pact"))
        return PACT_COUNTER_PACT;
    fprintf(stderr, "pact: --counter-mode: '%s' is not one of window, "
            "pact\n", a);
    exit(2);
}

/* --label key=value, checked now; kept as "k=v" lines in cfg.labels. */
static void cli_add_label(struct cli_opts *o, const char *kv)
{
    char k[PACT__LABEL_KEY], v[PACT__LABEL_VAL], why[512];
    if (pact__label_parse(kv, k, sizeof k, v, sizeof v, why, sizeof why) < 0) {
        fprintf(stderr, "pact: %s\n", why);
        exit(2);
    }
    size_t used = strlen(o->labels), n = strlen(kv);
    if (used + n + 2 > sizeof o->labels) {
        fprintf(stderr, "pact: --label: too many labels; drop some\n");
        exit(2);
    }
    snprintf(o->labels + used, sizeof o->labels - used, "%s%s",
             used ? "\n" : "", kv);
    o->cfg.labels = o->labels;
}

int cli_parse(int argc, char **argv, struct cli_opts *o,
              void (*help_fn)(void))
{
    int c;
    while ((c = getopt_long(argc, argv, "+o:e:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            o->cfg.output_path = optarg;
            o->results_dir = optarg;
            break;
        case 'e':
            /* An empty list is a mistake, not "no counters": that is
             * spelt -e none. */
            if (!optarg[0]) {
                fprintf(stderr, "pact: -e '': empty event list; name the "
                        "events (-e faults,cycles) or use -e none for no "
                        "counters\n");
                exit(2);
            }
            o->cfg.events = strcmp(optarg, "none") ? optarg : "";
            break;
        case O_MEASURE:
            o->cfg.measure_period_s = cli_number("--measure-period", optarg);
            break;
        case O_PERF:
            o->cfg.perf_period_s = cli_number("--perf-period", optarg);
            break;
        case O_PSAMPLE:
            o->cfg.power_sample_period_s =
                cli_number("--power-sample-period", optarg);
            break;
        case O_SCOPE:
            o->cfg.scope = parse_scope(optarg);
            break;
        case O_MODE:
            o->cfg.counter_mode = parse_mode(optarg);
            break;
        case O_SYSROOT:
            o->cfg.sysroot = optarg;
            break;
        case O_PSU:
            o->cfg.psu = optarg;
            break;
        case O_PSUDEV:
            o->cfg.psu_device = optarg;
            break;
        case O_PSUDETAIL:
            o->cfg.psu_detail = 1;
            break;
        case O_GPUS:
            o->cfg.gpus = optarg;
            break;
        case O_NOEST:
            o->cfg.no_estimate = 1;
            break;
        case O_PSUEFF: {
            double e = cli_number("--psu-efficiency", optarg);
            o->cfg.psu_efficiency = e > 1.0 ? e / 100.0 : e;
            break;
        }
        case O_PSURATING:
            o->cfg.psu_rating = optarg;
            break;
        case O_COUNTRY:
            o->cfg.country = optarg;
            break;
        case O_CI:
            o->cfg.carbon_intensity = cli_number("--carbon-intensity", optarg);
            if (o->cfg.carbon_intensity < 0) {
                fprintf(stderr, "pact: --carbon-intensity must be >= 0 "
                        "gCO2/kWh\n");
                exit(2);
            }
            break;
        case O_IFILE:
            o->cfg.intensity_file = optarg;
            break;
        case O_PUE:
            o->cfg.pue = cli_number("--pue", optarg);
            break;
        case O_MODEL:
            o->cfg.model_path = optarg;
            break;
        case O_SUMJSON:
            o->summary_json = optarg;
            break;
        case O_DATADIR:
            o->cfg.data_dir = optarg;
            break;
        case O_DURATION:
            o->duration_s = cli_number("--duration", optarg);
            if (!(o->duration_s > 0 && o->duration_s <= PACT_DURATION_MAX)) {
                fprintf(stderr, "pact: --duration must be more than 0 and "
                        "at most %.0f seconds (366 days), got %s\n",
                        PACT_DURATION_MAX, optarg);
                exit(2);
            }
            break;
        case O_STATUS:
            o->status = 1;
            break;
        case O_REALTIME:
            o->cfg.realtime = 1;
            break;
        case O_NOSTATUS:
            o->status = 0;
            break;
        case O_COOLDOWN:
            o->cooldown_s = cli_number("--cooldown", optarg);
            break;
        case O_LISTEN:
            if (strcmp(argv[0], "run") && strcmp(argv[0], "monitor") &&
                strcmp(argv[0], "serve")) {
                fprintf(stderr, "pact %s: --listen is for run, monitor and "
                        "serve; run 'pact serve' beside it\n", argv[0]);
                exit(2);
            }
            o->listen = optarg;
            break;
        case O_LABEL:
            cli_add_label(o, optarg);
            break;
        case O_TEXTFILE:
            o->cfg.textfile_dir = optarg;
            break;
        case 'q':
            o->quiet = 1;
            o->cfg.quiet = 1;
            break;
        case 'h':
            help_fn();
            exit(0);
        default:
            fprintf(stderr, "pact: see '%s --help'\n", argv[0]);
            exit(2);
        }
    }
    if (o->cfg.output_path && *o->cfg.output_path) {
        char why[512];
        if (cli_mkparents(o->cfg.output_path, why, sizeof why) < 0) {
            fprintf(stderr, "pact: %s; choose another path with -o FILE\n",
                    why);
            exit(2);
        }
    }
    return 0;
}

void cli_print_tracker_options(void)
{
    fputs(
        "Sampling:\n"
        "  -o, --output FILE        CSV written row by row (default "
        "PACT.csv)\n"
        "      --power-sample-period S  instantaneous power (PSU, hwmon, "
        "GPU) read\n"
        "                           period (default: 10 per row or 0.1 s, "
        "whichever\n"
        "                           is more often; at least 0.01)\n"
        "      --measure-period S   seconds per row, 0.001 to 86400 (default 1)\n"
        "      --perf-period S      counter read period, 0.0001 to the measure\n"
        "                           period (default 0.01)\n"
        "      --realtime           sample at real-time priority (SCHED_FIFO,\n"
        "                           watched; needs CAP_SYS_NICE)\n"
        "  -e, --events SPEC        counters: ';' between groups, ',' "
        "inside one\n"
        "                           (default "
        "'migrations;faults;cache-misses;cycles'; none = no counters)\n"
        "      --scope auto|system|workload   counters system-wide or the "
        "workload's\n"
        "      --counter-mode window|pact     events per window (default) "
        "or the\n"
        "                           original's sum of running totals\n"
        "      --sysroot DIR        read /sys, /proc, /dev under DIR "
        "(tests)\n"
        "Power sources:\n"
        "      --psu auto|corsair|nzxt|none   (aliases Corsair_1500i, "
        "NZXT_850)\n"
        "      --psu-device DEV     /dev/hidrawN or unix:PATH\n"
        "      --psu-detail         rails, temperatures and fan too\n"
        "      --gpus LIST          GPU indices, e.g. 0,2 (default all)\n"
        "      --no-estimate        never estimate CPU power\n"
        "Energy and carbon:\n"
        "      --psu-efficiency F   PSU efficiency, 0..1 (or %)\n"
        "      --psu-rating R       80 PLUS rating: "
        "white|bronze|silver|gold|platinum|titanium\n"
        "      --country CC         ISO code for the grid intensity\n"
        "      --carbon-intensity G gCO2/kWh, overrides the table\n"
        "      --intensity-file F   time series 'timestamp,gco2_per_kwh'\n"
        "      --pue X              data-centre overhead (default 1.0)\n"
        "      --model FILE         add predicted total power per row\n"
        "      --summary-json FILE  write the run summary as JSON\n"
        "Output:\n"
        "Fleet (docs/prometheus.md):\n"
        "      --listen [ADDR:]PORT serve /metrics for Prometheus\n"
        "      --textfile DIR       write DIR/pact.prom each window "
        "(node_exporter)\n"
        "      --label KEY=VALUE    label series and CSV rows (repeatable;"
        " node=\n"
        "                           names the host); job_id, rank, ... "
        "come from Slurm,\n"
        "                           torchrun or MPI\n"
        "  -q, --quiet              no notices, no summary\n"
        "      --live/--no-live     live status line on the terminal's last "
        "row (default:\n"
        "                           off for run, whose workload owns the "
        "terminal; on for\n"
        "                           monitor); --status/--no-status are "
        "aliases\n",
        stdout);
}
