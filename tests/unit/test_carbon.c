/* SPDX-License-Identifier: MIT */
/*
 * test_carbon.c - carbon intensity: the country table (alpha-2, alpha-3,
 * unknown codes, the 0 hole), the time-zone default on fixture sysroots,
 * and intensity time series (parsing, malformed lines, a step inside a
 * window integrated piecewise through the accounting).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "carbon/country.h"
#include "carbon/intensity.h"
#include "carbon/series.h"
#include "core/accounting.h"
#include "t.h"

#define TABLE "data/carbon_intensity_by_country.csv"

static char tmpdir[64];

static void cfg_default(struct pact_config *c)
{
    memset(c, 0, sizeof *c);
    c->size = sizeof *c;
    c->carbon_intensity = -1;
    c->pue = 1.0;
    c->data_dir = "data";
    c->sysroot = tmpdir; /* empty fixture unless a test fills it */
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void path_of(char *buf, size_t len, const char *rel)
{
    snprintf(buf, len, "%s/%s", tmpdir, rel);
}

TEST(country_codes)
{
    struct pact__country c, d;
    char why[512];
    T_EQ(pact__country_lookup(TABLE, "fr", &c, why, sizeof why), 0);
    T_STREQ(c.iso2, "FR");
    T_STREQ(c.iso3, "FRA");
    T_ASSERT(c.g_per_kwh > 0 && c.year >= 2000);
    T_EQ(pact__country_lookup(TABLE, "FRA", &d, why, sizeof why), 0);
    T_NEAR(d.g_per_kwh, c.g_per_kwh, 0);
    T_EQ(pact__country_lookup(TABLE, "uk", &d, why, sizeof why), 0);
    T_STREQ(d.iso2, "GB");
    /* The source's hole reads as no figure, not 0 g. */
    T_EQ(pact__country_lookup(TABLE, "CF", &d, why, sizeof why), 0);
    T_ASSERT(isnan(d.g_per_kwh));
}

TEST(unknown_country)
{
    struct pact__country c;
    char why[512] = "";
    T_EQ(pact__country_lookup(TABLE, "XY", &c, why, sizeof why), -ENOENT);
    T_ASSERT(strstr(why, "unknown country 'XY'") != NULL);
    T_ASSERT(strstr(why, "ISO 3166 alpha-2") != NULL);
    T_ASSERT(strstr(why, "carbon_intensity_by_country.csv") != NULL);
    T_ASSERT(strchr(why, '\n') == NULL);
    T_EQ(pact__country_lookup(TABLE, "german", &c, why, sizeof why),
         -ENOENT);
    T_ASSERT(strstr(why, "DE (Germany)") != NULL);

    /* Through the accounting, as --country XY. */
    struct pact_config cfg;
    struct pact__accounting *a = NULL;
    cfg_default(&cfg);
    cfg.country = "XY";
    T_ASSERT(pact__accounting_new(&cfg, NULL, 0, &a, why, sizeof why) < 0);
    T_ASSERT(a == NULL);
    T_ASSERT(strstr(why, "unknown country 'XY'") != NULL);
}

TEST(country_hole_falls_back)
{
    struct pact_config cfg;
    struct pact__intensity in;
    char why[256];
    cfg_default(&cfg);
    cfg.country = "CF";
    T_EQ(pact__intensity_open(&cfg, &in, why, sizeof why), 0);
    T_NEAR(in.g_per_kwh, PACT__WORLD_G_PER_KWH, 0);
    T_ASSERT(strstr(in.source, "world average") != NULL);
    T_ASSERT(strstr(in.source, "no figure for CF") != NULL);
    pact__intensity_release(&in);
}

/* Fixture tree: etc/localtime -> zone, tzdb tables. */
static void make_zoneinfo(void)
{
    char p[256];
    path_of(p, sizeof p, "etc");
    mkdir(p, 0755);
    path_of(p, sizeof p, "usr");
    mkdir(p, 0755);
    path_of(p, sizeof p, "usr/share");
    mkdir(p, 0755);
    path_of(p, sizeof p, "usr/share/zoneinfo");
    mkdir(p, 0755);
    path_of(p, sizeof p, "usr/share/zoneinfo/zone1970.tab");
    write_file(p, "# tzdb timezone descriptions\n"
                  "DE,DK,NO,SE,SJ\t+5230+01322\tEurope/Berlin\tmost of DE\n"
                  "FR,MC\t+4852+00220\tEurope/Paris\n"
                  "US\t+404251-0740023\tAmerica/New_York\tEastern\n");
    path_of(p, sizeof p, "usr/share/zoneinfo/zone.tab");
    write_file(p, "# zone.tab\n"
                  "SE\t+5920+01803\tEurope/Stockholm\n"
                  "FR\t+4852+00220\tEurope/Paris\n");
}

static void set_localtime(const char *target)
{
    char p[256];
    path_of(p, sizeof p, "etc/localtime");
    unlink(p);
    if (target && symlink(target, p) != 0)
        perror("symlink");
}

static void cleanup_zoneinfo(void)
{
    static const char *const files[] = {
        "etc/localtime", "etc/timezone", "usr/share/zoneinfo/zone1970.tab",
        "usr/share/zoneinfo/zone.tab", "series.csv",
    };
    static const char *const dirs[] = {
        "usr/share/zoneinfo", "usr/share", "usr", "etc",
    };
    char p[256];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        path_of(p, sizeof p, files[i]);
        unlink(p);
    }
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        path_of(p, sizeof p, dirs[i]);
        rmdir(p);
    }
}

TEST(timezone_default)
{
    char zone[128], cc[3], why[256], p[256];
    struct pact__country fr, de;
    unsetenv("TZ");
    make_zoneinfo();

    set_localtime("/usr/share/zoneinfo/Europe/Paris");
    T_EQ(pact__tz_country(tmpdir, zone, sizeof zone, cc), 0);
    T_STREQ(zone, "Europe/Paris");
    T_STREQ(cc, "FR");

    /* Several codes on the line: the first (tzdb's most populous). */
    set_localtime("../usr/share/zoneinfo/Europe/Berlin");
    T_EQ(pact__tz_country(tmpdir, zone, sizeof zone, cc), 0);
    T_STREQ(cc, "DE");

    /* Not in zone1970.tab (a link there): zone.tab knows it. */
    set_localtime("/usr/share/zoneinfo/posix/Europe/Stockholm");
    T_EQ(pact__tz_country(tmpdir, zone, sizeof zone, cc), 0);
    T_STREQ(zone, "Europe/Stockholm");
    T_STREQ(cc, "SE");

    /* No symlink: /etc/timezone. */
    set_localtime(NULL);
    path_of(p, sizeof p, "etc/timezone");
    write_file(p, "America/New_York\n");
    T_EQ(pact__tz_country(tmpdir, zone, sizeof zone, cc), 0);
    T_STREQ(cc, "US");

    /* $TZ wins over the files. */
    setenv("TZ", ":Europe/Paris", 1);
    T_EQ(pact__tz_country(tmpdir, zone, sizeof zone, cc), 0);
    T_STREQ(cc, "FR");
    setenv("TZ", "CET-1CEST", 1);
    T_EQ(pact__tz_country(tmpdir, zone, sizeof zone, cc), -ENOENT);
    unsetenv("TZ");

    /* The accounting uses it and says so. */
    struct pact_config cfg;
    struct pact__intensity in;
    cfg_default(&cfg);
    set_localtime("/usr/share/zoneinfo/Europe/Berlin");
    T_EQ(pact__intensity_open(&cfg, &in, why, sizeof why), 0);
    T_EQ(pact__country_lookup(TABLE, "DE", &de, why, sizeof why), 0);
    T_NEAR(in.g_per_kwh, de.g_per_kwh, 0);
    T_ASSERT(strstr(in.source, "DE") != NULL);
    T_ASSERT(strstr(in.source, "assumed from time zone Europe/Berlin"));
    pact__intensity_release(&in);

    /* --country wins over the time zone. */
    cfg.country = "fra";
    T_EQ(pact__intensity_open(&cfg, &in, why, sizeof why), 0);
    T_EQ(pact__country_lookup(TABLE, "FR", &fr, why, sizeof why), 0);
    T_NEAR(in.g_per_kwh, fr.g_per_kwh, 0);
    T_ASSERT(strstr(in.source, "from --country") != NULL);
    pact__intensity_release(&in);

    /* A zone that names no country: world average, said so. */
    cfg.country = NULL;
    set_localtime("/usr/share/zoneinfo/Etc/UTC");
    path_of(p, sizeof p, "etc/timezone");
    unlink(p);
    T_EQ(pact__intensity_open(&cfg, &in, why, sizeof why), 0);
    T_NEAR(in.g_per_kwh, 475.0, 0);
    T_ASSERT(strstr(in.source, "Etc/UTC names no country") != NULL);
    pact__intensity_release(&in);

    /* Nothing at all. */
    cleanup_zoneinfo();
    T_EQ(pact__intensity_open(&cfg, &in, why, sizeof why), 0);
    T_NEAR(in.g_per_kwh, 475.0, 0);
    T_ASSERT(strstr(in.source, "no time zone found") != NULL);
    pact__intensity_release(&in);
}

TEST(parse_times)
{
    double t;
    struct tm tm = { .tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 24,
                     .tm_hour = 13 };
    double want = (double)timegm(&tm);
    T_EQ(pact__parse_time("2026-11-24T13:00:00Z", &t), 0);
    T_NEAR(t, want, 0);
    T_EQ(pact__parse_time("2026-11-24T14:00:00+01:00", &t), 0);
    T_NEAR(t, want, 0);
    T_EQ(pact__parse_time("2026-11-24 08:30-0430", &t), 0);
    T_NEAR(t, want, 0);
    T_EQ(pact__parse_time("2026-11-24T13:00:00.25Z", &t), 0);
    T_NEAR(t, want + 0.25, 1e-6);
    T_EQ(pact__parse_time(" 1795957200 ", &t), 0);
    T_NEAR(t, 1795957200.0, 0);
    T_EQ(pact__parse_time("2026-02-30T00:00:00Z", &t), -EINVAL);
    T_EQ(pact__parse_time("2026-11-24T13:00:00Q", &t), -EINVAL);
    T_EQ(pact__parse_time("yesterday", &t), -EINVAL);
}

TEST(malformed_series)
{
    char p[256], why[512] = "";
    struct pact__series s;
    path_of(p, sizeof p, "series.csv");
    write_file(p, "timestamp,gco2_per_kwh\n"
                  "2026-11-24T13:00:00Z,300\n"
                  "2026-11-24T14:00:00Z,abc\n");
    T_EQ(pact__series_load(p, &s, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "series.csv:3:") != NULL);
    T_ASSERT(strstr(why, "intensity") != NULL);

    write_file(p, "1000,5\n\n# comment\n999,4\n");
    T_EQ(pact__series_load(p, &s, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "series.csv:4:") != NULL);

    write_file(p, "1000,5\nnot a time,4\n");
    T_EQ(pact__series_load(p, &s, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "series.csv:2: bad timestamp") != NULL);

    write_file(p, "timestamp,gco2_per_kwh\n");
    T_EQ(pact__series_load(p, &s, why, sizeof why), PACT_EFORMAT);
    T_ASSERT(strstr(why, "no data") != NULL);

    /* Through the accounting, as --intensity-file. */
    write_file(p, "1000,5\n1001,5,6\n");
    struct pact_config cfg;
    struct pact__accounting *a = NULL;
    cfg_default(&cfg);
    cfg.intensity_file = p;
    T_EQ(pact__accounting_new(&cfg, NULL, 0, &a, why, sizeof why),
         PACT_EFORMAT);
    T_ASSERT(strstr(why, "series.csv:2:") != NULL);
    unlink(p);
}

/* 360 W for ten 1 s windows from t = 1000; intensity 100 g/kWh from the
 * series start, 300 from t = 1005.5 (inside window 5). */
TEST(series_steps_mid_window)
{
    char p[256], why[256];
    struct pact_channel ch;
    memset(&ch, 0, sizeof ch);
    snprintf(ch.name, sizeof ch.name, "cpu_w");
    ch.quantity = PACT_Q_POWER_W;
    ch.role = PACT_ROLE_CPU_POWER;
    path_of(p, sizeof p, "series.csv");
    write_file(p, "timestamp,gco2_per_kwh\r\n"
                  "1970-01-01T00:16:40Z,100\r\n" /* t = 1000 */
                  "1005.5,300\r\n");
    struct pact_config cfg;
    struct pact__accounting *a;
    cfg_default(&cfg);
    cfg.intensity_file = p;
    T_EQ(pact__accounting_new(&cfg, &ch, 1, &a, why, sizeof why), 0);
    double want = 0;
    for (int i = 0; i < 10; i++) {
        double v = 360.0;
        struct pact__row r;
        memset(&r, 0, sizeof r);
        r.index = (uint64_t)i;
        r.unix_start = 1000.0 + i;
        r.duration_s = 1.0;
        r.psu_total_w = r.gpu_power_w = r.wall_power_w = NAN;
        r.other_power_w = NAN;
        r.cpu_power_w = v;
        r.nch = 1;
        r.ch = &ch;
        r.ch_value = &v;
        r.region = "";
        pact__accounting_add(a, &r);
        /* 360 J = 1e-4 kWh per window. */
        double g = i < 5 ? 100.0 : i == 5 ? 200.0 : 300.0;
        want += 1e-4 * g;
        T_NEAR(r.co2_cum_g, want, 1e-12);
    }
    struct pact_summary s;
    pact__accounting_summary(a, &s);
    T_NEAR(s.co2_g, 1e-4 * (5 * 100.0 + 200.0 + 4 * 300.0), 1e-12);
    T_NEAR(s.carbon_intensity_g_per_kwh, 190.0, 1e-9);
    T_ASSERT(strstr(s.carbon_intensity_source, "series.csv (2 points)"));
    pact__accounting_free(a);
    unlink(p);
}

TEST(series_hold_outside)
{
    struct pact__series s;
    double t[3] = { 10, 20, 30 }, g[3] = { 1, 2, 4 };
    s.n = 3;
    s.t_s = t;
    s.g = g;
    /* Before the start the first value holds, after the end the last. */
    T_NEAR(pact__series_integral(&s, 0, 40), 10 * 1 + 10 * 1 + 10 * 2 +
                                                10 * 4, 1e-12);
    T_NEAR(pact__series_integral(&s, 15, 10), 5 * 1 + 5 * 2, 1e-12);
    T_NEAR(pact__series_integral(&s, 22, 0), 0, 0);
    /* A 1 ms window at today's unix times stays exact. */
    double tt[2] = {1.8e9, 1.8e9 + 3600}, gg[2] = {123, 200};
    struct pact__series big = {.n = 2, .t_s = tt, .g = gg};
    T_NEAR(pact__series_integral(&big, 1.8e9 + 10.123, 0.001) / 0.001, 123,
           1e-9);
    T_NEAR(pact__series_at(&s, 29.9), 2, 0);
    T_NEAR(pact__series_at(&s, 5), 1, 0);
}

T_MAIN(snprintf(tmpdir, sizeof tmpdir, "/tmp/pact-carbon-XXXXXX");
       if (!mkdtemp(tmpdir)) return 1;
       T_RUN(country_codes); T_RUN(unknown_country);
       T_RUN(country_hole_falls_back); T_RUN(timezone_default);
       T_RUN(parse_times); T_RUN(malformed_series);
       T_RUN(series_steps_mid_window); T_RUN(series_hold_outside);
       cleanup_zoneinfo(); rmdir(tmpdir))
