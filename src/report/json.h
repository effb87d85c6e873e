/* SPDX-License-Identifier: MIT */
/*
 * json.h - a small JSON reader for the run summary (--summary-json):
 * parses a whole document into a tree.  Numbers keep their source text,
 * so the report can show exactly the figure the summary holds.
 */
#ifndef PACT_REPORT_JSON_H
#define PACT_REPORT_JSON_H

#include <stddef.h>

enum {
    PACT__J_NULL,
    PACT__J_BOOL,
    PACT__J_NUM,
    PACT__J_STR,
    PACT__J_ARR,
    PACT__J_OBJ
};

struct pact__json {
    int type;
    char *key;  /* member name inside an object, else NULL */
    char *text; /* string value, or a number's source text */
    double num; /* number, or 1/0 for a bool */
    struct pact__json *child, *next;
};

/* Parses the file PATH.  NULL with why filled on error. */
struct pact__json *pact__json_load(const char *path, char *why, size_t len);
/* Member KEY of object O (NULL if O is not an object or has none). */
const struct pact__json *pact__json_get(const struct pact__json *o,
                                        const char *key);
/* The member's number, or NAN when missing, null or not a number. */
double pact__json_num(const struct pact__json *o, const char *key);
/* The member's string, or NULL. */
const char *pact__json_str(const struct pact__json *o, const char *key);
void pact__json_free(struct pact__json *j);

#endif
