/* SPDX-License-Identifier: MIT */
/*
 * fuzz_psu_nzxt.c - the NZXT E-series reply decoders: firmware, paged
 * LINEAR11 and VOUT_MODE/ULINEAR16 reads, all on replies taken from the
 * fuzz input.
 */
#include <limits.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "fuzz_psu.h"
#include "hid/nzxt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int peer;
    struct pact__hid *h = fuzz_psu_open(data, size, &peer);
    if (!h)
        return 0;
    struct pact__nzxt c = {.hid = h, .timeout_ms = 0, .pause_us = 0};
    char fw[16];
    double v;
    int exp = INT_MIN;
    pact__nzxt_read_fw(&c, fw, sizeof fw);
    pact__nzxt_read_linear(&c, 0, PACT_NZ_POUT, &v);
    pact__nzxt_read_vout(&c, 1, &exp, &v);
    pact__nzxt_read_vout(&c, 1, &exp, &v);
    pact__hid_close(h);
    close(peer);
    return 0;
}
