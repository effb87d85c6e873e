/* SPDX-License-Identifier: MIT */
/*
 * nvml.h - the NVIDIA GPU power source (NVML, dlopen'd at run time).
 * Environment: PACT_NVML_LIB overrides the library path (tests load
 * build/fakes/fake_nvml.so); CUDA_VISIBLE_DEVICES selects GPUs unless
 * cfg->gpus (--gpus) does.  See docs/nvml.md.
 */
#ifndef PACT_SENSORS_NVML_H
#define PACT_SENSORS_NVML_H

#include "sensors/sensor.h"

#define PACT_NVML_LIB_ENV "PACT_NVML_LIB"
/* "1": where the energy counter gives power, also sample the power
 * reading into gpuN_power_sampled_w (a detail column, not summed) so
 * one run compares the two methods. */
#define PACT_NVML_SAMPLED_ENV "PACT_NVML_SAMPLED"

/* Slow values (utilisation, memory, temperature, clock) are re-read at
 * most this often; NVML refreshes utilisation every 1/6 s to 1 s. */
#define PACT_NVML_SLOW_NS 100000000LL
/* A GPU that fell off the bus is asked again this often. */
#define PACT_NVML_RETRY_NS 1000000000LL
/* The longest refresh period of the energy counter (nvml.md sec. 6). */
#define PACT_NVML_COUNTER_PERIOD_S 0.1

extern const struct pact_sensor_ops pact_sensor_nvml;

#endif
