/* SPDX-License-Identifier: MIT */
/*
 * nvml_errstr.c - names and texts of every NVML return code (nvml.h,
 * CUDA 11.5-12.6), in our own words.  The driver prefers the library's
 * nvmlErrorString and falls back to this table when an old or partial
 * library does not export it.
 */
#include "sensors/nvml_api.h"

#define NVML_CODES(XX)                                                      \
    XX(NVML_SUCCESS, "success")                                             \
    XX(NVML_ERROR_UNINITIALIZED, "NVML was not initialised")                \
    XX(NVML_ERROR_INVALID_ARGUMENT, "invalid argument")                     \
    XX(NVML_ERROR_NOT_SUPPORTED, "not supported on this GPU")               \
    XX(NVML_ERROR_NO_PERMISSION, "permission denied")                       \
    XX(NVML_ERROR_ALREADY_INITIALIZED, "already initialised")               \
    XX(NVML_ERROR_NOT_FOUND, "not found")                                   \
    XX(NVML_ERROR_INSUFFICIENT_SIZE, "buffer too small")                    \
    XX(NVML_ERROR_INSUFFICIENT_POWER,                                       \
       "external power cables not connected")                               \
    XX(NVML_ERROR_DRIVER_NOT_LOADED, "NVIDIA kernel driver not loaded")     \
    XX(NVML_ERROR_TIMEOUT, "timed out")                                     \
    XX(NVML_ERROR_IRQ_ISSUE, "interrupt problem with the GPU")              \
    XX(NVML_ERROR_LIBRARY_NOT_FOUND, "NVML shared library not found")       \
    XX(NVML_ERROR_FUNCTION_NOT_FOUND,                                       \
       "function not found in this NVML library (driver too old)")          \
    XX(NVML_ERROR_CORRUPTED_INFOROM, "GPU infoROM is corrupted")            \
    XX(NVML_ERROR_GPU_IS_LOST, "GPU is lost (fell off the bus)")            \
    XX(NVML_ERROR_RESET_REQUIRED, "GPU needs a reset")                      \
    XX(NVML_ERROR_OPERATING_SYSTEM, "blocked by the operating system")      \
    XX(NVML_ERROR_LIB_RM_VERSION_MISMATCH,                                  \
       "NVML library and kernel driver versions differ")                    \
    XX(NVML_ERROR_IN_USE, "GPU is in use")                                  \
    XX(NVML_ERROR_MEMORY, "out of memory")                                  \
    XX(NVML_ERROR_NO_DATA, "no data")                                       \
    XX(NVML_ERROR_VGPU_ECC_NOT_SUPPORTED,                                   \
       "vGPU operation not supported with ECC on")                          \
    XX(NVML_ERROR_INSUFFICIENT_RESOURCES, "insufficient resources")         \
    XX(NVML_ERROR_FREQ_NOT_SUPPORTED, "frequency not supported")            \
    XX(NVML_ERROR_ARGUMENT_VERSION_MISMATCH, "struct version mismatch")     \
    XX(NVML_ERROR_DEPRECATED, "deprecated")                                 \
    XX(NVML_ERROR_NOT_READY, "not ready")                                   \
    XX(NVML_ERROR_GPU_NOT_FOUND, "GPU not found")                           \
    XX(NVML_ERROR_INVALID_STATE, "invalid state")                           \
    XX(NVML_ERROR_UNKNOWN, "unknown NVML error")

const char *pact__nvml_code_text(nvmlReturn_t rc)
{
    switch (rc) {
#define XX(code, text) \
    case code:         \
        return text;
        NVML_CODES(XX)
#undef XX
    default:
        return "unknown NVML error";
    }
}

const char *pact__nvml_code_name(nvmlReturn_t rc)
{
    switch (rc) {
#define XX(code, text) \
    case code:         \
        return #code;
        NVML_CODES(XX)
#undef XX
    default:
        return "NVML_ERROR_?";
    }
}
