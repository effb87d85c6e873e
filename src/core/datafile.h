/* SPDX-License-Identifier: MIT */
/*
 * datafile.h - finds pact's data tables (carbon intensity, CPU TDP) in
 * the places a user, a build tree and an installed copy keep them.
 */
#ifndef PACT_CORE_DATAFILE_H
#define PACT_CORE_DATAFILE_H

#include <stddef.h>

#include "pact/pact.h"

/*
 * Find data file name and write its path into buf.  cfg->data_dir, when
 * set, is the only place searched; else, in order: $PACT_DATA_DIR,
 * <directory of the running library or program>/../data (a build tree),
 * the same directory's ../share/pact (an install under any prefix), then
 * PACT_DATADIR (the build-time prefix's share/pact).  cfg may be NULL.
 * Returns 0 when found, -ENOENT when not (buf then holds the last place
 * tried), -ENAMETOOLONG.
 */
int pact__data_path(const struct pact_config *cfg, const char *name,
                    char *buf, size_t len);

#endif
