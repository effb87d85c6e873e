/* SPDX-License-Identifier: MIT */
/*
 * nvml_init.c - nvmlInit_v2 on a thread with a timed wait (see
 * nvml_init.h).  The waiter and the thread share one heap block with a
 * reference count, so whichever leaves last frees it, even when the
 * thread returns long after the waiter gave up.
 */
#include "sensors/nvml_init.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct call {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    nvmlReturn_t (*init)(void);
    nvmlReturn_t rc;
    int done, refs;
};

static void drop(struct call *c)
{
    int last = --c->refs == 0;
    pthread_mutex_unlock(&c->mu);
    if (last) {
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->mu);
        free(c);
    }
}

static void *run(void *arg)
{
    struct call *c = arg;
    nvmlReturn_t rc = c->init();
    pthread_mutex_lock(&c->mu);
    c->rc = rc;
    c->done = 1;
    pthread_cond_signal(&c->cv);
    drop(c);
    return NULL;
}

double pact__nvml_init_timeout(void)
{
    const char *e = getenv(PACT_NVML_INIT_TIMEOUT_ENV);
    char *end;
    double t = e && *e ? strtod(e, &end) : NAN;
    return e && *e && *end == '\0' && t > 0 ? t : PACT_NVML_INIT_TIMEOUT_S;
}

int pact__nvml_init_timed(nvmlReturn_t (*init)(void), double timeout_s,
                          nvmlReturn_t *rc)
{
    struct call *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, &ca);
    pthread_condattr_destroy(&ca);
    c->init = init;
    c->refs = 2;
    pthread_t th;
    int e = pthread_create(&th, NULL, run, c);
    if (e != 0) {
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->mu);
        free(c);
        return -e;
    }
    pthread_detach(th);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    double whole = floor(timeout_s);
    until.tv_sec += (time_t)whole;
    until.tv_nsec += (long)((timeout_s - whole) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&c->mu);
    while (!c->done &&
           pthread_cond_timedwait(&c->cv, &c->mu, &until) != ETIMEDOUT)
        ;
    int done = c->done;
    if (done)
        *rc = c->rc;
    drop(c);
    return done ? 0 : -ETIMEDOUT;
}
