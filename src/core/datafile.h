/* SPDX-License-Identifier: MIT */
/*
 * datafile.h - where pact finds its data tables (data/cpu_tdp.csv, the
 * carbon-intensity table ...): the config's data_dir, $PACT_DATA_DIR, the
 * running binary's or library's directory + "/../data", then the install
 * directory PACT_DATADIR ($(PREFIX)/share/pact).
 */
#ifndef PACT_CORE_DATAFILE_H
#define PACT_CORE_DATAFILE_H

#include <stddef.h>

#include "pact/pact.h"

/* Write the path of the first readable data file called name into buf.
 * cfg may be NULL.  Returns 0 if found, -ENOENT if not (buf then holds
 * the last place tried), -ENAMETOOLONG if a path did not fit. */
int pact__data_path(const struct pact_config *cfg, const char *name, char *buf,
                    size_t len);

#endif
