/* SPDX-License-Identifier: MIT */
/*
 * psu_emu_state.c - the emulator's state keys, their defaults and the
 * key=value parser.  Corsair defaults are the liquidctl RM1000i fixture
 * (140 W out at 230 V); NZXT defaults are near the E850/E500 logs.
 */
#include "psu_emu/psu_emu_state.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/numfmt.h"

#define C PACT_EMU_CORSAIR
#define N PACT_EMU_NZXT

const struct pact__emu_key_info pact__emu_keys[EK_COUNT] = {
    {"output_power_w", C, 140, 0, "total DC output power, W (0xEE)"},
    {"input_voltage_v", C, 230, 0, "AC input voltage, V (0x88)"},
    {"rail12v_voltage_v", C, 11.984375, 0, "+12V rail voltage, V"},
    {"rail12v_current_a", C, 10.75, 0, "+12V rail current, A"},
    {"rail12v_power_w", C, 124, 0, "+12V rail power, W"},
    {"rail5v_voltage_v", C | N, 5.015625, 5.0, "+5V rail voltage, V"},
    {"rail5v_current_a", C | N, 1.6875, 2.0, "+5V rail current, A"},
    {"rail5v_power_w", C | N, 8, 10, "+5V rail power, W (NZXT page 3)"},
    {"rail3v3_voltage_v", C | N, 3.296875, 3.3, "+3.3V rail voltage, V"},
    {"rail3v3_current_a", C | N, 0.5625, 1.5, "+3.3V rail current, A"},
    {"rail3v3_power_w", C | N, 1.5, 5, "+3.3V rail power, W (NZXT page 4)"},
    {"rail12v_peripheral_voltage_v", N, 0, 11.9140625,
     "+12V peripherals voltage, V (page 0)"},
    {"rail12v_peripheral_current_a", N, 0, 3.5,
     "+12V peripherals current, A"},
    {"rail12v_peripheral_power_w", N, 0, 42, "+12V peripherals power, W"},
    {"rail12v_eps_voltage_v", N, 0, 12.0390625,
     "+12V EPS/ATX12V voltage, V (page 1)"},
    {"rail12v_eps_current_a", N, 0, 5, "+12V EPS/ATX12V current, A"},
    {"rail12v_eps_power_w", N, 0, 60, "+12V EPS/ATX12V power, W"},
    {"rail12v_pcie_voltage_v", N, 0, 12.0546875,
     "+12V motherboard/PCI-e voltage, V (page 2)"},
    {"rail12v_pcie_current_a", N, 0, 0.921875,
     "+12V motherboard/PCI-e current, A"},
    {"rail12v_pcie_power_w", N, 0, 11.1875,
     "+12V motherboard/PCI-e power, W"},
    {"temp1_c", C, 33.5, 0, "VRM temperature, degC (Corsair 0x8D)"},
    {"temp2_c", C | N, 26.5, 44,
     "case temperature, degC (0x8E; NZXT's only one)"},
    {"fan_rpm", C | N, 968, 0, "fan speed, rpm (0x90)"},
    {"fan_duty_pct", C, 27, 0, "fan duty, % (0x3B)"},
    {"uptime_s", C, 50707, 0, "seconds since power-on (0xD2)"},
    {"total_uptime_s", C, 1132322, 0, "lifetime powered seconds (0xD1)"},
    {"busy_replies", N, 0, 0,
     "answer each request with K busy replies before the real one"},
    {"stray_replies", C | N, 0, 0,
     "before each reply, K replies to another command (another program "
     "polling the PSU too)"},
    {"power_cycle", C, 0, 0,
     "change the value to power-cycle the PSU: it forgets its init"},
    {"delay_ms", C | N, 0, 0, "reply latency, ms"},
    {"page_race", C, 0, 0,
     "another program selects a different rail between every K-th rail "
     "select of ours and our next read (corsair-hid-psu.md sec. 6); 0: never"},
    {"min_gap_ms", N, 0, 2.5,
     "a request sooner than this after the previous one gets the "
     "bridge's error reply 'AA R FF FF ..' (nzxt-e-psu.md sec. 2)"},
};

#undef C
#undef N

static const char *const fault_names[] = {
    "none", "no_reply", "wrong_echo", "busy", "garbage", "disconnect",
};

int pact__emu_fault_parse(const char *s)
{
    for (size_t i = 0; i < sizeof fault_names / sizeof fault_names[0]; i++)
        if (strcasecmp(s, fault_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *pact__emu_fault_name(int fault)
{
    if (fault < 0 || fault >= (int)(sizeof fault_names / sizeof *fault_names))
        return "?";
    return fault_names[fault];
}

void pact__emu_state_defaults(struct pact__emu_state *st, int family)
{
    memset(st, 0, sizeof *st);
    for (int i = 0; i < EK_COUNT; i++)
        st->v[i] = family == PACT_EMU_NZXT ? pact__emu_keys[i].nzxt_def
                                           : pact__emu_keys[i].corsair_def;
    st->fault = PACT_FAULT_NONE;
    st->fault_cmd = -1;
    snprintf(st->firmware, sizeof st->firmware, "A017");
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static void bad(struct pact__emu_state *st, const char *line)
{
    if (st->bad_lines++ == 0)
        snprintf(st->first_bad, sizeof st->first_bad, "%.63s", line);
}

static void set(struct pact__emu_state *st, const char *key, const char *val,
                const char *line)
{
    if (strcmp(key, "fault") == 0) {
        int f = pact__emu_fault_parse(val);
        if (f < 0)
            bad(st, line);
        else
            st->fault = f;
        return;
    }
    if (strcmp(key, "fault_cmd") == 0) {
        char *end;
        long c = strtol(val, &end, 16);
        if (strcasecmp(val, "any") == 0 || strcasecmp(val, "all") == 0)
            st->fault_cmd = -1;
        else if (*val && *end == '\0' && c >= 0 && c <= 0xFF)
            st->fault_cmd = (int)c;
        else
            bad(st, line);
        return;
    }
    if (strcmp(key, "firmware") == 0) {
        if (strlen(val) != 4 || !isalpha((unsigned char)val[0]))
            bad(st, line);
        else
            snprintf(st->firmware, sizeof st->firmware, "%.4s", val);
        return;
    }
    for (int i = 0; i < EK_COUNT; i++) {
        if (strcmp(key, pact__emu_keys[i].name) != 0)
            continue;
        char *end;
        errno = 0;
        double d = pact__strtod(val, &end);
        if (errno || end == val || *end != '\0')
            bad(st, line);
        else
            st->v[i] = d;
        return;
    }
    bad(st, line);
}

int pact__emu_state_load(struct pact__emu_state *st, int family,
                         const char *path)
{
    pact__emu_state_defaults(st, family);
    if (!path || !*path)
        return 0;
    FILE *f = fopen(path, "re");
    if (!f)
        return errno == ENOENT ? 0 : -errno;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        char orig[sizeof line];
        snprintf(orig, sizeof orig, "%s", s);
        char *eq = strchr(s, '=');
        if (!eq) {
            bad(st, orig);
            continue;
        }
        *eq = '\0';
        set(st, trim(s), trim(eq + 1), orig);
    }
    fclose(f);
    return 0;
}
