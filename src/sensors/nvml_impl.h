/* SPDX-License-Identifier: MIT */
/*
 * nvml_impl.h - what the NVML driver's files share: the resolved library
 * symbols (nvml_lib.c), the per-GPU state, discovery and MIG
 * (nvml_discover.c), the channel layout (nvml_layout.c) and reading
 * (nvml_read.c).  The ops table is in nvml.c.
 */
#ifndef PACT_SENSORS_NVML_IMPL_H
#define PACT_SENSORS_NVML_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "sensors/nvml.h"
#include "sensors/nvml_api.h"
#include "sensors/nvml_select.h"

/* ---- nvml_lib.c: loading the library ---- */
extern __typeof__(nvmlInit_v2) *pact__nvml_sym_nvmlInit_v2;
extern __typeof__(nvmlShutdown) *pact__nvml_sym_nvmlShutdown;
extern __typeof__(nvmlDeviceGetCount_v2) *pact__nvml_sym_nvmlDeviceGetCount_v2;
extern __typeof__(nvmlDeviceGetHandleByIndex_v2)
    *pact__nvml_sym_nvmlDeviceGetHandleByIndex_v2;
extern __typeof__(nvmlErrorString) *pact__nvml_sym_nvmlErrorString;
extern __typeof__(nvmlSystemGetDriverVersion) *pact__nvml_sym_nvmlSystemGetDriverVersion;
extern __typeof__(nvmlDeviceGetName) *pact__nvml_sym_nvmlDeviceGetName;
extern __typeof__(nvmlDeviceGetUUID) *pact__nvml_sym_nvmlDeviceGetUUID;
extern __typeof__(nvmlDeviceGetPowerUsage) *pact__nvml_sym_nvmlDeviceGetPowerUsage;
extern __typeof__(nvmlDeviceGetTotalEnergyConsumption)
    *pact__nvml_sym_nvmlDeviceGetTotalEnergyConsumption;
extern __typeof__(nvmlDeviceGetFieldValues) *pact__nvml_sym_nvmlDeviceGetFieldValues;
extern __typeof__(nvmlDeviceGetUtilizationRates)
    *pact__nvml_sym_nvmlDeviceGetUtilizationRates;
extern __typeof__(nvmlDeviceGetMemoryInfo) *pact__nvml_sym_nvmlDeviceGetMemoryInfo;
extern __typeof__(nvmlDeviceGetTemperature) *pact__nvml_sym_nvmlDeviceGetTemperature;
extern __typeof__(nvmlDeviceGetClockInfo) *pact__nvml_sym_nvmlDeviceGetClockInfo;
extern __typeof__(nvmlDeviceGetMigMode) *pact__nvml_sym_nvmlDeviceGetMigMode;
extern __typeof__(nvmlDeviceGetMaxMigDeviceCount)
    *pact__nvml_sym_nvmlDeviceGetMaxMigDeviceCount;
extern __typeof__(nvmlDeviceGetMigDeviceHandleByIndex)
    *pact__nvml_sym_nvmlDeviceGetMigDeviceHandleByIndex;

/* Load and resolve, or count one more user.  0 or < 0 with why. */
int pact__nvml_lib_open(char *why, size_t len);
void pact__nvml_lib_close(void);
/* The library's own text for rc when it has one, else our table. */
const char *pact__nvml_errstr(nvmlReturn_t rc);
/* 1 for codes meaning the feature is absent, not failing. */
int pact__nvml_unsupported(nvmlReturn_t rc);

/* ---- Per-GPU state ---- */

enum method { M_NONE, M_ENERGY, M_INSTANT, M_USAGE };

/* NVML calls whose failures are tracked (one log line per change). */
enum call { C_POWER, C_UTIL, C_MEM, C_TEMP, C_CLOCK, C_SAMPLED, C_N };

/* Columns per GPU, in column order. */
enum col { K_POWER, K_ENERGY, K_SAMPLED, K_UTIL_SM, K_UTIL_MEM, K_MEM,
           K_TEMP, K_CLOCK, K_N };

struct gpu {
    unsigned int index; /* NVML index: the N in gpuN_ */
    nvmlDevice_t dev;
    char name[NVML_DEVICE_NAME_V2_BUFFER_SIZE];
    char uuid[NVML_DEVICE_UUID_V2_BUFFER_SIZE];
    int method;         /* enum method */
    int sampled;        /* M_INSTANT/M_USAGE beside the counter, or 0 */
    int has[C_N];       /* the call works (or failed only transiently) */
    int col[K_N];       /* channel index, -1 when absent */
    int mig_on;         /* MIG mode is enabled */
    unsigned int mig;   /* MIG instances that exist */
    nvmlReturn_t open_rc; /* nvmlDeviceGetHandleByIndex_v2's answer */

    int lost;           /* fell off the bus */
    int64_t retry_ns;   /* when to ask a lost GPU again */
    int rc[C_N];        /* last return code per call */

    int64_t slow_ns;    /* when the slow values were read; 0 = never */
    int slow_valid;
    nvmlUtilization_t util;
    nvmlMemory_t memory;
    unsigned int temp_c, clock_mhz;
};

struct nvml_state {
    int ngpu;
    struct gpu *gpu;
};

/* ---- nvml_read.c ---- */
nvmlReturn_t pact__nvml_read_energy(nvmlDevice_t d, unsigned long long *mj);
nvmlReturn_t pact__nvml_read_instant(nvmlDevice_t d, double *mw);
nvmlReturn_t pact__nvml_read_usage(nvmlDevice_t d, double *mw);
nvmlReturn_t pact__nvml_read_util(nvmlDevice_t d, nvmlUtilization_t *u);
nvmlReturn_t pact__nvml_read_mem(nvmlDevice_t d, nvmlMemory_t *m);
nvmlReturn_t pact__nvml_read_temp(nvmlDevice_t d, unsigned int *c);
nvmlReturn_t pact__nvml_read_clock(nvmlDevice_t d, unsigned int *mhz);
/* Read one GPU into its columns of out. */
void pact__nvml_read_gpu(struct gpu *g, int64_t t_ns, struct pact_sample *out);
/* Log the calls that started failing, and those that recovered. */
void pact__nvml_report(const struct gpu *g, const int *before);

/* ---- nvml_discover.c ---- */
void pact__nvml_state_free(struct nvml_state *s);
/* Load, init and find the selected GPUs: their count, or < 0 with why
 * (PACT_ENODEVICE: no driver or no GPU, not an error). */
int pact__nvml_discover(const struct pact_sensor_env *env,
                        struct nvml_state **out, char *why, size_t len);
/* One line per GPU for probe/open's why. */
void pact__nvml_describe(const struct nvml_state *s, char *why, size_t len);

/* ---- nvml_layout.c ---- */
const char *pact__nvml_method_text(int m);
/* Declare one GPU's columns from ch[n] on (ch NULL: only count). */
int pact__nvml_gpu_channels(struct gpu *g, struct pact_channel *ch, int n,
                            int detail);
/* Columns needed for GPUs [0, ngpu). */
int pact__nvml_columns(struct nvml_state *s, int ngpu, int detail);

#endif
