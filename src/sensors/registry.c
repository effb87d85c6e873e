/* SPDX-License-Identifier: MIT */
/*
 * registry.c - the static table of power-source drivers (htop's
 * Platform_meterTypes[], perf's commands[]).  Probe order matters: the
 * CPU-power estimate comes last and only fills in when nothing measured
 * CPU power.  All build-time switches for drivers live here.
 */
#include "sensors/registry.h"

#include <string.h>

#include "sensors/nvml.h"
#include "sensors/psu.h"

extern const struct pact_sensor_ops pact_sensor_rapl;
extern const struct pact_sensor_ops pact_sensor_hwmon;
extern const struct pact_sensor_ops pact_sensor_cpu_estimate;

const struct pact_sensor_ops *const pact__sensors[] = {
    &pact_sensor_psu_corsair, /* Corsair HXi/RMi PSU (hwmon or USB HID) */
    &pact_sensor_psu_nzxt,    /* NZXT E-series PSU (USB HID) */
    &pact_sensor_nvml, /* NVIDIA GPUs (NVML, dlopen'd); after the PSUs */
    &pact_sensor_rapl,         /* RAPL: powercap, perf power PMU, MSR */
    &pact_sensor_hwmon,        /* hwmon power and energy meters */
    &pact_sensor_cpu_estimate, /* labelled estimate: keep last */
    NULL,
};

const struct pact_sensor_ops *pact__sensor_find(const char *name)
{
    for (int i = 0; pact__sensors[i]; i++)
        if (strcmp(pact__sensors[i]->name, name) == 0)
            return pact__sensors[i];
    return NULL;
}
