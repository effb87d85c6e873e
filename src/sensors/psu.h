/* SPDX-License-Identifier: MIT */
/*
 * psu.h - the USB HID power-supply sources: Corsair HXi/RMi (kernel
 * corsair-psu hwmon when bound, else HID) and NZXT E-series.  Selected by
 * cfg->psu (auto|corsair|nzxt|none, aliases Corsair_1500i and NZXT_850)
 * and cfg->psu_device (/dev/hidrawN or unix:PATH).  See docs/psu.md.
 */
#ifndef PACT_SENSORS_PSU_H
#define PACT_SENSORS_PSU_H

#include "sensors/sensor.h"

extern const struct pact_sensor_ops pact_sensor_psu_corsair;
extern const struct pact_sensor_ops pact_sensor_psu_nzxt;

/* Both drivers map their channel ids to output slots (-1 = not offered):
 * store v as a good sample of channel id, if offered. */
static inline void pact__psu_put(struct pact_sample *out, const int *slot,
                                 int id, double v)
{
    if (slot[id] >= 0) {
        out[slot[id]].value = v;
        out[slot[id]].ok = 1;
    }
}

#endif
