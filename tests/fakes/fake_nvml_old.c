/* SPDX-License-Identifier: MIT */
/*
 * fake_nvml_old.c - the fake NVML library as an old driver would be: only
 * init, count, handles, names, power usage, utilisation, memory,
 * temperature and clocks; no nvmlErrorString, no field values, no energy
 * counter, no MIG calls.  Tests the driver's optional-symbol paths.
 */
#define FAKE_NVML_OLD 1
#include "fake_nvml.c"
