/* SPDX-License-Identifier: MIT */
/*
 * fuzz_plan.c - the `pact stress` plan reader (plan_load); its error
 * lines go to /dev/null.
 */
#include "cli/plan.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        struct plan p;
        plan_load(path, &p, null);
        plan_release(&p);
        fclose(null);
    }
    close(fd);
    return 0;
}
