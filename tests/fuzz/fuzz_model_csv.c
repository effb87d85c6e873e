/* SPDX-License-Identifier: MIT */
/*
 * fuzz_model_csv.c - the model's CSV table reader (pact__table_read):
 * quotes, line breaks in quoted fields, BOM, CRLF, ragged rows.
 */
#include "fuzz_input.h"
#include "model/csv_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], why[512];
    int fd = fuzz_file(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    struct pact__table *t = NULL;
    if (pact__table_read(path, &t, why, sizeof why) >= 0) {
        for (size_t c = 0; c < t->ncols; c++)
            (void)pact__table_get(t, 0, (int)c);
        pact__table_free(t);
    }
    close(fd);
    return 0;
}
