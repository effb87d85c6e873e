/* SPDX-License-Identifier: MIT */
/*
 * secenv.c - see secenv.h.  The capability check reads the effective
 * set with capget(2): a non-root user holding any capability (ambient,
 * or from a file capability) counts as privileged.
 */
#include "core/secenv.h"

#include <linux/capability.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/log.h"

static int has_caps(void)
{
    struct __user_cap_header_struct h = {
        .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    if (syscall(SYS_capget, &h, d) != 0)
        return 0;
    return d[0].effective != 0 || d[1].effective != 0;
}

int pact__privileged(void)
{
    if (getauxval(AT_SECURE))
        return 1;
    if (geteuid() != getuid() || getegid() != getgid())
        return 1;
    return getuid() != 0 && has_caps();
}

/* One notice per variable (bit i of the mask). */
static const char *const known[] = {"PACT_NVML_LIB", "PACT_SYSROOT",
                                    "PACT_DATA_DIR"};
static atomic_uint noted;

const char *pact__trusted_env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !pact__privileged())
        return v;
    unsigned bit = 1u << (sizeof known / sizeof known[0]);
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i], name) == 0)
            bit = 1u << i;
    if (!(atomic_fetch_or(&noted, bit) & bit))
        pact__log(PACT_LOG_WARN,
                  "ignoring %s: pact runs with elevated privileges "
                  "(setuid or capabilities), so it does not take code or "
                  "file locations from the environment (docs/security.md)",
                  name);
    return NULL;
}
