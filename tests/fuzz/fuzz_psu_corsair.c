/* SPDX-License-Identifier: MIT */
/*
 * fuzz_psu_corsair.c - the Corsair HXi/RMi reply decoders: initialise,
 * then linear, u32 and string reads and a rail select, all on replies
 * taken from the fuzz input.
 */
#include <unistd.h>

#include "fuzz_input.h"
#include "fuzz_psu.h"
#include "hid/corsair.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int peer;
    struct pact__hid *h = fuzz_psu_open(data, size, &peer);
    if (!h)
        return 0;
    struct pact__corsair c = {.hid = h, .timeout_ms = 0};
    char buf[80];
    double v;
    uint32_t u;
    pact__corsair_init(&c, buf, sizeof buf);
    pact__corsair_read_linear(&c, PACT_CS_TOTAL_OUT, &v);
    pact__corsair_read_u32(&c, PACT_CS_UPTIME, &u);
    pact__corsair_read_string(&c, PACT_CS_MFR_MODEL, buf, sizeof buf);
    pact__corsair_select_rail(&c, PACT_CS_RAIL_5V);
    pact__corsair_read_linear(&c, PACT_CS_POUT, &v);
    pact__hid_close(h);
    close(peer);
    return 0;
}
