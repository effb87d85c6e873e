/* SPDX-License-Identifier: MIT */
/*
 * config.h - configuration defaults and checks shared by the tracker and
 * the CLI.
 */
#ifndef PACT_CORE_CONFIG_H
#define PACT_CORE_CONFIG_H

#include <stddef.h>

#include "pact/pact.h"

/* The original PACT's four groups. */
#define PACT_DEFAULT_EVENTS "migrations;faults;cache-misses;cycles"

/* 0, or PACT_EBADCONFIG with a one-line reason. */
int pact__config_check(const struct pact_config *cfg, char *why, size_t len);

#endif
