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

#endif
