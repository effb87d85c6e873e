/* SPDX-License-Identifier: MIT */
/*
 * rowq.h - closed rows held back while the run's first seconds decide
 * which sources are live (liveness.h): deep copies of the window values,
 * counters and region, released in order once the basis is chosen.
 */
#ifndef PACT_CORE_ROWQ_H
#define PACT_CORE_ROWQ_H

#include <stddef.h>

#include "core/row.h"

struct pact__rowq {
    struct pact__row *rows;
    size_t n, cap;
};

/* Append a deep copy of r; 0 or -ENOMEM. */
int pact__rowq_push(struct pact__rowq *q, const struct pact__row *r);
/* Free the copies; the queue is empty and reusable. */
void pact__rowq_clear(struct pact__rowq *q);

#endif
