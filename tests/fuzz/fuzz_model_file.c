/* SPDX-License-Identifier: MIT */
/*
 * fuzz_model_file.c - the model file reader (pact__model_load): any
 * bytes give a model or a one-line error, never a crash or a leak.
 */
#include "fuzz_input.h"
#include "model/model_file.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], why[512];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct pact__model *m = NULL;
    if (pact__model_load(path, &m, why, sizeof why) == 0)
        pact__model_free(m);
    close(fd);
    return 0;
}
