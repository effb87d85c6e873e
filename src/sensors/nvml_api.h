/* SPDX-License-Identifier: MIT */
/*
 * nvml_api.h - our own declarations of the few NVML types and calls PACT
 * uses, so nothing from NVIDIA is needed at build time.  Layouts follow
 * nvml.h (NVML_API_VERSION 12, CUDA 12.6); the static asserts pin the
 * x86-64/aarch64 sizes.  The driver never calls these names directly: it
 * dlopens libnvidia-ml and resolves them; the test fake defines them, so
 * the compiler checks the fake against the same prototypes.
 */
#ifndef PACT_SENSORS_NVML_API_H
#define PACT_SENSORS_NVML_API_H

#include <stddef.h>

typedef struct nvmlDevice_st *nvmlDevice_t; /* opaque handle */
typedef int nvmlReturn_t;                   /* C enum: 4-byte int */

/* Return codes (nvmlReturn_t).  Codes 25-29 arrived with CUDA 11.8-12.4. */
#define NVML_SUCCESS 0
#define NVML_ERROR_UNINITIALIZED 1
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NO_PERMISSION 4
#define NVML_ERROR_ALREADY_INITIALIZED 5
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_INSUFFICIENT_POWER 8
#define NVML_ERROR_DRIVER_NOT_LOADED 9
#define NVML_ERROR_TIMEOUT 10
#define NVML_ERROR_IRQ_ISSUE 11
#define NVML_ERROR_LIBRARY_NOT_FOUND 12
#define NVML_ERROR_FUNCTION_NOT_FOUND 13
#define NVML_ERROR_CORRUPTED_INFOROM 14
#define NVML_ERROR_GPU_IS_LOST 15
#define NVML_ERROR_RESET_REQUIRED 16
#define NVML_ERROR_OPERATING_SYSTEM 17
#define NVML_ERROR_LIB_RM_VERSION_MISMATCH 18
#define NVML_ERROR_IN_USE 19
#define NVML_ERROR_MEMORY 20
#define NVML_ERROR_NO_DATA 21
#define NVML_ERROR_VGPU_ECC_NOT_SUPPORTED 22
#define NVML_ERROR_INSUFFICIENT_RESOURCES 23
#define NVML_ERROR_FREQ_NOT_SUPPORTED 24
#define NVML_ERROR_ARGUMENT_VERSION_MISMATCH 25
#define NVML_ERROR_DEPRECATED 26
#define NVML_ERROR_NOT_READY 27
#define NVML_ERROR_GPU_NOT_FOUND 28
#define NVML_ERROR_INVALID_STATE 29
#define NVML_ERROR_UNKNOWN 999

/* String buffers: the v2 sizes, which are the largest. */
#define NVML_DEVICE_NAME_V2_BUFFER_SIZE 96
#define NVML_DEVICE_UUID_V2_BUFFER_SIZE 96
#define NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE 80

/* Enum arguments. */
#define NVML_TEMPERATURE_GPU 0 /* nvmlTemperatureSensors_t: die, degC */
#define NVML_CLOCK_SM 1        /* nvmlClockType_t, MHz */
#define NVML_DEVICE_MIG_ENABLE 1

/* nvmlValueType_t: which member of nvmlValue_t a field filled. */
#define NVML_VALUE_TYPE_DOUBLE 0
#define NVML_VALUE_TYPE_UNSIGNED_INT 1
#define NVML_VALUE_TYPE_UNSIGNED_LONG 2
#define NVML_VALUE_TYPE_UNSIGNED_LONG_LONG 3
#define NVML_VALUE_TYPE_SIGNED_LONG_LONG 4
#define NVML_VALUE_TYPE_SIGNED_INT 5
#define NVML_VALUE_TYPE_UNSIGNED_SHORT 6

/* Field ids for nvmlDeviceGetFieldValues.  186 (R535+) is the
 * instantaneous board power in mW, all architectures; scope 0 = GPU. */
#define NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION 83
#define NVML_FI_DEV_POWER_AVERAGE 185
#define NVML_FI_DEV_POWER_INSTANT 186
#define NVML_POWER_SCOPE_GPU 0

typedef struct {
    unsigned int gpu;    /* % of time one or more kernels ran */
    unsigned int memory; /* % of time device memory was accessed */
} nvmlUtilization_t;

typedef struct {
    unsigned long long total; /* bytes */
    unsigned long long free;  /* bytes */
    unsigned long long used;  /* bytes, includes driver-reserved memory */
} nvmlMemory_t;

typedef union {
    double dVal;
    int siVal;
    unsigned int uiVal;
    unsigned long ulVal;
    unsigned long long ullVal;
    signed long long sllVal;
    unsigned short usVal;
} nvmlValue_t;

typedef struct {
    unsigned int fieldId;   /* in: NVML_FI_* */
    unsigned int scopeId;   /* in: e.g. NVML_POWER_SCOPE_GPU */
    long long timestamp;    /* out: CPU time of the value, us since 1970 */
    long long latencyUsec;  /* out: how long NVML took to refresh it */
    int valueType;          /* out: NVML_VALUE_TYPE_* */
    nvmlReturn_t nvmlReturn; /* out: per-field status */
    nvmlValue_t value;      /* out: valid when nvmlReturn == SUCCESS */
} nvmlFieldValue_t;

_Static_assert(sizeof(nvmlUtilization_t) == 8, "nvmlUtilization_t ABI");
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t ABI");
_Static_assert(sizeof(nvmlValue_t) == 8, "nvmlValue_t ABI");
_Static_assert(sizeof(nvmlFieldValue_t) == 40, "nvmlFieldValue_t ABI");
_Static_assert(offsetof(nvmlFieldValue_t, valueType) == 24, "field ABI");
_Static_assert(offsetof(nvmlFieldValue_t, value) == 32, "field ABI");

/* Required: the driver is unavailable without these.  The _v2 names are
 * what nvml.h's macros map nvmlInit etc. to; the unsuffixed v1 symbols
 * behave differently (v1 init fails if any GPU is unhealthy). */
nvmlReturn_t nvmlInit_v2(void);
nvmlReturn_t nvmlShutdown(void);
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count);
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index,
                                           nvmlDevice_t *device);

/* Optional: a missing symbol disables one feature, not the driver. */
const char *nvmlErrorString(nvmlReturn_t result);
nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length);
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char *name,
                               unsigned int length);
nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid,
                               unsigned int length);
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device,
                                     unsigned int *power_mw);
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device,
                                                 unsigned long long *mj);
nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t device, int count,
                                      nvmlFieldValue_t *values);
nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device,
                                           nvmlUtilization_t *util);
nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device,
                                     nvmlMemory_t *memory);
nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor,
                                      unsigned int *temp_c);
nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t device, int type,
                                    unsigned int *clock_mhz);
nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t device, unsigned int *current,
                                  unsigned int *pending);
nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t device,
                                            unsigned int *count);
nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t device,
                                                 unsigned int index,
                                                 nvmlDevice_t *mig);

/* ---- PACT's own helpers (nvml_errstr.c) ---- */

/* Static text for an NVML return code from our table (used when the
 * library has no nvmlErrorString); unknown codes give "unknown NVML
 * error".  pact__nvml_code_name gives "NVML_ERROR_GPU_IS_LOST" etc. */
const char *pact__nvml_code_text(nvmlReturn_t rc);
const char *pact__nvml_code_name(nvmlReturn_t rc);

#endif /* PACT_SENSORS_NVML_API_H */
