/* SPDX-License-Identifier: MIT */
/*
 * rowq.c - the queue of held-back rows (rowq.h).
 */
#include "core/rowq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void *dup_mem(const void *p, size_t n)
{
    void *c = malloc(n ? n : 1);
    if (c && n)
        memcpy(c, p, n);
    return c;
}

int pact__rowq_push(struct pact__rowq *q, const struct pact__row *r)
{
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        struct pact__row *g = realloc(q->rows, cap * sizeof *g);
        if (!g)
            return -ENOMEM;
        q->rows = g;
        q->cap = cap;
    }
    struct pact__row c = *r;
    c.ch_value = dup_mem(r->ch_value, (size_t)r->nch * sizeof(double));
    c.ch_u = r->ch_u ? dup_mem(r->ch_u, (size_t)r->nch * sizeof(double))
                     : NULL;
    c.ctr_value = dup_mem(r->ctr_value, (size_t)r->nctr * sizeof(double));
    c.region = strdup(r->region ? r->region : "");
    if (!c.ch_value || !c.ctr_value || !c.region || (r->ch_u && !c.ch_u)) {
        free((void *)c.ch_value);
        free((void *)c.ch_u);
        free((void *)c.ctr_value);
        free((void *)c.region);
        return -ENOMEM;
    }
    q->rows[q->n++] = c;
    return 0;
}

void pact__rowq_clear(struct pact__rowq *q)
{
    for (size_t i = 0; i < q->n; i++) {
        free((void *)q->rows[i].ch_value);
        free((void *)q->rows[i].ch_u);
        free((void *)q->rows[i].ctr_value);
        free((void *)q->rows[i].region);
    }
    free(q->rows);
    memset(q, 0, sizeof *q);
}
