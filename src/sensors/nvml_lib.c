/* SPDX-License-Identifier: MIT */
/*
 * nvml_lib.c - loading NVML at run time (htop's LibSensors pattern: sym_
 * pointers, a resolve() macro, sonames tried in order), once per process
 * however many users, and the library's error texts.
 */
#include "sensors/nvml_impl.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/secenv.h"

/* ---- Loading the library ---- */

static const char *const sonames[] = {
    "libnvidia-ml.so.1", /* shipped with the driver */
    "libnvidia-ml.so",   /* often missing on driver-only installs */
    NULL,
};

static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
static void *lib_handle;
static int lib_users;

__typeof__(nvmlInit_v2) *pact__nvml_sym_nvmlInit_v2;
__typeof__(nvmlShutdown) *pact__nvml_sym_nvmlShutdown;
__typeof__(nvmlDeviceGetCount_v2) *pact__nvml_sym_nvmlDeviceGetCount_v2;
__typeof__(nvmlDeviceGetHandleByIndex_v2)
    *pact__nvml_sym_nvmlDeviceGetHandleByIndex_v2;
__typeof__(nvmlErrorString) *pact__nvml_sym_nvmlErrorString;
__typeof__(nvmlSystemGetDriverVersion) *pact__nvml_sym_nvmlSystemGetDriverVersion;
__typeof__(nvmlDeviceGetName) *pact__nvml_sym_nvmlDeviceGetName;
__typeof__(nvmlDeviceGetUUID) *pact__nvml_sym_nvmlDeviceGetUUID;
__typeof__(nvmlDeviceGetPowerUsage) *pact__nvml_sym_nvmlDeviceGetPowerUsage;
__typeof__(nvmlDeviceGetTotalEnergyConsumption)
    *pact__nvml_sym_nvmlDeviceGetTotalEnergyConsumption;
__typeof__(nvmlDeviceGetFieldValues) *pact__nvml_sym_nvmlDeviceGetFieldValues;
__typeof__(nvmlDeviceGetUtilizationRates)
    *pact__nvml_sym_nvmlDeviceGetUtilizationRates;
__typeof__(nvmlDeviceGetMemoryInfo) *pact__nvml_sym_nvmlDeviceGetMemoryInfo;
__typeof__(nvmlDeviceGetTemperature) *pact__nvml_sym_nvmlDeviceGetTemperature;
__typeof__(nvmlDeviceGetClockInfo) *pact__nvml_sym_nvmlDeviceGetClockInfo;
__typeof__(nvmlDeviceGetMigMode) *pact__nvml_sym_nvmlDeviceGetMigMode;
__typeof__(nvmlDeviceGetMaxMigDeviceCount)
    *pact__nvml_sym_nvmlDeviceGetMaxMigDeviceCount;
__typeof__(nvmlDeviceGetMigDeviceHandleByIndex)
    *pact__nvml_sym_nvmlDeviceGetMigDeviceHandleByIndex;

#define resolve(name) \
    (pact__nvml_sym_##name = (__typeof__(pact__nvml_sym_##name))dlsym(lib_handle, #name))

static void lib_forget(void)
{
    pact__nvml_sym_nvmlInit_v2 = NULL;
    pact__nvml_sym_nvmlShutdown = NULL;
    pact__nvml_sym_nvmlDeviceGetCount_v2 = NULL;
    pact__nvml_sym_nvmlDeviceGetHandleByIndex_v2 = NULL;
    pact__nvml_sym_nvmlErrorString = NULL;
    pact__nvml_sym_nvmlSystemGetDriverVersion = NULL;
    pact__nvml_sym_nvmlDeviceGetName = NULL;
    pact__nvml_sym_nvmlDeviceGetUUID = NULL;
    pact__nvml_sym_nvmlDeviceGetPowerUsage = NULL;
    pact__nvml_sym_nvmlDeviceGetTotalEnergyConsumption = NULL;
    pact__nvml_sym_nvmlDeviceGetFieldValues = NULL;
    pact__nvml_sym_nvmlDeviceGetUtilizationRates = NULL;
    pact__nvml_sym_nvmlDeviceGetMemoryInfo = NULL;
    pact__nvml_sym_nvmlDeviceGetTemperature = NULL;
    pact__nvml_sym_nvmlDeviceGetClockInfo = NULL;
    pact__nvml_sym_nvmlDeviceGetMigMode = NULL;
    pact__nvml_sym_nvmlDeviceGetMaxMigDeviceCount = NULL;
    pact__nvml_sym_nvmlDeviceGetMigDeviceHandleByIndex = NULL;
}

/* The CUDA toolkit's link stub (.../stubs/libnvidia-ml.so) loads but
 * fails nvmlInit after printing a warning: never use it. */
static int is_stub(void *h, char *path, size_t len)
{
    struct link_map *lm = NULL;
    if (dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0 || !lm || !lm->l_name)
        return 0;
    snprintf(path, len, "%s", lm->l_name);
    return strstr(lm->l_name, "/stubs/") != NULL;
}

static void *load(char *why, size_t len)
{
    const char *env = pact__trusted_env(PACT_NVML_LIB_ENV);
    void *h = NULL;
    char path[512];
    if (env && *env) {
        h = dlopen(env, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            const char *e = dlerror();
            snprintf(why, len,
                     "no NVIDIA driver (cannot load %s=%s: %s); fix the "
                     "path or unset %s", PACT_NVML_LIB_ENV, env,
                     e ? e : "?", PACT_NVML_LIB_ENV);
            return NULL;
        }
    } else {
        for (int i = 0; sonames[i] && !h; i++)
            h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            snprintf(why, len,
                     "no NVIDIA driver (libnvidia-ml.so.1 not found); "
                     "install the NVIDIA driver");
            return NULL;
        }
    }
    if (is_stub(h, path, sizeof path)) {
        dlclose(h);
        snprintf(why, len,
                 "no NVIDIA driver (only the CUDA toolkit stub %s was "
                 "found); install the NVIDIA driver", path);
        return NULL;
    }
    return h;
}

/* Load and resolve, or count one more user.  0 or < 0 with why. */
int pact__nvml_lib_open(char *why, size_t len)
{
    pthread_mutex_lock(&lib_lock);
    if (lib_users > 0) {
        lib_users++;
        pthread_mutex_unlock(&lib_lock);
        return 0;
    }
    lib_handle = load(why, len);
    if (!lib_handle) {
        pthread_mutex_unlock(&lib_lock);
        return -ENOENT;
    }
    const char *missing = NULL;
    if (!resolve(nvmlInit_v2))
        missing = "nvmlInit_v2";
    else if (!resolve(nvmlShutdown))
        missing = "nvmlShutdown";
    else if (!resolve(nvmlDeviceGetCount_v2))
        missing = "nvmlDeviceGetCount_v2";
    else if (!resolve(nvmlDeviceGetHandleByIndex_v2))
        missing = "nvmlDeviceGetHandleByIndex_v2";
    if (missing) {
        snprintf(why, len,
                 "NVIDIA library too old or not NVML (no %s); update the "
                 "NVIDIA driver", missing);
        dlclose(lib_handle);
        lib_handle = NULL;
        lib_forget();
        pthread_mutex_unlock(&lib_lock);
        return -ENOSYS;
    }
    resolve(nvmlErrorString);
    resolve(nvmlSystemGetDriverVersion);
    resolve(nvmlDeviceGetName);
    resolve(nvmlDeviceGetUUID);
    resolve(nvmlDeviceGetPowerUsage);
    resolve(nvmlDeviceGetTotalEnergyConsumption);
    resolve(nvmlDeviceGetFieldValues);
    resolve(nvmlDeviceGetUtilizationRates);
    resolve(nvmlDeviceGetMemoryInfo);
    resolve(nvmlDeviceGetTemperature);
    resolve(nvmlDeviceGetClockInfo);
    resolve(nvmlDeviceGetMigMode);
    resolve(nvmlDeviceGetMaxMigDeviceCount);
    resolve(nvmlDeviceGetMigDeviceHandleByIndex);
    lib_users = 1;
    pthread_mutex_unlock(&lib_lock);
    return 0;
}

void pact__nvml_lib_close(void)
{
    pthread_mutex_lock(&lib_lock);
    if (lib_users > 0 && --lib_users == 0) {
        dlclose(lib_handle);
        lib_handle = NULL;
        lib_forget();
    }
    pthread_mutex_unlock(&lib_lock);
}

/* The library's own text for rc when it has one, else our table. */
const char *pact__nvml_errstr(nvmlReturn_t rc)
{
    const char *s = pact__nvml_sym_nvmlErrorString ? pact__nvml_sym_nvmlErrorString(rc) : NULL;
    return s && *s ? s : pact__nvml_code_text(rc);
}

/* Codes meaning "this GPU or library cannot do that": the feature is
 * absent, not failing.  Old drivers answer INVALID_ARGUMENT for field
 * ids they do not know (nvml.md section 5). */
int pact__nvml_unsupported(nvmlReturn_t rc)
{
    return rc == NVML_ERROR_NOT_SUPPORTED ||
           rc == NVML_ERROR_FUNCTION_NOT_FOUND ||
           rc == NVML_ERROR_INVALID_ARGUMENT ||
           rc == NVML_ERROR_NO_PERMISSION;
}

