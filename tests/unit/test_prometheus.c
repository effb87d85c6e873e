/* SPDX-License-Identifier: MIT */
/*
 * test_prometheus.c - the exporter's pieces without a network: channel
 * names to source/component/device labels, --label syntax, the CSV's
 * fleet columns, the election, and the exposition of a hand-built
 * snapshot in both formats (escaping, _total families, # EOF).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/labels.h"
#include "core/snapshot.h"
#include "output/prometheus.h"
#include "t.h"

static int lab(const char *name, const char *src, const char *comp,
               const char *dev)
{
    char s[32], c[48], d[16];
    pact__channel_labels(name, s, sizeof s, c, sizeof c, d, sizeof d);
    return !strcmp(s, src) && !strcmp(c, comp) && !strcmp(d, dev);
}

TEST(channel_names_to_labels)
{
    T_ASSERT(lab("rapl_package0_w", "rapl", "package", "0"));
    T_ASSERT(lab("rapl_dram1_w", "rapl", "dram", "1"));
    T_ASSERT(lab("rapl_psys_w", "rapl", "psys", ""));
    T_ASSERT(lab("gpu0_power_w", "nvml", "gpu", "0"));
    T_ASSERT(lab("gpu3_power_sampled_w", "nvml", "gpu_sampled", "3"));
    T_ASSERT(lab("psu_output_w", "psu", "output", ""));
    T_ASSERT(lab("psu_3v3_power_w", "psu", "3v3_power", ""));
    T_ASSERT(lab("psu_input_estimated_w", "estimate", "psu_input", ""));
    T_ASSERT(lab("cpu_estimated_w", "estimate", "cpu", ""));
    T_ASSERT(lab("hwmon_amdgpu_power1_w", "hwmon", "amdgpu_power", "1"));
}

TEST(label_syntax)
{
    char k[48], v[128], why[256];
    T_EQ(pact__label_parse("node=n01", k, sizeof k, v, sizeof v, why,
                           sizeof why), 0);
    T_STREQ(k, "node");
    T_STREQ(v, "n01");
    T_EQ(pact__label_parse("a=b=c", k, sizeof k, v, sizeof v, why,
                           sizeof why), 0);
    T_STREQ(v, "b=c");
    const char *bad[] = {"node", "=x", "1a=b", "__a=b", "a-b=c", "a=",
                         "a=x,y", "a=x\"y"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        T_EQ(pact__label_parse(bad[i], k, sizeof k, v, sizeof v, why,
                               sizeof why), PACT_EBADCONFIG);
        T_ASSERT(strstr(why, "--label") != NULL);
    }
}

TEST(env_and_user_labels_and_csv_columns)
{
    setenv("SLURM_JOB_ID", "123", 1);
    setenv("SLURM_PROCID", "1", 1);
    setenv("RANK", "5", 1); /* torchrun's wins */
    setenv("SLURM_LOCALID", "2", 1);
    unsetenv("LOCAL_RANK");
    unsetenv("OMPI_COMM_WORLD_LOCAL_RANK");
    unsetenv("MPI_LOCALRANKID");
    unsetenv("SLURMD_NODENAME");
    struct pact__labels lb;
    char why[256];
    T_EQ(pact__labels_init(&lb, "node=n9\nteam=ml", why, sizeof why), 0);
    T_STREQ(pact__labels_get(&lb, "job_id"), "123");
    T_STREQ(pact__labels_get(&lb, "rank"), "5");
    T_STREQ(pact__labels_get(&lb, "node"), "n9");
    T_EQ(lb.local_rank, 2);
    T_EQ(pact__elected(&lb), 0);
    char head[256], cells[256];
    pact__labels_csv(&lb, head, sizeof head, cells, sizeof cells);
    T_STREQ(head, ",host,job_id,rank,team");
    T_STREQ(cells, ",n9,123,5,ml");
    /* --label local_rank=0 makes this process the node's tracker. */
    T_EQ(pact__labels_init(&lb, "local_rank=0", why, sizeof why), 0);
    T_EQ(pact__elected(&lb), 1);
    T_EQ(pact__labels_init(&lb, "bad", why, sizeof why), PACT_EBADCONFIG);
    unsetenv("SLURM_JOB_ID");
    unsetenv("SLURM_PROCID");
    unsetenv("RANK");
    unsetenv("SLURM_LOCALID");
    T_EQ(pact__labels_init(&lb, NULL, why, sizeof why), 0);
    T_EQ(pact__elected(&lb), 1);
    T_ASSERT(pact__labels_get(&lb, "job_id") == NULL);
}

static struct pact__snap *snap(void)
{
    struct pact__snap *s = calloc(1, sizeof *s);
    s->windows = 3;
    s->window_s = 1;
    s->unix_time = 1700000000.5;
    s->nch = 1;
    snprintf(s->ch[0].source, sizeof s->ch[0].source, "rapl");
    snprintf(s->ch[0].component, sizeof s->ch[0].component, "package");
    snprintf(s->ch[0].device, sizeof s->ch[0].device, "0");
    s->ch[0].seen = 1;
    s->ch[0].energy_j = 126;
    s->ch[0].power_w = 42;
    s->nsrc = 1;
    snprintf(s->src[0].name, sizeof s->src[0].name, "rapl");
    s->src[0].up = 1;
    s->total_energy_j = 126;
    s->total_power_w = 42;
    snprintf(s->basis, sizeof s->basis, "components");
    s->co2_g = 126 * 400 / 3.6e6;
    s->intensity = 400;
    s->labels.n = 1;
    snprintf(s->labels.l[0].key, sizeof s->labels.l[0].key, "team");
    snprintf(s->labels.l[0].value, sizeof s->labels.l[0].value,
             "a\"b\\c\nd");
    return s;
}

TEST(text_exposition)
{
    struct pact__snap *s = snap();
    size_t n = 0;
    char *t = pact__prom_format(s, 0, 0.001, &n);
    T_ASSERT(t != NULL && n == strlen(t));
    T_ASSERT(strstr(t, "# TYPE pact_energy_joules_total counter\n") != NULL);
    T_ASSERT(strstr(t, "pact_energy_joules_total{source=\"rapl\","
                       "component=\"package\",device=\"0\","
                       "estimated=\"0\",team=\"a\\\"b\\\\c\\nd\"} 126\n"));
    T_ASSERT(strstr(t, "pact_total_energy_joules_total{basis=\"components\""));
    T_ASSERT(strstr(t, "pact_power_watts{") != NULL);
    T_ASSERT(strstr(t, "pact_carbon_intensity_grams_per_kwh{team=") != NULL);
    T_ASSERT(strstr(t, "pact_scrape_duration_seconds{") != NULL);
    T_ASSERT(strstr(t, "# EOF") == NULL);
    free(t);
    /* Textfile mode (scrape_s < 0): no scrape duration. */
    t = pact__prom_format(s, 0, -1, &n);
    T_ASSERT(strstr(t, "pact_scrape_duration_seconds") == NULL);
    free(t);
    free(s);
}

TEST(openmetrics_exposition)
{
    struct pact__snap *s = snap();
    size_t n = 0;
    char *t = pact__prom_format(s, 1, 0.001, &n);
    T_ASSERT(strstr(t, "# TYPE pact_energy_joules counter\n") != NULL);
    T_ASSERT(strstr(t, "# TYPE pact_total_energy_joules counter\n"));
    T_ASSERT(strstr(t, "\npact_total_energy_joules_total{") != NULL);
    T_ASSERT(n > 6 && !strcmp(t + n - 6, "# EOF\n"));
    free(t);
    T_ASSERT(pact__prom_wants_openmetrics(
        "application/openmetrics-text;version=1.0.0,text/plain;q=0.5"));
    T_ASSERT(!pact__prom_wants_openmetrics("text/plain"));
    T_ASSERT(!pact__prom_wants_openmetrics(NULL));
    free(s);
}

TEST(no_window_yet_no_counters)
{
    struct pact__snap *s = calloc(1, sizeof *s);
    s->total_energy_j = s->co2_g = s->intensity = s->total_power_w = NAN;
    size_t n = 0;
    char *t = pact__prom_format(s, 0, 0, &n);
    T_ASSERT(strstr(t, "pact_total_energy_joules_total") == NULL);
    T_ASSERT(strstr(t, "pact_windows_total{} 0\n") != NULL);
    free(t);
    free(s);
}

T_MAIN(T_RUN(channel_names_to_labels); T_RUN(label_syntax);
       T_RUN(env_and_user_labels_and_csv_columns); T_RUN(text_exposition);
       T_RUN(openmetrics_exposition); T_RUN(no_window_yet_no_counters))
