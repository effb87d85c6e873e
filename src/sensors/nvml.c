/* SPDX-License-Identifier: MIT */
/*
 * nvml.c - the NVML driver's ops: NVIDIA GPU power, energy and
 * utilisation.  Energy first: where the GPU has the total-energy counter
 * (Volta+) the core takes its deltas; elsewhere the instantaneous power
 * field, else nvmlDeviceGetPowerUsage, which the core samples and
 * integrates.  The work is split by job: nvml_lib.c (loading),
 * nvml_discover.c (GPUs, selection, MIG), nvml_layout.c (columns),
 * nvml_read.c (reading); they share nvml_impl.h.
 */
#include "sensors/nvml_impl.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/secenv.h"

/* ---- Driver ops ---- */

static int nvml_probe(const struct pact_sensor_env *env, char *why,
                      size_t len)
{
    struct nvml_state *s;
    int n = pact__nvml_discover(env, &s, why, len);
    if (n < 0)
        return n;
    if (n > 0)
        pact__nvml_describe(s, why, len);
    pact__nvml_state_free(s);
    return n;
}

static int nvml_open(const struct pact_sensor_env *env, void **state,
                     struct pact_channel *ch, int max, char *why,
                     size_t len)
{
    struct nvml_state *s;
    *state = NULL;
    int n = pact__nvml_discover(env, &s, why, len);
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
        pact__nvml_state_free(s);
        return 0;
    }
    /* Every column if they fit, else without memory, temperature and
     * clock, else fewer GPUs (PACT_MAX_CHANNELS bounds a sensor). */
    int detail = pact__nvml_columns(s, s->ngpu, 1) <= max;
    int keep = s->ngpu;
    while (!detail && keep > 0 && pact__nvml_columns(s, keep, 0) > max)
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
        nch = pact__nvml_gpu_channels(g, ch, nch, detail);
        pact__log(PACT_LOG_NOTICE, "nvml: gpu%u %s (%s): %s",
                  g->index, g->name, g->uuid[0] ? g->uuid : "no UUID",
                  pact__nvml_method_text(g->method));
        if (g->mig_on)
            pact__log(PACT_LOG_NOTICE,
                      "nvml: gpu%u: MIG mode is on (%u instance%s); power "
                      "and energy are for the whole GPU, utilisation is "
                      "not reported per instance", g->index, g->mig,
                      g->mig == 1 ? "" : "s");
    }
    pact__nvml_describe(s, why, len);
    *state = s;
    return nch;
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
        pact__nvml_read_gpu(&s->gpu[i], t_ns, out);
    return 0;
}

static void nvml_close(void *state)
{
    pact__nvml_state_free(state);
}

const struct pact_sensor_ops pact_sensor_nvml = {
    .abi = PACT_SENSOR_ABI,
    .name = "nvml",
    .probe = nvml_probe,
    .open = nvml_open,
    .read = nvml_read,
    .close = nvml_close,
};

