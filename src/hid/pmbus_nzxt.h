/* SPDX-License-Identifier: MIT */
/*
 * pmbus_nzxt.h - the encodings NZXT E-series PSUs use besides LINEAR11:
 * VOUT_MODE (linear mode + signed 5-bit exponent), ULINEAR16 voltages
 * scaled by that exponent, and the Seasonic firmware version word (0xFC).
 */
#ifndef PACT_HID_PMBUS_NZXT_H
#define PACT_HID_PMBUS_NZXT_H

#include <stddef.h>
#include <stdint.h>

/* Exponent of a VOUT_MODE byte (bits 4..0, signed), or PACT_EPROTO when
 * bits 7..5 are not 000 (only linear mode is defined). */
int pact__vout_mode_exponent(uint8_t mode, int *exp);

/* VOUT_MODE byte for linear mode with exponent exp (-16..15). */
uint8_t pact__vout_mode_make(int exp);

/* ULINEAR16: unsigned 16-bit mantissa (lo, hi) times 2^exp. */
double pact__ulinear16_decode(uint8_t lo, uint8_t hi, int exp);

/* Encode v >= 0 as ULINEAR16 with exponent exp (rounded, clamped to
 * 0..65535).  Returns 0, or -ERANGE if v is negative, not finite or
 * above 65535 * 2^exp. */
int pact__ulinear16_encode(double v, int exp, uint8_t out[2]);

/*
 * Firmware version from the 0xFC data bytes (minor, major): human form
 * "A017" (major as an ASCII letter, minor as three decimal digits) into
 * buf, and CAM's form (that string read as hexadecimal, 40983) in *cam.
 * Returns 0, or PACT_EPROTO when major is not a printable letter or
 * the string is not valid hexadecimal.
 */
int pact__nzxt_fw_decode(uint8_t minor, uint8_t major, char *buf, size_t len,
                         unsigned *cam);

#endif
