/* SPDX-License-Identifier: MIT */
/*
 * nvml_init.h - nvmlInit_v2 under a watchdog.  It can take seconds
 * without persistence mode, and drivers have been seen to hang in it
 * (nvml.md sec. 7), so it runs on its own thread and PACT goes on
 * without GPUs when it does not return in time.
 */
#ifndef PACT_SENSORS_NVML_INIT_H
#define PACT_SENSORS_NVML_INIT_H

#include "sensors/nvml_api.h"

/* Seconds to wait; the environment variable overrides (tests). */
#define PACT_NVML_INIT_TIMEOUT_S 20.0
#define PACT_NVML_INIT_TIMEOUT_ENV "PACT_NVML_INIT_TIMEOUT_S"

/* The timeout in force (the environment's, if a positive number). */
double pact__nvml_init_timeout(void);

/*
 * Call init() on a new thread and wait up to timeout_s for it.  Returns
 * 0 with its result in *rc, or -ETIMEDOUT: the thread is then left
 * blocked inside the library (which must stay loaded), or -errno when no
 * thread could be made.
 */
int pact__nvml_init_timed(nvmlReturn_t (*init)(void), double timeout_s,
                          nvmlReturn_t *rc);

#endif
