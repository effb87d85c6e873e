/* SPDX-License-Identifier: MIT */
/*
 * error.c - pact_strerror() and pact_err_name(), generated from the one
 * PACT_ERRNO_MAP list in pact.h, with libc's strerror for -errno codes.
 */
#include "pact/pact.h"

#include <string.h>

const char *pact_strerror(int err)
{
    switch (err) {
#define XX(name, val, msg) \
    case val:              \
        return msg;
        PACT_ERRNO_MAP(XX)
#undef XX
    default:
        break;
    }
    if (err < 0 && err > -4000)
        return strerror(-err);
    return err == 0 ? "success" : "unknown error";
}

const char *pact_err_name(int err)
{
    switch (err) {
#define XX(name, val, msg) \
    case val:              \
        return "PACT_" #name;
        PACT_ERRNO_MAP(XX)
#undef XX
    default:
        break;
    }
    if (err < 0 && err > -4000) {
        const char *n = strerrorname_np(-err);
        return n ? n : "E?";
    }
    return err == 0 ? "OK" : "E?";
}
