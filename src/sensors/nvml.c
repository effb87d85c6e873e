/* SPDX-License-Identifier: MIT */
/*
 * nvml.c - NVIDIA GPU power, energy and utilisation through NVML, which
 * is dlopen'd at run time (htop's LibSensors pattern: static sym_
 * pointers, a resolve() macro, sonames tried in order).  Energy first:
 * where the GPU has the total-energy counter (Volta+) its deltas give
 * exact window power; elsewhere the instantaneous power field, else
 * nvmlDeviceGetPowerUsage, is sampled every perf period and averaged.
 */
#include "sensors/nvml.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/secenv.h"
#include "sensors/nvml_api.h"
#include "sensors/nvml_select.h"

/* ---- Loading the library ---- */

static const char *const sonames[] = {
    "libnvidia-ml.so.1", /* shipped with the driver */
    "libnvidia-ml.so",   /* often missing on driver-only installs */
    NULL,
};

static pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
static void *lib_handle;
static int lib_users;

static __typeof__(nvmlInit_v2) *sym_nvmlInit_v2;
static __typeof__(nvmlShutdown) *sym_nvmlShutdown;
static __typeof__(nvmlDeviceGetCount_v2) *sym_nvmlDeviceGetCount_v2;
static __typeof__(nvmlDeviceGetHandleByIndex_v2)
    *sym_nvmlDeviceGetHandleByIndex_v2;
static __typeof__(nvmlErrorString) *sym_nvmlErrorString;
static __typeof__(nvmlSystemGetDriverVersion) *sym_nvmlSystemGetDriverVersion;
static __typeof__(nvmlDeviceGetName) *sym_nvmlDeviceGetName;
static __typeof__(nvmlDeviceGetUUID) *sym_nvmlDeviceGetUUID;
static __typeof__(nvmlDeviceGetPowerUsage) *sym_nvmlDeviceGetPowerUsage;
static __typeof__(nvmlDeviceGetTotalEnergyConsumption)
    *sym_nvmlDeviceGetTotalEnergyConsumption;
static __typeof__(nvmlDeviceGetFieldValues) *sym_nvmlDeviceGetFieldValues;
static __typeof__(nvmlDeviceGetUtilizationRates)
    *sym_nvmlDeviceGetUtilizationRates;
static __typeof__(nvmlDeviceGetMemoryInfo) *sym_nvmlDeviceGetMemoryInfo;
static __typeof__(nvmlDeviceGetTemperature) *sym_nvmlDeviceGetTemperature;
static __typeof__(nvmlDeviceGetClockInfo) *sym_nvmlDeviceGetClockInfo;
static __typeof__(nvmlDeviceGetMigMode) *sym_nvmlDeviceGetMigMode;
static __typeof__(nvmlDeviceGetMaxMigDeviceCount)
    *sym_nvmlDeviceGetMaxMigDeviceCount;
static __typeof__(nvmlDeviceGetMigDeviceHandleByIndex)
    *sym_nvmlDeviceGetMigDeviceHandleByIndex;

#define resolve(name) \
    (sym_##name = (__typeof__(sym_##name))dlsym(lib_handle, #name))

static void lib_forget(void)
{
    sym_nvmlInit_v2 = NULL;
    sym_nvmlShutdown = NULL;
    sym_nvmlDeviceGetCount_v2 = NULL;
    sym_nvmlDeviceGetHandleByIndex_v2 = NULL;
    sym_nvmlErrorString = NULL;
    sym_nvmlSystemGetDriverVersion = NULL;
    sym_nvmlDeviceGetName = NULL;
    sym_nvmlDeviceGetUUID = NULL;
    sym_nvmlDeviceGetPowerUsage = NULL;
    sym_nvmlDeviceGetTotalEnergyConsumption = NULL;
    sym_nvmlDeviceGetFieldValues = NULL;
    sym_nvmlDeviceGetUtilizationRates = NULL;
    sym_nvmlDeviceGetMemoryInfo = NULL;
    sym_nvmlDeviceGetTemperature = NULL;
    sym_nvmlDeviceGetClockInfo = NULL;
    sym_nvmlDeviceGetMigMode = NULL;
    sym_nvmlDeviceGetMaxMigDeviceCount = NULL;
    sym_nvmlDeviceGetMigDeviceHandleByIndex = NULL;
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
static int lib_open(char *why, size_t len)
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

static void lib_close(void)
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
static const char *errstr(nvmlReturn_t rc)
{
    const char *s = sym_nvmlErrorString ? sym_nvmlErrorString(rc) : NULL;
    return s && *s ? s : pact__nvml_code_text(rc);
}

/* Codes meaning "this GPU or library cannot do that": the feature is
 * absent, not failing.  Old drivers answer INVALID_ARGUMENT for field
 * ids they do not know (nvml.md section 5). */
static int unsupported(nvmlReturn_t rc)
{
    return rc == NVML_ERROR_NOT_SUPPORTED ||
           rc == NVML_ERROR_FUNCTION_NOT_FOUND ||
           rc == NVML_ERROR_INVALID_ARGUMENT ||
           rc == NVML_ERROR_NO_PERMISSION;
}

/* ---- Per-GPU state ---- */

enum method { M_NONE, M_ENERGY, M_INSTANT, M_USAGE };

/* NVML calls whose failures are tracked (one log line per change). */
enum call { C_POWER, C_UTIL, C_MEM, C_TEMP, C_CLOCK, C_SAMPLED, C_N };
static const char *const call_what[C_N] = {
    "power", "utilisation", "memory", "temperature", "SM clock",
    "sampled power",
};

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

    int e_have;                  /* a counter reading was taken */
    unsigned long long e_last_mj; /* last raw counter value */
    unsigned long long e_cum_mj;  /* energy since open, unwrapped */

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

static const char *method_text(int m)
{
    switch (m) {
    case M_ENERGY:
        return "power from the energy counter (exact window energy)";
    case M_INSTANT:
        return "power from the instantaneous power field, sampled every "
               "perf period";
    case M_USAGE:
        return "power from nvmlDeviceGetPowerUsage (a 1 s average on "
               "Ampere and newer), sampled every perf period";
    default:
        return "no power reading on this GPU";
    }
}

/* ---- Reading one value ---- */

static nvmlReturn_t read_energy(nvmlDevice_t d, unsigned long long *mj)
{
    if (!sym_nvmlDeviceGetTotalEnergyConsumption)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return sym_nvmlDeviceGetTotalEnergyConsumption(d, mj);
}

static nvmlReturn_t read_instant(nvmlDevice_t d, double *mw)
{
    if (!sym_nvmlDeviceGetFieldValues)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    nvmlFieldValue_t f;
    memset(&f, 0, sizeof f);
    f.fieldId = NVML_FI_DEV_POWER_INSTANT;
    f.scopeId = NVML_POWER_SCOPE_GPU;
    nvmlReturn_t rc = sym_nvmlDeviceGetFieldValues(d, 1, &f);
    if (rc != NVML_SUCCESS)
        return rc;
    if (f.nvmlReturn != NVML_SUCCESS)
        return f.nvmlReturn;
    /* Honour valueType: uiVal in practice, but not promised. */
    switch (f.valueType) {
    case NVML_VALUE_TYPE_DOUBLE:
        *mw = f.value.dVal;
        break;
    case NVML_VALUE_TYPE_UNSIGNED_INT:
        *mw = f.value.uiVal;
        break;
    case NVML_VALUE_TYPE_UNSIGNED_LONG:
        *mw = (double)f.value.ulVal;
        break;
    case NVML_VALUE_TYPE_UNSIGNED_LONG_LONG:
        *mw = (double)f.value.ullVal;
        break;
    case NVML_VALUE_TYPE_SIGNED_LONG_LONG:
        *mw = (double)f.value.sllVal;
        break;
    case NVML_VALUE_TYPE_SIGNED_INT:
        *mw = f.value.siVal;
        break;
    case NVML_VALUE_TYPE_UNSIGNED_SHORT:
        *mw = f.value.usVal;
        break;
    default:
        return NVML_ERROR_UNKNOWN;
    }
    return NVML_SUCCESS;
}

static nvmlReturn_t read_usage(nvmlDevice_t d, double *mw)
{
    if (!sym_nvmlDeviceGetPowerUsage)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    unsigned int v = 0;
    nvmlReturn_t rc = sym_nvmlDeviceGetPowerUsage(d, &v);
    *mw = v;
    return rc;
}

static nvmlReturn_t read_util(nvmlDevice_t d, nvmlUtilization_t *u)
{
    if (!sym_nvmlDeviceGetUtilizationRates)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return sym_nvmlDeviceGetUtilizationRates(d, u);
}

static nvmlReturn_t read_mem(nvmlDevice_t d, nvmlMemory_t *m)
{
    if (!sym_nvmlDeviceGetMemoryInfo)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return sym_nvmlDeviceGetMemoryInfo(d, m);
}

static nvmlReturn_t read_temp(nvmlDevice_t d, unsigned int *c)
{
    if (!sym_nvmlDeviceGetTemperature)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return sym_nvmlDeviceGetTemperature(d, NVML_TEMPERATURE_GPU, c);
}

static nvmlReturn_t read_clock(nvmlDevice_t d, unsigned int *mhz)
{
    if (!sym_nvmlDeviceGetClockInfo)
        return NVML_ERROR_FUNCTION_NOT_FOUND;
    return sym_nvmlDeviceGetClockInfo(d, NVML_CLOCK_SM, mhz);
}

/* Fold a raw counter reading into the since-open total.  The counter
 * counts from the last driver load: a decrease means a reload, so the
 * new raw value is what accrued since then. */
static void energy_add(struct gpu *g, unsigned long long mj)
{
    if (!g->e_have) {
        g->e_have = 1;
    } else if (mj >= g->e_last_mj) {
        g->e_cum_mj += mj - g->e_last_mj;
    } else {
        g->e_cum_mj += mj;
        pact__log(PACT_LOG_WARN,
                  "nvml: gpu%u: energy counter went back from %llu to "
                  "%llu mJ (driver reloaded?); counting on from the new "
                  "value", g->index, g->e_last_mj, mj);
    }
    g->e_last_mj = mj;
}

/* ---- Discovery (shared by probe and open) ---- */

static void gpu_names(struct gpu *g)
{
    snprintf(g->name, sizeof g->name, "?");
    g->uuid[0] = '\0';
    if (sym_nvmlDeviceGetName &&
        sym_nvmlDeviceGetName(g->dev, g->name, sizeof g->name) != 0)
        snprintf(g->name, sizeof g->name, "?");
    if (sym_nvmlDeviceGetUUID &&
        sym_nvmlDeviceGetUUID(g->dev, g->uuid, sizeof g->uuid) != 0)
        g->uuid[0] = '\0';
    /* A driver may fill the buffer without a NUL: never trust it. */
    g->name[sizeof g->name - 1] = '\0';
    g->uuid[sizeof g->uuid - 1] = '\0';
}

/* Is MIG mode on, and which instances exist?  Sets g->mig_on and
 * g->mig; MIG UUIDs are appended to ids (capacity cap) for selection. */
static void gpu_mig(struct gpu *g, struct pact__nvml_id *ids, int *nids,
                    int cap)
{
    unsigned int cur = 0, pend = 0, max = 0, n = 0;
    g->mig_on = 0;
    g->mig = 0;
    if (!sym_nvmlDeviceGetMigMode ||
        sym_nvmlDeviceGetMigMode(g->dev, &cur, &pend) != NVML_SUCCESS ||
        cur != NVML_DEVICE_MIG_ENABLE)
        return;
    g->mig_on = 1;
    if (!sym_nvmlDeviceGetMaxMigDeviceCount ||
        !sym_nvmlDeviceGetMigDeviceHandleByIndex ||
        sym_nvmlDeviceGetMaxMigDeviceCount(g->dev, &max) != NVML_SUCCESS)
        return; /* on, instances unknown: still reported at the parent */
    for (unsigned int k = 0; k < max; k++) {
        nvmlDevice_t m;
        if (sym_nvmlDeviceGetMigDeviceHandleByIndex(g->dev, k, &m) !=
            NVML_SUCCESS)
            continue; /* slot not populated */
        n++;
        if (*nids < cap && sym_nvmlDeviceGetUUID &&
            sym_nvmlDeviceGetUUID(m, ids[*nids].uuid, PACT_NVML_UUID_LEN) ==
                NVML_SUCCESS) {
            ids[*nids].uuid[PACT_NVML_UUID_LEN - 1] = '\0';
            ids[*nids].gpu = (int)g->index;
            ids[*nids].mig = 1;
            (*nids)++;
        }
    }
    g->mig = n;
}

/* One log line for the calls that started failing in this read, one
 * for those that recovered: a state change is logged once. */
static void report(const struct gpu *g, const int *before)
{
    char bad[512] = "", back[256] = "";
    size_t nb = 0, nk = 0;
    for (int c = 0; c < C_N; c++) {
        if (g->rc[c] == before[c])
            continue;
        if (g->rc[c] != NVML_SUCCESS && nb < sizeof bad)
            nb += (size_t)snprintf(bad + nb, sizeof bad - nb, "%s%s (%s)",
                                   nb ? ", " : "", call_what[c],
                                   errstr(g->rc[c]));
        else if (g->rc[c] == NVML_SUCCESS && nk < sizeof back)
            nk += (size_t)snprintf(back + nk, sizeof back - nk, "%s%s",
                                   nk ? ", " : "", call_what[c]);
    }
    if (nb)
        pact__log(PACT_LOG_WARN,
                  "nvml: gpu%u: read failed: %s; those columns stay empty "
                  "until it recovers, the run goes on", g->index, bad);
    if (nk)
        pact__log(PACT_LOG_NOTICE, "nvml: gpu%u: readings are back: %s",
                  g->index, back);
}

/* Decide how this GPU's power is read and which calls work.  Returns
 * NVML_ERROR_GPU_IS_LOST if it fell off the bus meanwhile, else 0. */
static nvmlReturn_t gpu_methods(struct gpu *g)
{
    unsigned long long mj;
    double mw;
    nvmlReturn_t rc = read_energy(g->dev, &mj);
    if (rc == NVML_SUCCESS || !unsupported(rc)) {
        g->method = M_ENERGY;
        if (rc == NVML_SUCCESS)
            energy_add(g, mj);
    } else if ((rc = read_instant(g->dev, &mw)) == NVML_SUCCESS ||
               !unsupported(rc)) {
        g->method = M_INSTANT;
    } else if ((rc = read_usage(g->dev, &mw)) == NVML_SUCCESS ||
               !unsupported(rc)) {
        g->method = M_USAGE;
    } else {
        g->method = M_NONE;
    }
    if (rc == NVML_ERROR_GPU_IS_LOST)
        return NVML_ERROR_GPU_IS_LOST;
    g->has[C_POWER] = g->method != M_NONE;
    g->rc[C_POWER] = g->method != M_NONE ? rc : NVML_SUCCESS;

    /* PACT_NVML_SAMPLED=1: beside the counter, also sample the power
     * reading (a detail column) to compare the two methods in one run. */
    const char *cmp = getenv(PACT_NVML_SAMPLED_ENV);
    g->sampled = M_NONE;
    g->rc[C_SAMPLED] = NVML_SUCCESS;
    if (g->method == M_ENERGY && cmp && strcmp(cmp, "1") == 0) {
        if (!unsupported(rc = read_instant(g->dev, &mw)))
            g->sampled = M_INSTANT;
        else if (!unsupported(rc = read_usage(g->dev, &mw)))
            g->sampled = M_USAGE;
        if (rc == NVML_ERROR_GPU_IS_LOST)
            return NVML_ERROR_GPU_IS_LOST;
        if (g->sampled != M_NONE)
            g->rc[C_SAMPLED] = rc;
    }
    g->has[C_SAMPLED] = g->sampled != M_NONE;

    nvmlReturn_t r[C_N];
    r[C_UTIL] = read_util(g->dev, &g->util);
    r[C_MEM] = read_mem(g->dev, &g->memory);
    r[C_TEMP] = read_temp(g->dev, &g->temp_c);
    r[C_CLOCK] = read_clock(g->dev, &g->clock_mhz);
    for (int c = C_UTIL; c <= C_CLOCK; c++) {
        if (r[c] == NVML_ERROR_GPU_IS_LOST)
            return NVML_ERROR_GPU_IS_LOST;
        g->has[c] = !unsupported(r[c]);
        g->rc[c] = g->has[c] ? r[c] : NVML_SUCCESS;
    }
    /* Calls that exist but fail now: said once, as later changes are. */
    static const int all_ok[C_N];
    report(g, all_ok);
    return NVML_SUCCESS;
}

static void state_free(struct nvml_state *s)
{
    if (!s)
        return;
    free(s->gpu);
    free(s);
    sym_nvmlShutdown();
    lib_close();
}

/* Which selection applies, and its text for messages. */
static const char *gpu_spec(const struct pact_sensor_env *env, int *strict)
{
    const char *cfg = env && env->cfg ? env->cfg->gpus : NULL;
    *strict = 1;
    if (cfg)
        return cfg;
    *strict = 0;
    return getenv("CUDA_VISIBLE_DEVICES");
}

/* Integer CUDA_VISIBLE_DEVICES entries are CUDA ordinals; CUDA numbers
 * fastest-first unless CUDA_DEVICE_ORDER=PCI_BUS_ID, NVML in PCI order.
 * They agree when all GPUs are the same model. */
static void order_notice(const struct gpu *all, int n)
{
    const char *order = getenv("CUDA_DEVICE_ORDER");
    if (order && strcmp(order, "PCI_BUS_ID") == 0)
        return;
    for (int i = 1; i < n; i++)
        if (strcmp(all[i].name, all[0].name) != 0) {
            pact__log(PACT_LOG_NOTICE,
                      "nvml: CUDA_VISIBLE_DEVICES indices are read in PCI "
                      "bus order (nvidia-smi's) and these GPUs differ; set "
                      "CUDA_DEVICE_ORDER=PCI_BUS_ID so CUDA numbers them "
                      "the same way");
            return;
        }
}

static int init_error(nvmlReturn_t rc, char *why, size_t len)
{
    switch (rc) {
    case NVML_ERROR_DRIVER_NOT_LOADED:
        snprintf(why, len,
                 "no NVIDIA driver (NVML: %s); load it (modprobe nvidia) "
                 "or install the NVIDIA driver", errstr(rc));
        break;
    case NVML_ERROR_LIB_RM_VERSION_MISMATCH:
        snprintf(why, len,
                 "NVIDIA library and kernel module differ (NVML: %s); "
                 "reboot after the driver upgrade", errstr(rc));
        break;
    case NVML_ERROR_NO_PERMISSION:
        snprintf(why, len,
                 "no access to the NVIDIA driver (NVML: %s); check the "
                 "permissions of /dev/nvidia*", errstr(rc));
        break;
    default:
        snprintf(why, len, "NVML initialisation failed: %s (%s)",
                 errstr(rc), pact__nvml_code_name(rc));
        break;
    }
    return PACT_ENODEVICE;
}

/*
 * Load the library, initialise NVML, enumerate and select GPUs and find
 * each one's methods.  On success *out owns the state (NVML stays
 * initialised) and the return is the number of GPUs (0 with the reason
 * in why when none is usable).  < 0: unavailable, reason in why.
 */
static int discover(const struct pact_sensor_env *env,
                    struct nvml_state **out, char *why, size_t len)
{
    *out = NULL;
    int err = lib_open(why, len);
    if (err < 0)
        return PACT_ENODEVICE;
    nvmlReturn_t rc = sym_nvmlInit_v2();
    if (rc != NVML_SUCCESS) {
        err = init_error(rc, why, len); /* while nvmlErrorString is there */
        lib_close();
        return err;
    }
    struct nvml_state *s = calloc(1, sizeof *s);
    unsigned int count = 0;
    if (!s) {
        sym_nvmlShutdown();
        lib_close();
        snprintf(why, len, "out of memory");
        return -ENOMEM;
    }
    rc = sym_nvmlDeviceGetCount_v2(&count);
    if (rc != NVML_SUCCESS || count == 0) {
        if (rc != NVML_SUCCESS)
            snprintf(why, len, "NVML cannot count GPUs: %s", errstr(rc));
        else
            snprintf(why, len,
                     "the NVIDIA driver sees no GPU; check nvidia-smi");
        state_free(s);
        return PACT_ENODEVICE;
    }
    if (count > 1024)
        count = 1024;
    int cap = (int)count * 8; /* GPUs and MIG instances (<= 7 each) */
    struct gpu *all = calloc(count, sizeof *all);
    struct pact__nvml_id *ids = calloc((size_t)cap, sizeof *ids);
    int *sel = calloc(count, sizeof *sel);
    s->gpu = calloc(count, sizeof *s->gpu);
    if (!all || !ids || !sel || !s->gpu) {
        free(all);
        free(ids);
        free(sel);
        state_free(s);
        snprintf(why, len, "out of memory");
        return -ENOMEM;
    }

    /* Enumerate: handles, names, UUIDs, MIG instances. */
    int nids = 0;
    for (unsigned int i = 0; i < count; i++) {
        struct gpu *g = &all[i];
        g->index = i;
        rc = sym_nvmlDeviceGetHandleByIndex_v2(i, &g->dev);
        g->open_rc = rc;
        if (rc != NVML_SUCCESS) {
            g->dev = NULL;
            snprintf(g->name, sizeof g->name, "?");
            continue;
        }
        gpu_names(g);
        snprintf(ids[nids].uuid, PACT_NVML_UUID_LEN, "%s", g->uuid);
        ids[nids].gpu = (int)i;
        ids[nids].mig = 0;
        nids++;
        gpu_mig(g, ids, &nids, cap);
    }

    int strict;
    const char *spec = gpu_spec(env, &strict);
    char notes[512];
    int n = pact__nvml_select(spec, strict, (int)count, ids, nids, sel,
                              (int)count, notes, sizeof notes);
    if (n < 0) {
        snprintf(why, len, "%s", notes);
        free(all);
        free(ids);
        free(sel);
        state_free(s);
        return n;
    }
    if (notes[0])
        pact__log(PACT_LOG_NOTICE, "nvml: %s", notes);
    if (!strict && spec)
        order_notice(all, (int)count);

    /* Find the methods of the selected GPUs. */
    for (int k = 0; k < n; k++) {
        struct gpu *g = &all[sel[k]];
        if (!g->dev) {
            rc = g->open_rc;
            pact__log(PACT_LOG_WARN,
                      "nvml: gpu%u: cannot open it (%s)%s; skipped",
                      g->index, errstr(rc),
                      rc == NVML_ERROR_NO_PERMISSION
                          ? "; check the permissions of /dev/nvidia*"
                          : "");
            continue;
        }
        if (gpu_methods(g) == NVML_ERROR_GPU_IS_LOST) {
            pact__log(PACT_LOG_WARN,
                      "nvml: gpu%u %s fell off the bus (%s); skipped",
                      g->index, g->name, errstr(NVML_ERROR_GPU_IS_LOST));
            continue;
        }
        s->gpu[s->ngpu++] = *g;
    }
    free(all);
    free(ids);
    free(sel);

    if (s->ngpu == 0)
        snprintf(why, len, "%s",
                 n == 0 ? (strict ? "no GPU selected (--gpus none)"
                                  : "no GPU selected (CUDA_VISIBLE_DEVICES "
                                    "hides them all)")
                        : "no selected GPU could be read (see the log)");
    *out = s;
    return s->ngpu;
}

/* One line per GPU: "gpu0 NVIDIA H100 (energy counter ...)". */
static void describe(const struct nvml_state *s, char *why, size_t len)
{
    char drv[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE] = "";
    if (sym_nvmlSystemGetDriverVersion &&
        sym_nvmlSystemGetDriverVersion(drv, sizeof drv) != NVML_SUCCESS)
        drv[0] = '\0';
    drv[sizeof drv - 1] = '\0'; /* not trusted to be terminated */
    size_t used = 0;
    int w = snprintf(why, len, "NVIDIA driver %s, %d GPU%s:",
                     drv[0] ? drv : "?", s->ngpu, s->ngpu == 1 ? "" : "s");
    for (int i = 0; i < s->ngpu && w >= 0; i++) {
        used += (size_t)w;
        if (used >= len)
            return;
        const struct gpu *g = &s->gpu[i];
        w = snprintf(why + used, len - used, "%s gpu%u %s: %s%s",
                     i ? ";" : "", g->index, g->name,
                     method_text(g->method),
                     g->mig_on ? " (MIG on: whole-GPU figures)" : "");
    }
}

/* ---- Driver ops ---- */

static int nvml_probe(const struct pact_sensor_env *env, char *why,
                      size_t len)
{
    struct nvml_state *s;
    int n = discover(env, &s, why, len);
    if (n < 0)
        return n;
    if (n > 0)
        describe(s, why, len);
    state_free(s);
    return n;
}

static void add_channel(struct pact_channel *c, unsigned int gpu,
                        const char *suffix, int quantity, int role,
                        int fast, double resolution)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "gpu%u_%s", gpu, suffix);
    c->quantity = quantity;
    c->role = role;
    c->fast = fast;
    c->resolution = resolution;
    /* NVIDIA states +-5 % for the power reading (Fermi/Kepler) and no
     * figure for newer boards; keep 5 % as the stated uncertainty. */
    c->accuracy_pct = role == PACT_ROLE_GPU_POWER ? 5.0 : 0.0;
}

/* Declare the columns of one GPU from ch[n] on (ch NULL: only count);
 * detail = memory, temperature, clock.  Returns the new n. */
static int gpu_channels(struct gpu *g, struct pact_channel *ch, int n,
                        int detail)
{
    static const struct {
        int col, quantity, role, fast;
        const char *suffix;
        double resolution;
    } def[K_N] = {
        {K_POWER, PACT_Q_POWER_W, PACT_ROLE_GPU_POWER, 1, "power_w", 0.001},
        {K_ENERGY, PACT_Q_VALUE, PACT_ROLE_NONE, 0, "energy_j", 0.001},
        {K_SAMPLED, PACT_Q_POWER_W, PACT_ROLE_DETAIL_POWER, 1,
         "power_sampled_w", 0.001},
        {K_UTIL_SM, PACT_Q_PERCENT, PACT_ROLE_GPU_UTIL_SM, 1, "util_sm", 1},
        {K_UTIL_MEM, PACT_Q_PERCENT, PACT_ROLE_GPU_UTIL_MEM, 1, "util_mem",
         1},
        {K_MEM, PACT_Q_VALUE, PACT_ROLE_NONE, 0, "mem_used_mib",
         1.0 / 1048576.0},
        {K_TEMP, PACT_Q_VALUE, PACT_ROLE_NONE, 0, "temp_c", 1},
        {K_CLOCK, PACT_Q_VALUE, PACT_ROLE_NONE, 0, "sm_clock_mhz", 1},
    };
    int want[K_N] = {
        [K_POWER] = g->method != M_NONE,
        [K_ENERGY] = g->method == M_ENERGY,
        [K_SAMPLED] = g->has[C_SAMPLED],
        [K_UTIL_SM] = g->has[C_UTIL],
        [K_UTIL_MEM] = g->has[C_UTIL],
        [K_MEM] = detail && g->has[C_MEM],
        [K_TEMP] = detail && g->has[C_TEMP],
        [K_CLOCK] = detail && g->has[C_CLOCK],
    };
    for (int k = 0; k < K_N; k++) {
        g->col[def[k].col] = -1;
        if (!want[k])
            continue;
        g->col[def[k].col] = n;
        if (ch) {
            int energy = def[k].col == K_POWER && g->method == M_ENERGY;
            add_channel(&ch[n], g->index, def[k].suffix,
                        energy ? PACT_Q_ENERGY_J : def[k].quantity,
                        def[k].role, energy ? 0 : def[k].fast,
                        def[k].resolution);
            if (def[k].col == K_POWER)
                snprintf(ch[n].method, sizeof ch[n].method, "%s",
                         g->method == M_ENERGY ? "NVML energy counter"
                         : g->method == M_INSTANT
                             ? "NVML instant power, averaged"
                             : "NVML power usage, averaged");
        }
        n++;
    }
    return n;
}

/* Columns needed for GPUs [0, ngpu). */
static int columns(struct nvml_state *s, int ngpu, int detail)
{
    int n = 0;
    for (int i = 0; i < ngpu; i++)
        n = gpu_channels(&s->gpu[i], NULL, n, detail);
    return n;
}

static int nvml_open(const struct pact_sensor_env *env, void **state,
                     struct pact_channel *ch, int max, char *why,
                     size_t len)
{
    struct nvml_state *s;
    *state = NULL;
    int n = discover(env, &s, why, len);
    if (n == PACT_ENODEVICE) {
        /* A library the user named that does not load is said, not
         * taken for "no GPU". */
        const char *lib = pact__trusted_env(PACT_NVML_LIB_ENV);
        if (lib && *lib)
            pact__log(PACT_LOG_WARN, "nvml: %s", why);
    }
    if (n < 0)
        return n == PACT_ENODEVICE ? 0 : n; /* unavailable: no columns */
    if (n == 0) {
        state_free(s);
        return 0;
    }
    /* Every column if they fit, else without memory, temperature and
     * clock, else fewer GPUs (PACT_MAX_CHANNELS bounds a sensor). */
    int detail = columns(s, s->ngpu, 1) <= max;
    int keep = s->ngpu;
    while (!detail && keep > 0 && columns(s, keep, 0) > max)
        keep--;
    if (keep < s->ngpu) {
        pact__log(PACT_LOG_WARN,
                  "nvml: %d GPUs but room for %d; only gpu%u..gpu%u are "
                  "reported, choose others with --gpus", s->ngpu, keep,
                  s->gpu[0].index, keep ? s->gpu[keep - 1].index : 0);
        s->ngpu = keep;
    } else if (!detail) {
        pact__log(PACT_LOG_NOTICE,
                  "nvml: %d GPUs: memory, temperature and clock columns "
                  "left out to fit; power and utilisation kept", s->ngpu);
    }
    int nch = 0;
    for (int i = 0; i < s->ngpu; i++) {
        struct gpu *g = &s->gpu[i];
        nch = gpu_channels(g, ch, nch, detail);
        pact__log(PACT_LOG_NOTICE, "nvml: gpu%u %s (%s): %s",
                  g->index, g->name, g->uuid[0] ? g->uuid : "no UUID",
                  method_text(g->method));
        if (g->mig_on)
            pact__log(PACT_LOG_NOTICE,
                      "nvml: gpu%u: MIG mode is on (%u instance%s); power "
                      "and energy are for the whole GPU, utilisation is "
                      "not reported per instance", g->index, g->mig,
                      g->mig == 1 ? "" : "s");
    }
    describe(s, why, len);
    *state = s;
    return nch;
}

/* Record a call's outcome.  Returns 1 when the GPU fell off the bus
 * (logged here, once; the caller stops reading it). */
static int settle(struct gpu *g, int call, nvmlReturn_t rc, int64_t t_ns)
{
    if (rc == NVML_ERROR_GPU_IS_LOST) {
        if (!g->lost)
            pact__log(PACT_LOG_WARN,
                      "nvml: gpu%u %s fell off the bus (NVML: %s); its columns "
                      "stay empty, the run goes on, asked again every "
                      "%lld s", g->index, g->name, errstr(rc),
                      PACT_NVML_RETRY_NS / 1000000000LL);
        g->lost = 1;
        g->retry_ns = t_ns + PACT_NVML_RETRY_NS;
        g->slow_ns = 0;
        g->slow_valid = 0;
        return 1;
    }
    if (g->lost) {
        pact__log(PACT_LOG_NOTICE, "nvml: gpu%u %s answers again",
                  g->index, g->name);
        g->lost = 0;
    }
    g->rc[call] = rc;
    return 0;
}

static void put(struct pact_sample *out, int col, double v)
{
    if (col >= 0) {
        out[col].value = v;
        out[col].ok = 1;
    }
}

/* Re-read utilisation, memory, temperature, clock.  1 if lost. */
static int read_slow(struct gpu *g, int64_t t_ns)
{
    nvmlUtilization_t u;
    nvmlMemory_t m;
    unsigned int v;
    if (g->has[C_UTIL]) {
        nvmlReturn_t rc = read_util(g->dev, &u);
        if (settle(g, C_UTIL, rc, t_ns))
            return 1;
        if (rc == NVML_SUCCESS)
            g->util = u;
    }
    if (g->col[K_MEM] >= 0) {
        nvmlReturn_t rc = read_mem(g->dev, &m);
        if (settle(g, C_MEM, rc, t_ns))
            return 1;
        if (rc == NVML_SUCCESS)
            g->memory = m;
    }
    if (g->col[K_TEMP] >= 0) {
        nvmlReturn_t rc = read_temp(g->dev, &v);
        if (settle(g, C_TEMP, rc, t_ns))
            return 1;
        if (rc == NVML_SUCCESS)
            g->temp_c = v;
    }
    if (g->col[K_CLOCK] >= 0) {
        nvmlReturn_t rc = read_clock(g->dev, &v);
        if (settle(g, C_CLOCK, rc, t_ns))
            return 1;
        if (rc == NVML_SUCCESS)
            g->clock_mhz = v;
    }
    g->slow_ns = t_ns;
    g->slow_valid = 1;
    return 0;
}

static void read_gpu(struct gpu *g, int64_t t_ns, struct pact_sample *out)
{
    if (g->lost && t_ns < g->retry_ns)
        return;
    int before[C_N];
    memcpy(before, g->rc, sizeof before);
    if (g->method != M_NONE) {
        nvmlReturn_t rc;
        unsigned long long mj = 0;
        double mw = 0;
        if (g->method == M_ENERGY)
            rc = read_energy(g->dev, &mj);
        else if (g->method == M_INSTANT)
            rc = read_instant(g->dev, &mw);
        else
            rc = read_usage(g->dev, &mw);
        if (settle(g, C_POWER, rc, t_ns))
            return;
        if (rc == NVML_SUCCESS && g->method == M_ENERGY) {
            energy_add(g, mj);
            put(out, g->col[K_POWER], (double)g->e_cum_mj / 1000.0);
            put(out, g->col[K_ENERGY], (double)g->e_cum_mj / 1000.0);
        } else if (rc == NVML_SUCCESS) {
            put(out, g->col[K_POWER], mw / 1000.0);
        }
    }
    if (g->sampled != M_NONE) {
        double mw = 0;
        nvmlReturn_t rc = g->sampled == M_INSTANT ? read_instant(g->dev, &mw)
                                                  : read_usage(g->dev, &mw);
        if (settle(g, C_SAMPLED, rc, t_ns))
            return;
        if (rc == NVML_SUCCESS)
            put(out, g->col[K_SAMPLED], mw / 1000.0);
    }
    if (!g->slow_valid || t_ns - g->slow_ns >= PACT_NVML_SLOW_NS ||
        t_ns < g->slow_ns) {
        if (read_slow(g, t_ns))
            return;
    }
    if (g->rc[C_UTIL] == NVML_SUCCESS) {
        put(out, g->col[K_UTIL_SM], g->util.gpu);
        put(out, g->col[K_UTIL_MEM], g->util.memory);
    }
    if (g->rc[C_MEM] == NVML_SUCCESS)
        put(out, g->col[K_MEM], (double)g->memory.used / 1048576.0);
    if (g->rc[C_TEMP] == NVML_SUCCESS)
        put(out, g->col[K_TEMP], g->temp_c);
    if (g->rc[C_CLOCK] == NVML_SUCCESS)
        put(out, g->col[K_CLOCK], g->clock_mhz);
    report(g, before);
}

/* Per-GPU failures are flagged per sample and logged here, per GPU and
 * call, so read returns 0 even when every GPU is failing: the tracker's
 * own whole-device line would repeat ours. */
static int nvml_read(void *state, int64_t t_ns, struct pact_sample *out,
                     int n, char *why, size_t len)
{
    struct nvml_state *s = state;
    (void)why;
    (void)len;
    for (int i = 0; i < n; i++) {
        out[i].value = 0;
        out[i].ok = 0;
    }
    if (!s)
        return 0;
    for (int i = 0; i < s->ngpu; i++)
        read_gpu(&s->gpu[i], t_ns, out);
    return 0;
}

static void nvml_close(void *state)
{
    state_free(state);
}

const struct pact_sensor_ops pact_sensor_nvml = {
    .abi = PACT_SENSOR_ABI,
    .name = "nvml",
    .probe = nvml_probe,
    .open = nvml_open,
    .read = nvml_read,
    .close = nvml_close,
};
