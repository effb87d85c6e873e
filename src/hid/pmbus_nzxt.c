/* SPDX-License-Identifier: MIT */
/*
 * pmbus_nzxt.c - VOUT_MODE, ULINEAR16 and firmware-word codecs for the
 * NZXT E-series (see pmbus_nzxt.h).  Every observed VOUT_MODE is 0x19,
 * exponent -7 (1/128 V steps); the decoder does not assume it.
 */
#include "hid/pmbus_nzxt.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "pact/pact.h"

int pact__vout_mode_exponent(uint8_t mode, int *exp)
{
    if (mode & 0xE0)
        return PACT_EPROTO;
    int n = mode & 0x1F;
    *exp = n > 15 ? n - 32 : n;
    return 0;
}

uint8_t pact__vout_mode_make(int exp)
{
    return (uint8_t)(exp & 0x1F);
}

double pact__ulinear16_decode(uint8_t lo, uint8_t hi, int exp)
{
    unsigned v = (unsigned)lo | ((unsigned)hi << 8);
    return ldexp((double)v, exp);
}

int pact__ulinear16_encode(double v, int exp, uint8_t out[2])
{
    if (!isfinite(v) || v < 0)
        return -ERANGE;
    double m = round(ldexp(v, -exp));
    if (m > 65535.0)
        return -ERANGE;
    unsigned u = (unsigned)m;
    out[0] = (uint8_t)(u & 0xFF);
    out[1] = (uint8_t)(u >> 8);
    return 0;
}

int pact__nzxt_fw_decode(uint8_t minor, uint8_t major, char *buf, size_t len,
                         unsigned *cam)
{
    if (!isalpha(major))
        return PACT_EPROTO;
    char s[8];
    snprintf(s, sizeof s, "%c%03u", major, (unsigned)minor);
    char *end;
    unsigned long v = strtoul(s, &end, 16);
    if (*end != '\0')
        return PACT_EPROTO;
    if (buf && len)
        snprintf(buf, len, "%s", s);
    if (cam)
        *cam = (unsigned)v;
    return 0;
}
