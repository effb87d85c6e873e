/* SPDX-License-Identifier: MIT */
/*
 * psu_emu.c - the family-neutral half of the PSU emulator: model lookup,
 * state reload on every request, request length check, the hang-up and
 * garbage faults, and dispatch to the Corsair or NZXT answerer.
 */
#include "psu_emu/psu_emu.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int pact__psu_emu_new(const char *model, const char *state_path,
                      struct pact__psu_emu **out)
{
    *out = NULL;
    const struct pact__corsair_model *cm = pact__corsair_model_by_emu(model);
    const struct pact__nzxt_model *nm = cm ? NULL
                                           : pact__nzxt_model_by_emu(model);
    if (!cm && !nm)
        return -ENOENT;
    struct pact__psu_emu *e = calloc(1, sizeof *e);
    if (!e)
        return -ENOMEM;
    e->family = cm ? PACT_EMU_CORSAIR : PACT_EMU_NZXT;
    e->cm = cm;
    e->nm = nm;
    if (state_path && !(e->state_path = strdup(state_path))) {
        free(e);
        return -ENOMEM;
    }
    e->rng = 0x2545F491u;
    e->power_cycle = NAN;
    pact__emu_state_defaults(&e->st, e->family);
    *out = e;
    return 0;
}

void pact__psu_emu_free(struct pact__psu_emu *e)
{
    if (!e)
        return;
    free(e->state_path);
    free(e);
}

int pact__psu_emu_reload(struct pact__psu_emu *e)
{
    int r = pact__emu_state_load(&e->st, e->family, e->state_path);
    double pc = e->st.v[EK_POWER_CYCLE];
    if (!isnan(e->power_cycle) && pc != e->power_cycle) {
        /* Standby power dropped: the micro-controller starts over. */
        e->inited = 0;
        e->page = 0;
    }
    e->power_cycle = pc;
    return r;
}

int pact__psu_emu_unplugged(struct pact__psu_emu *e)
{
    pact__psu_emu_reload(e);
    return e->st.fault == PACT_FAULT_DISCONNECT;
}

int pact__psu_emu_fault_on(const struct pact__psu_emu *e, int cmd)
{
    return e->st.fault != PACT_FAULT_NONE &&
           (e->st.fault_cmd < 0 || e->st.fault_cmd == cmd);
}

static uint32_t next(struct pact__psu_emu *e)
{
    /* xorshift32: deterministic, so a failing test replays. */
    uint32_t x = e->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return e->rng = x;
}

void pact__psu_emu_garbage(struct pact__psu_emu *e, const uint8_t *req,
                           uint8_t *rep)
{
    for (int i = 0; i < 64; i++)
        rep[i] = (uint8_t)next(e);
    /* Never a valid first byte: not the request's, not a reply marker. */
    while (rep[0] == req[0] || rep[0] == 0xAA || rep[0] == 0x02 ||
           rep[0] == 0x03 || rep[0] == 0xFE)
        rep[0] = (uint8_t)(rep[0] + 0x11);
}

int pact__psu_emu_answer(struct pact__psu_emu *e, const uint8_t *req, int n,
                         uint8_t *rep)
{
    e->requests++;
    pact__psu_emu_reload(e);
    if (e->st.fault == PACT_FAULT_DISCONNECT)
        return PACT_EMU_HANGUP;
    if (n != 64) {
        /* e.g. 65 bytes: a hidraw report-number byte sent to the wire. */
        e->bad++;
        return PACT_EMU_SILENT;
    }
    return e->family == PACT_EMU_CORSAIR ? pact__psu_emu_corsair(e, req, rep)
                                         : pact__psu_emu_nzxt(e, req, rep);
}

int pact__psu_emu_strays(struct pact__psu_emu *e, const uint8_t *req,
                         uint8_t (*rep)[64], int max)
{
    int k = (int)e->st.v[EK_STRAY_REPLIES];
    if (k > max)
        k = max;
    for (int i = 0; i < k; i++) {
        if (e->family == PACT_EMU_CORSAIR)
            pact__psu_emu_corsair_other(e, req, rep[i]);
        else
            pact__psu_emu_nzxt_other(e, req, rep[i]);
    }
    return k > 0 ? k : 0;
}
