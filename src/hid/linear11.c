/* SPDX-License-Identifier: MIT */
/*
 * linear11.c - PMBus LINEAR11 decode and encode (see linear11.h).
 * The decoder sign-extends both fields; the kernel's corsair-psu helper
 * does not sign-extend the mantissa, a quirk deliberately not copied.
 */
#include "hid/linear11.h"

#include <errno.h>
#include <math.h>

double pact__linear11_decode(uint8_t lo, uint8_t hi)
{
    unsigned raw = (unsigned)lo | ((unsigned)hi << 8);
    int y = (int)(raw & 0x7FF);
    if (y > 1023)
        y -= 2048;
    return ldexp((double)y, pact__linear11_exponent(lo, hi));
}

int pact__linear11_exponent(uint8_t lo, uint8_t hi)
{
    (void)lo;
    int n = hi >> 3;
    return n > 15 ? n - 32 : n;
}

int pact__linear11_encode(double v, int min_exp, uint8_t out[2])
{
    if (!isfinite(v))
        return -ERANGE;
    if (min_exp < PACT_L11_EXP_MIN)
        min_exp = PACT_L11_EXP_MIN;
    for (int n = min_exp; n <= PACT_L11_EXP_MAX; n++) {
        double y = round(ldexp(v, -n));
        if (y > 1023.0 || y < -1023.0)
            continue;
        unsigned raw = ((unsigned)(n & 0x1F) << 11) | ((unsigned)(long)y & 0x7FF);
        out[0] = (uint8_t)(raw & 0xFF);
        out[1] = (uint8_t)(raw >> 8);
        return 0;
    }
    return -ERANGE;
}
