/* SPDX-License-Identifier: MIT */
/*
 * linear11.h - the PMBus LINEAR11 number format used by Corsair HXi/RMi
 * and NZXT E-series PSUs: two little-endian bytes, a 5-bit signed
 * exponent N (bits 15..11) and an 11-bit signed mantissa Y (bits 10..0),
 * value = Y * 2^N.  Decoding is exact in a double.
 */
#ifndef PACT_HID_LINEAR11_H
#define PACT_HID_LINEAR11_H

#include <stdint.h>

#define PACT_L11_EXP_MIN (-16)
#define PACT_L11_EXP_MAX 15

/* Value of the two data bytes lo, hi (lo first on the wire). */
double pact__linear11_decode(uint8_t lo, uint8_t hi);

/* Exponent field of an encoded value (-16..15). */
int pact__linear11_exponent(uint8_t lo, uint8_t hi);

/*
 * Encode v with the smallest exponent >= min_exp whose rounded mantissa
 * fits in |Y| <= 1023 (liquidctl's float_to_linear11 uses min_exp = -16;
 * a device uses a coarser fixed exponent per reading, which the
 * emulator passes here).  Writes out[0] = lo, out[1] = hi.  Returns 0,
 * or -ERANGE when |v| is too large for any exponent (or not finite).
 */
int pact__linear11_encode(double v, int min_exp, uint8_t out[2]);

#endif
