/* SPDX-License-Identifier: MIT */
/*
 * fuzz_intensity.c - the carbon-intensity time series reader
 * (pact__series_load), then a lookup and an integral over the series.
 */
#include "carbon/series.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], why[512];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct pact__series s;
    if (pact__series_load(path, &s, why, sizeof why) == 0) {
        (void)pact__series_at(&s, s.t_s[0] + 1);
        (void)pact__series_integral(&s, s.t_s[0] - 10, 3600);
        pact__series_release(&s);
    }
    close(fd);
    return 0;
}
