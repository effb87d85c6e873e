/* SPDX-License-Identifier: MIT */
/*
 * registry.h - the list of power-source drivers the tracker tries, in
 * order.  Adding a source means adding a file and one line in registry.c.
 */
#ifndef PACT_SENSORS_REGISTRY_H
#define PACT_SENSORS_REGISTRY_H

#include "sensors/sensor.h"

/* NULL-terminated, static array of drivers, in probe order. */
extern const struct pact_sensor_ops *const pact__sensors[];

/* Driver by name, or NULL. */
const struct pact_sensor_ops *pact__sensor_find(const char *name);

#endif
