/* SPDX-License-Identifier: MIT */
/*
 * node_state.h - the latest state of a node's pact daemon, read from the
 * CSV it streams (`pact monitor -o /run/pact/node.csv`): the last complete
 * row's cumulative energy by the run's basis, its window power and time.
 * Shared by the Slurm plugins; reads a file, never a device, so it cannot
 * block slurmd on hardware.
 */
#ifndef PACT_SLURM_NODE_STATE_H
#define PACT_SLURM_NODE_STATE_H

#include <stddef.h>

struct pact_node_state {
    double energy_j;      /* cumulative total energy (the run's basis) */
    double power_w;       /* total power of the last closed window */
    double unix_time;     /* start of that window, s since 1970 */
    double duration_s;    /* its length */
};

/* Read the last complete row of the CSV at path.  Returns 0, or -1 with a
 * one-line reason in why (missing file, no such column, no row yet). */
int pact_node_state_read(const char *path, struct pact_node_state *out,
                         char *why, size_t len);

/* The CSV a site's node daemon writes: $PACT_NODE_STATE, else the default. */
const char *pact_node_state_path(void);

#define PACT_NODE_STATE_DEFAULT "/run/pact/node.csv"

#endif
