/* SPDX-License-Identifier: MIT */
/*
 * pact.c - the `pact` command: a table of subcommands (perf's
 * commands[]), one cmd_<name>.c each, plus --version and --help.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/helper_exec.h"
#include "pact/pact.h"

/* Drawing and the full-screen view live in programs of their own. */
static int run_report(int argc, char **argv)
{
    return cli_exec_helper("report", argc, argv);
}

static int run_top(int argc, char **argv)
{
    return cli_exec_helper("top", argc, argv);
}

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    {"run", cmd_run, "track power and counters while a command runs"},
    {"monitor", cmd_monitor, "track the machine until a signal or "
                             "--duration"},
    {"list", cmd_list, "list power sources and counters, and what is "
                       "missing"},
    {"model", cmd_model, "fit, evaluate and apply power models"},
    {"stress", cmd_stress, "run an experiment plan (name,trial#,cmd), each "
                           "line tracked"},
    {"serve", cmd_serve, "node daemon: monitor with a Prometheus /metrics "
                         "endpoint"},
    {"merge", cmd_merge, "combine per-node CSVs into one job timeline"},
    {"report", run_report, "one offline HTML page (and figures) for runs, "
                           "plans, jobs and model evals"},
    {"top", run_top, "watch a running pact full screen (power, energy, "
                     "CO2, counters)"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: pact COMMAND [options]\n\nCommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n'pact COMMAND --help' for a command's options; "
            "'pact --version'.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("pact %s (API 0x%04x)\n", pact_version(), PACT_API_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
        !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "pact: unknown command '%s'; see 'pact --help'\n",
            argv[1]);
    return 2;
}
