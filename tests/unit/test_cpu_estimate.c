/* SPDX-License-Identifier: MIT */
/*
 * test_cpu_estimate.c - the labelled CPU and memory estimate on fixed
 * /proc/stat, /proc/cpuinfo and /proc/meminfo fixtures: the figures the
 * documented model gives (docs/power-sources.md), the TDP table match,
 * the fallbacks, and when the estimate stands aside.  Also the data-file
 * search order and the model-name normalisation.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <sys/wait.h>

#include "core/datafile.h"
#include "sensors/cpu_tdp.h"
#include "sensors/sensor.h"
#include "sysfs_fixture.h"
#include "t.h"

extern const struct pact_sensor_ops pact_sensor_cpu_estimate;

/* The documented model (docs/power-sources.md). */
#define DOC_IDLE 0.10       /* share of TDP at zero utilisation */
#define DOC_W_PER_CPU 4.0   /* unknown model, and guest cap */
#define DOC_W_PER_GIB 0.375 /* 3 W per 8 GiB */

static struct pact_config cfg;

static struct pact_sensor_env env_for(const char *root)
{
    memset(&cfg, 0, sizeof cfg);
    cfg.measure_period_s = 1.0;
    struct pact_sensor_env env = {.sysroot = root, .cfg = &cfg};
    return env;
}

/* /proc/stat "cpu" line fields: user nice system idle iowait irq softirq
 * steal guest guest_nice. */
static const unsigned long long stat_a[10] = {1000, 20, 500, 8000, 100,
                                              10,   30, 40,  0,    0};
static const unsigned long long stat_b[10] = {1600, 20, 800, 8500, 150,
                                              20,   50, 90,  0,    0};

static void write_stat(const char *root, const unsigned long long *v)
{
    fx_write(root, "proc/stat",
             "cpu  %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\n"
             "cpu0 1 2 3 4 5 6 7 8 9 10\nintr 12345\nctxt 999\n",
             v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
}

/* Utilisation the model uses between two stat lines: busy = user + nice
 * + system + irq + softirq; total = busy + idle + iowait (steal out). */
static double util(const unsigned long long *a, const unsigned long long *b)
{
    double busy_a = (double)(a[0] + a[1] + a[2] + a[5] + a[6]);
    double busy_b = (double)(b[0] + b[1] + b[2] + b[5] + b[6]);
    double tot_a = busy_a + (double)(a[3] + a[4]);
    double tot_b = busy_b + (double)(b[3] + b[4]);
    return (busy_b - busy_a) / (tot_b - tot_a);
}

static void machine(const char *root, const char *model, int cpus, int guest,
                    unsigned long long memtotal_kib)
{
    char info[8192];
    size_t off = 0;
    for (int i = 0; i < cpus; i++)
        off += (size_t)snprintf(info + off, sizeof info - off,
                                "processor\t: %d\nvendor_id\t: GenuineIntel\n"
                                "model name\t: %s\nphysical id\t: 0\n"
                                "flags\t\t: fpu vme de%s sse\n\n",
                                i, model, guest ? " hypervisor" : "");
    fx_write(root, "proc/cpuinfo", "%s", info);
    fx_write(root, "proc/meminfo",
             "MemTotal:       %llu kB\nMemFree:        1000 kB\n",
             memtotal_kib);
    write_stat(root, stat_a);
    fx_write(root, "data/cpu_tdp.csv",
             "Name,TDP\nIntel Core i7-8700,65.0\n"
             "\"Intel Xeon Test, 2 GHz\",77\nAMD EPYC 7763,280.0\n");
}

/* Open, read at 0 s and (after stat_b) at dt_s; return window powers. */
static int run(const char *root, double dt_s, double *cpu_w, double *mem_w,
               char *why, size_t len)
{
    char dd[PATH_MAX];
    snprintf(dd, sizeof dd, "%s/data", root);
    struct pact_sensor_env env = env_for(root);
    cfg.data_dir = dd;
    struct pact_channel ch[4];
    struct pact_sample s0[4], s1[4];
    void *st = NULL;
    int n = pact_sensor_cpu_estimate.open(&env, &st, ch, 4, why, len);
    if (n != 2) {
        pact_sensor_cpu_estimate.close(st);
        return n;
    }
    if (strcmp(ch[0].name, "cpu_estimated_w") ||
        ch[0].role != PACT_ROLE_CPU_POWER || !ch[0].estimated ||
        strcmp(ch[1].name, "memory_estimated_w") ||
        ch[1].role != PACT_ROLE_OTHER_POWER || !ch[1].estimated ||
        ch[0].quantity != PACT_Q_ENERGY_J) {
        pact_sensor_cpu_estimate.close(st);
        return -1000;
    }
    pact_sensor_cpu_estimate.read(st, 5000000000LL, s0, n, why, len);
    write_stat(root, stat_b);
    pact_sensor_cpu_estimate.read(st, 5000000000LL + (int64_t)(dt_s * 1e9), s1,
                                  n, why, len);
    *cpu_w = (s1[0].value - s0[0].value) / dt_s;
    *mem_w = (s1[1].value - s0[1].value) / dt_s;
    pact_sensor_cpu_estimate.close(st);
    write_stat(root, stat_a);
    return n;
}

TEST(known_model_documented_figure)
{
    char *root = fx_root();
    machine(root, "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", 12, 0, 16384000);
    char why[1024];
    double cpu_w, mem_w;
    T_EQ(run(root, 2.0, &cpu_w, &mem_w, why, sizeof why), 2);
    double u = util(stat_a, stat_b);
    double want_cpu = 65.0 * (DOC_IDLE + (1 - DOC_IDLE) * u);
    double want_mem = 16384000.0 / 1048576.0 * DOC_W_PER_GIB;
    printf("  %s\n  u = %.6f: cpu %.6f W (want %.6f), memory %.6f W "
           "(want %.6f)\n",
           why, u, cpu_w, want_cpu, mem_w, want_mem);
    T_NEAR(cpu_w, want_cpu, 1e-9);
    T_NEAR(mem_w, want_mem, 1e-9);
    T_ASSERT(strstr(why, "Intel Core i7-8700") != NULL);
    fx_free(root);
}

TEST(unknown_model_per_cpu_default)
{
    char *root = fx_root();
    machine(root, "AMD EPYC", 2, 1, 24684084);
    char why[1024];
    double cpu_w, mem_w;
    T_EQ(run(root, 1.0, &cpu_w, &mem_w, why, sizeof why), 2);
    double want =
        2 * DOC_W_PER_CPU * (DOC_IDLE + (1 - DOC_IDLE) * util(stat_a, stat_b));
    printf("  %s\n  cpu %.6f W (want %.6f)\n", why, cpu_w, want);
    T_NEAR(cpu_w, want, 1e-9);
    T_ASSERT(strstr(why, "'AMD EPYC' not in cpu_tdp.csv") != NULL);
    fx_free(root);
}

TEST(guest_capped_known_model)
{
    char *root = fx_root();
    char why[1024];
    double cpu_w, mem_w, u = util(stat_a, stat_b);
    /* 4 vCPUs of an EPYC 7763: 4 x 4 W, not the 280 W of the whole chip. */
    machine(root, "AMD EPYC 7763 64-Core Processor", 4, 1, 8388608);
    T_EQ(run(root, 1.0, &cpu_w, &mem_w, why, sizeof why), 2);
    T_NEAR(cpu_w, 4 * DOC_W_PER_CPU * (DOC_IDLE + (1 - DOC_IDLE) * u), 1e-9);
    T_NEAR(mem_w, 8.0 * DOC_W_PER_GIB, 1e-9);
    /* 24 vCPUs of a 65 W i7-8700 guest: capped by the chip's TDP. */
    machine(root, "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", 24, 1, 8388608);
    T_EQ(run(root, 1.0, &cpu_w, &mem_w, why, sizeof why), 2);
    printf("  %s\n", why);
    T_NEAR(cpu_w, 65.0 * (DOC_IDLE + (1 - DOC_IDLE) * u), 1e-9);
    fx_free(root);
}

TEST(stands_aside)
{
    char *root = fx_root();
    machine(root, "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", 2, 0, 1048576);
    struct pact_sensor_env env = env_for(root);
    struct pact_channel ch[4];
    char why[1024];
    void *st = NULL;
    cfg.no_estimate = 1;
    T_EQ(pact_sensor_cpu_estimate.probe(&env, why, sizeof why), 0);
    T_EQ(pact_sensor_cpu_estimate.open(&env, &st, ch, 4, why, sizeof why), 0);
    T_STREQ(why, "off (--no-estimate)");
    pact_sensor_cpu_estimate.close(st);
    /* A readable RAPL package: the estimate still offers its channels,
     * marked fallback_for the CPU role; the core (core/basis.c) leaves
     * them out while a live measured CPU channel exists. */
    cfg.no_estimate = 0;
    fx_write(root, "sys/class/powercap/intel-rapl:0/name", "package-0\n");
    fx_write(root, "sys/class/powercap/intel-rapl:0/energy_uj", "5\n");
    T_EQ(pact_sensor_cpu_estimate.open(&env, &st, ch, 4, why, sizeof why), 2);
    T_EQ(ch[0].fallback_for, PACT_ROLE_CPU_POWER);
    T_EQ(ch[1].fallback_for, PACT_ROLE_CPU_POWER);
    pact_sensor_cpu_estimate.close(st);
    /* RAPL there but unreadable (as uid 65534): the estimate steps in. */
    if (geteuid() == 0) {
        fx_chmod(root, "sys/class/powercap/intel-rapl:0/energy_uj", 0);
        int pfd[2];
        T_ASSERT(pipe(pfd) == 0);
        pid_t pid = fork();
        if (pid == 0) {
            char out[64] = "SKIP";
            if (setgid(65534) == 0 && setuid(65534) == 0)
                snprintf(out, sizeof out, "n=%d",
                         pact_sensor_cpu_estimate.open(&env, &st, ch, 4, why,
                                                       sizeof why));
            ssize_t w = write(pfd[1], out, strlen(out) + 1);
            (void)w;
            _exit(0);
        }
        close(pfd[1]);
        char rep[64] = "";
        ssize_t r = read(pfd[0], rep, sizeof rep - 1);
        (void)r;
        close(pfd[0]);
        waitpid(pid, NULL, 0);
        printf("  unprivileged with unreadable RAPL: %s\n", rep);
        T_STREQ(rep, "n=2");
    }
    fx_free(root);
}

TEST(stat_gone_then_back)
{
    char *root = fx_root();
    machine(root, "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz", 2, 0, 2097152);
    struct pact_sensor_env env = env_for(root);
    char dd[PATH_MAX];
    snprintf(dd, sizeof dd, "%s/data", root);
    cfg.data_dir = dd;
    struct pact_channel ch[4];
    struct pact_sample s[4];
    char why[1024];
    void *st = NULL;
    T_EQ(pact_sensor_cpu_estimate.open(&env, &st, ch, 4, why, sizeof why), 2);
    T_EQ(pact_sensor_cpu_estimate.read(st, 0, s, 2, why, sizeof why), 0);
    double e0 = s[0].value;
    fx_rm(root, "proc/stat");
    T_EQ(pact_sensor_cpu_estimate.read(st, 1000000000, s, 2, why, sizeof why),
         0);
    T_ASSERT(!s[0].ok && s[1].ok); /* memory goes on */
    T_NEAR(s[1].value, 2.0 * DOC_W_PER_GIB, 1e-9);
    write_stat(root, stat_a);
    T_EQ(pact_sensor_cpu_estimate.read(st, 2000000000, s, 2, why, sizeof why),
         0);
    T_ASSERT(s[0].ok);
    T_NEAR(s[0].value, e0, 1e-12); /* new baseline, nothing invented */
    write_stat(root, stat_b);
    T_EQ(pact_sensor_cpu_estimate.read(st, 3000000000LL, s, 2, why, sizeof why),
         0);
    T_NEAR(s[0].value - e0,
           65.0 * (DOC_IDLE + (1 - DOC_IDLE) * util(stat_a, stat_b)), 1e-9);
    pact_sensor_cpu_estimate.close(st);
    fx_free(root);
}

TEST(name_normalisation)
{
    char out[256];
    pact__cpu_name_normalise("Intel(R) Xeon(R) Gold 5220R CPU @ 2.20GHz", out,
                             sizeof out);
    T_STREQ(out, "intel xeon gold 5220r");
    pact__cpu_name_normalise("AMD Ryzen 7 PRO 4750U with Radeon Graphics", out,
                             sizeof out);
    T_STREQ(out, "amd ryzen 7 pro 4750u");
    pact__cpu_name_normalise("AMD EPYC 7763 64-Core Processor", out,
                             sizeof out);
    T_STREQ(out, "amd epyc 7763");
    pact__cpu_name_normalise("13th Gen Intel(R) Core(TM) i7-13700K", out,
                             sizeof out);
    T_STREQ(out, "intel core i7 13700k");
    pact__cpu_name_normalise("Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz", out,
                             sizeof out);
    T_STREQ(out, "intel xeon e5 2620 v3");
}

TEST(table_lookup_and_search_order)
{
    char *root = fx_root();
    fx_write(root, "a/cpu_tdp.csv",
             "Name,TDP\n\"Intel Xeon Test, 2 GHz\",77\n"
             "Intel Core i7-8700,65.0\nIntel Core i7-8700,99\n");
    fx_write(root, "b/cpu_tdp.csv", "Name,TDP\nIntel Core i7-8700,1\n");
    fx_write(root, "bad/cpu_tdp.csv", "model;watts\n");
    char a[PATH_MAX / 2], b[PATH_MAX / 2], path[PATH_MAX], m[64];
    snprintf(a, sizeof a, "%s/a", root);
    snprintf(b, sizeof b, "%s/b", root);
    struct pact_config c;
    memset(&c, 0, sizeof c);
    c.data_dir = a;
    setenv("PACT_DATA_DIR", b, 1);
    T_EQ(pact__data_path(&c, "cpu_tdp.csv", path, sizeof path), 0);
    T_ASSERT(strncmp(path, a, strlen(a)) == 0); /* config first */
    c.data_dir = NULL;
    T_EQ(pact__data_path(&c, "cpu_tdp.csv", path, sizeof path), 0);
    T_ASSERT(strncmp(path, b, strlen(b)) == 0); /* then the environment */
    unsetenv("PACT_DATA_DIR");
    T_EQ(pact__data_path(&c, "no-such-table.csv", path, sizeof path), -ENOENT);

    double tdp;
    snprintf(path, sizeof path, "%.*s/cpu_tdp.csv", PATH_MAX / 2, a);
    T_EQ(pact__cpu_tdp_lookup(path, "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz",
                              &tdp, m, sizeof m),
         0);
    T_NEAR(tdp, 65.0, 0); /* first row wins */
    T_STREQ(m, "Intel Core i7-8700");
    T_EQ(
        pact__cpu_tdp_lookup(path, "Intel Xeon Test, 2 GHz", &tdp, m, sizeof m),
        0);
    T_NEAR(tdp, 77.0, 0);
    T_EQ(pact__cpu_tdp_lookup(path, "AMD EPYC", &tdp, m, sizeof m), -ENOENT);
    snprintf(path, sizeof path, "%s/bad/cpu_tdp.csv", root);
    T_EQ(pact__cpu_tdp_lookup(path, "x", &tdp, m, sizeof m), PACT_EFORMAT);
    fx_free(root);
}

TEST(shipped_table)
{
    /* The table in the repository's data/ (tests run from its root). */
    struct pact_config c;
    memset(&c, 0, sizeof c);
    c.data_dir = "data";
    char path[PATH_MAX];
    if (pact__data_path(&c, "cpu_tdp.csv", path, sizeof path) < 0)
        T_FAIL_("data/cpu_tdp.csv not found: run from the repository root");
    double tdp;
    T_EQ(pact__cpu_tdp_lookup(path, "AMD EPYC 7763 64-Core Processor", &tdp,
                              NULL, 0),
         0);
    T_NEAR(tdp, 280.0, 0);
    T_EQ(pact__cpu_tdp_lookup(path,
                              "Intel(R) Xeon(R) Gold 5220R CPU @ "
                              "2.20GHz",
                              &tdp, NULL, 0),
         0);
    T_NEAR(tdp, 150.0, 0);
}

T_MAIN(T_RUN(known_model_documented_figure);
       T_RUN(unknown_model_per_cpu_default); T_RUN(guest_capped_known_model);
       T_RUN(stands_aside); T_RUN(stat_gone_then_back);
       T_RUN(name_normalisation); T_RUN(table_lookup_and_search_order);
       T_RUN(shipped_table))
