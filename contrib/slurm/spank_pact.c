/* SPDX-License-Identifier: MIT */
/*
 * spank_pact.c - the SPANK plugin spank_pact.so: `srun --pact[=OPTS]` (or
 * `#SBATCH --pact`, or a site default in plugstack.conf) tracks each job
 * step with pact and writes PACT_<jobid>_<step>_<node>.csv and
 * PACT_<jobid>_<step>_<node>.json (the step's summary) into a directory.
 *
 * Where it runs (see docs/slurm.md): options are parsed in srun/sbatch and
 * in slurmstepd; the tracker lives in slurmstepd, ONE per node and step,
 * started in slurm_spank_init_post_opt (once per step, before any task is
 * forked) and stopped in slurm_spank_exit (after every task has ended).
 * task_init runs in each task's process just before execve, where a
 * sampling thread would die with the exec and would count the node once
 * per task: the node's PSU, RAPL and GPUs are shared by its tasks.
 *
 * Failures never fail the job: every error is one line in the step's log
 * (slurm_error) and the callback still returns success.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <slurm/spank.h>

#include "pact/pact.h"
#include "output/summary.h"

SPANK_PLUGIN(pact, 1);

#define OPT_LEN 1024

static int enabled;              /* --pact given, or the site default */
static char user_opts[OPT_LEN];  /* --pact=OPTS */
static char dir[512] = ".";      /* where the files go */
static char sysroot[512];        /* site only: a fixture root for tests */
static char psu[64];             /* site only: --psu */
static double period = 1.0;
static struct pact_tracker *tracker;
static char csv_path[1024], json_path[1024];

static int opt_cb(int val, const char *optarg, int remote)
{
    (void)val;
    (void)remote;
    enabled = 1;
    if (optarg)
        snprintf(user_opts, sizeof user_opts, "%s", optarg);
    return 0;
}

struct spank_option spank_options[] = {
    {"pact", "[OPTS]",
     "Track this step's power, energy and CO2 with pact: one CSV per node. "
     "OPTS: dir=DIR,period=SECONDS (comma separated)",
     2, 0, opt_cb},
    SPANK_OPTIONS_TABLE_END,
};

/* key=value[,key=value...]; site=1 allows the site-only keys. */
static void apply(const char *opts, int site)
{
    char buf[OPT_LEN];
    snprintf(buf, sizeof buf, "%s", opts);
    char *save = NULL;
    for (char *kv = strtok_r(buf, ", ", &save); kv;
         kv = strtok_r(NULL, ", ", &save)) {
        char *v = strchr(kv, '=');
        if (v)
            *v++ = '\0';
        if (strcmp(kv, "dir") == 0 && v)
            snprintf(dir, sizeof dir, "%s", v);
        else if (strcmp(kv, "period") == 0 && v && atof(v) > 0)
            period = atof(v);
        else if (site && strcmp(kv, "default") == 0 && v)
            enabled = strcmp(v, "on") == 0 || strcmp(v, "1") == 0;
        else if (site && strcmp(kv, "sysroot") == 0 && v)
            snprintf(sysroot, sizeof sysroot, "%s", v);
        else if (site && strcmp(kv, "psu") == 0 && v)
            snprintf(psu, sizeof psu, "%s", v);
        else
            slurm_error("spank_pact: ignoring unknown option '%s'", kv);
    }
}

int slurm_spank_init(spank_t sp, int ac, char **av)
{
    (void)sp;
    for (int i = 0; i < ac; i++)
        apply(av[i], 1);
    return ESPANK_SUCCESS;
}

static void getenv_into(spank_t sp, const char *var, char *buf, int len)
{
    if (spank_getenv(sp, var, buf, len) != ESPANK_SUCCESS)
        buf[0] = '\0';
}

/* Start the step's tracker, as the job's user so that the files are the
 * user's and a path the user names cannot make root write elsewhere. */
int slurm_spank_init_post_opt(spank_t sp, int ac, char **av)
{
    (void)ac;
    (void)av;
    if (spank_context() != S_CTX_REMOTE || !enabled)
        return ESPANK_SUCCESS;
    apply(user_opts, 0);
    uint32_t job = 0, step = 0, nodeid = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    char host[256] = "node";
    spank_get_item(sp, S_JOB_ID, &job);
    spank_get_item(sp, S_JOB_STEPID, &step);
    spank_get_item(sp, S_JOB_NODEID, &nodeid);
    spank_get_item(sp, S_JOB_UID, &uid);
    spank_get_item(sp, S_JOB_GID, &gid);
    gethostname(host, sizeof host - 1);
    char *dot = strchr(host, '.');
    if (dot)
        *dot = '\0';
    snprintf(csv_path, sizeof csv_path, "%s/PACT_%u_%u_%s.csv", dir, job,
             step, host);
    snprintf(json_path, sizeof json_path, "%s/PACT_%u_%u_%s.json", dir,
             job, step, host);

    /* The labels pact records with each row (job_id, step, node, rank):
     * the node's index stands for the rank of its one tracker. */
    char v[64];
    snprintf(v, sizeof v, "%u", job);
    setenv("SLURM_JOB_ID", v, 1);
    snprintf(v, sizeof v, "%u", step);
    setenv("SLURM_STEP_ID", v, 1);
    snprintf(v, sizeof v, "%u", nodeid);
    setenv("SLURM_NODEID", v, 1);
    setenv("SLURMD_NODENAME", host, 1);
    char gpus[256];
    getenv_into(sp, "CUDA_VISIBLE_DEVICES", gpus, sizeof gpus);

    struct pact_config cfg;
    pact_config_init(&cfg);
    cfg.measure_period_s = period;
    cfg.output_path = csv_path;
    cfg.quiet = 1;
    if (gpus[0])
        cfg.gpus = gpus;
    if (sysroot[0])
        cfg.sysroot = sysroot;
    if (psu[0])
        cfg.psu = psu;

    char err[512] = "";
    gid_t egid = getegid();
    uid_t euid = geteuid();
    int dropped = euid == 0 && uid != 0;
    if (dropped && (setegid(gid) < 0 || seteuid(uid) < 0)) {
        slurm_error("spank_pact: cannot take the job user's identity: %s; "
                    "this step is not tracked", strerror(errno));
        if (geteuid() != euid && seteuid(euid) < 0)
            return ESPANK_SUCCESS;
        setegid(egid);
        return ESPANK_SUCCESS;
    }
    int rc = pact_tracker_new(&cfg, &tracker, err, sizeof err);
    if (rc == 0 && (rc = pact_tracker_start(tracker)) < 0) {
        snprintf(err, sizeof err, "%s", pact_tracker_errmsg(tracker));
        pact_tracker_free(tracker);
        tracker = NULL;
    }
    if (dropped && (seteuid(euid) < 0 || setegid(egid) < 0))
        slurm_error("spank_pact: cannot restore privileges: %s",
                    strerror(errno));
    if (rc < 0)
        slurm_error("spank_pact: %s; the step runs without pact (check the "
                    "directory given by dir=)", err);
    return ESPANK_SUCCESS;
}

/* After every task of the step on this node has ended. */
int slurm_spank_exit(spank_t sp, int ac, char **av)
{
    (void)sp;
    (void)ac;
    (void)av;
    if (spank_context() != S_CTX_REMOTE || !tracker)
        return ESPANK_SUCCESS;
    if (pact_tracker_stop(tracker) < 0)
        slurm_error("spank_pact: %s", pact_tracker_errmsg(tracker));
    struct pact_summary s;
    pact_tracker_summary(tracker, &s);
    int n = pact_tracker_source_count(tracker);
    struct pact_source_summary src[64];
    if (n > 64)
        n = 64;
    for (int i = 0; i < n; i++)
        pact_tracker_source_get(tracker, i, &src[i]);
    FILE *f = fopen(json_path, "wx");
    if (f) {
        pact__summary_json(f, &s, src, n < 0 ? 0 : n);
        if (fclose(f) != 0)
            slurm_error("spank_pact: cannot write %s", json_path);
    } else {
        slurm_error("spank_pact: cannot write %s: %s", json_path,
                    strerror(errno));
    }
    pact_tracker_free(tracker);
    tracker = NULL;
    return ESPANK_SUCCESS;
}
