/* SPDX-License-Identifier: MIT */
/*
 * acct_gather_energy_pact.c - Slurm's acct_gather_energy/pact plugin: the
 * node's energy from pact's accounting model (measured wall or PSU DC /
 * efficiency first, else RAPL + NVML components), for scontrol show node
 * (CurrentWatts, AveWatts), sstat and sacct (ConsumedEnergy).
 *
 * The sampling runs in pact's node daemon (`pact monitor -o FILE`); this
 * plugin only reads the daemon's latest row (node_state.c), in slurmd and
 * in slurmstepd alike, so a slow device can never block slurmd.  Built
 * against Slurm's installed public headers only (slurm/slurm.h).
 *
 * Counter semantics, as Slurm's own energy plugins keep them:
 *   base_consumed_energy      the node counter at the first reading, J
 *   previous_consumed_energy  the node counter at the last reading, J
 *   consumed_energy           energy since the first reading, J
 *   current_watts             power of the daemon's last closed window
 *   ave_watts                 consumed_energy / time since the first reading
 */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>

#include "node_state.h"

/* The generic plugin interface reads these three symbols. */
const char plugin_name[] = "AcctGatherEnergy PACT plugin";
const char plugin_type[] = "acct_gather_energy/pact";
const uint32_t plugin_version = SLURM_VERSION_NUMBER;

/* Provided by slurmd/slurmstepd (libslurmfull); declared here because the
 * public headers do not. */
extern void slurm_error(const char *fmt, ...) __attribute__((weak));

static acct_gather_energy_t node;   /* this process's view of the node */
static double first_unix = NAN;     /* time of its first reading */
static char last_why[512];

static void say_once(const char *why)
{
    if (strcmp(why, last_why) == 0)
        return;
    snprintf(last_why, sizeof last_why, "%s", why);
    if (slurm_error)
        slurm_error("acct_gather_energy/pact: %s", why);
    else
        fprintf(stderr, "acct_gather_energy/pact: %s\n", why);
}

static uint32_t watts(double w)
{
    if (!(w >= 0) || w > 4e9)
        return NO_VAL;
    return (uint32_t)lround(w);
}

/* Advance e from the daemon's latest row.  Returns 0 when there was one. */
static int advance(acct_gather_energy_t *e, double *first)
{
    struct pact_node_state s;
    char why[512];
    if (pact_node_state_read(pact_node_state_path(), &s, why,
                             sizeof why) < 0) {
        say_once(why);
        if (e->previous_consumed_energy == 0 && isnan(*first))
            e->current_watts = NO_VAL;
        return -1;
    }
    last_why[0] = '\0';
    uint64_t now_j = s.energy_j > 0 ? (uint64_t)llround(s.energy_j) : 0;
    double now_t = s.unix_time + (isnan(s.duration_s) ? 0 : s.duration_s);
    if (isnan(*first)) {
        *first = now_t;
        e->base_consumed_energy = now_j;
        e->previous_consumed_energy = now_j;
        e->consumed_energy = 0;
        e->ave_watts = 0;
    } else if (now_j >= e->previous_consumed_energy) {
        e->consumed_energy += now_j - e->previous_consumed_energy;
        e->previous_consumed_energy = now_j;
        double span = now_t - *first;
        e->ave_watts = span > 0 ? watts(e->consumed_energy / span) : 0;
    } else {
        /* The daemon restarted: its counter began again.  Keep what was
         * consumed and continue from the new counter. */
        e->previous_consumed_energy = now_j;
    }
    e->current_watts = watts(s.power_w);
    e->poll_time = time(NULL);
    return 0;
}

/* The first-reading time of each caller's struct, by address. */
static struct {
    const void *rec;
    double first;
} recs[64];

static double *first_of(const void *rec)
{
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
        if (recs[i].rec == rec)
            return &recs[i].first;
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
        if (!recs[i].rec) {
            recs[i].rec = rec;
            recs[i].first = NAN;
            return &recs[i].first;
        }
    return NULL;
}

int init(void)
{
    memset(&node, 0, sizeof node);
    first_unix = NAN;
    return SLURM_SUCCESS;
}

int fini(void)
{
    return SLURM_SUCCESS;
}

int acct_gather_energy_p_update_node_energy(void)
{
    advance(&node, &first_unix);
    return SLURM_SUCCESS;
}

int acct_gather_energy_p_get_data(enum acct_energy_type type, void *data)
{
    switch (type) {
    case ENERGY_DATA_JOULES_TASK:
    case ENERGY_DATA_NODE_ENERGY_UP: {
        /* The caller's struct persists between calls (a step's or the
         * node's record) and keeps its own base: its energy is the node
         * counter's advance since its first reading. */
        double *first = first_of(data);
        if (!first)
            return SLURM_ERROR;
        if (advance(data, first) < 0 && isnan(*first))
            ((acct_gather_energy_t *)data)->consumed_energy = NO_VAL64;
        return SLURM_SUCCESS;
    }
    case ENERGY_DATA_STRUCT:
    case ENERGY_DATA_NODE_ENERGY:
        if (isnan(first_unix))
            advance(&node, &first_unix);
        memcpy(data, &node, sizeof node);
        return SLURM_SUCCESS;
    case ENERGY_DATA_LAST_POLL:
        *(time_t *)data = node.poll_time;
        return SLURM_SUCCESS;
    case ENERGY_DATA_SENSOR_CNT:
        *(uint16_t *)data = 1;
        return SLURM_SUCCESS;
    default:
        return SLURM_ERROR;
    }
}

int acct_gather_energy_p_set_data(enum acct_energy_type type, void *data)
{
    (void)data;
    switch (type) {
    case ENERGY_DATA_RECONFIG:
    case ENERGY_DATA_STEP_PTR:
        return SLURM_SUCCESS;
    case ENERGY_DATA_PROFILE:
        advance(&node, &first_unix);
        return SLURM_SUCCESS;
    default:
        return SLURM_ERROR;
    }
}

/* acct_gather.conf hooks.  The plugin has no acct_gather.conf keys: the
 * daemon's CSV is named by PACT_NODE_STATE in slurmd's environment (or
 * the default), so these take Slurm's internal option types opaquely. */
void acct_gather_energy_p_conf_options(void **full_options,
                                       int *full_options_cnt)
{
    (void)full_options;
    (void)full_options_cnt;
}

void acct_gather_energy_p_conf_set(int context_id, void *tbl)
{
    (void)context_id;
    (void)tbl;
    if (isnan(first_unix))
        advance(&node, &first_unix);
}

void acct_gather_energy_p_conf_values(void *data)
{
    (void)data;
}
