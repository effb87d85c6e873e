/* SPDX-License-Identifier: MIT */
/*
 * secenv.h - environment variables that load code or redirect reads
 * (PACT_NVML_LIB, PACT_SYSROOT, PACT_DATA_DIR) are ignored, with one
 * notice each, when pact runs with elevated privileges: setuid/setgid,
 * file capabilities (the kernel's AT_SECURE), or effective capabilities
 * held by a user other than root.  See docs/security.md.
 */
#ifndef PACT_CORE_SECENV_H
#define PACT_CORE_SECENV_H

/* 1 when the process holds privileges its caller may not have. */
int pact__privileged(void);

/* getenv(name), or NULL (with a notice) when privileged. */
const char *pact__trusted_env(const char *name);

#endif
