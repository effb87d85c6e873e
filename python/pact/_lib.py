# SPDX-License-Identifier: MIT
"""ctypes view of libpact: finds the library, mirrors the structures of
include/pact/pact.h field for field, declares the prototypes, and routes
the library's log messages to Python (warnings for WARN and ERROR, the
"pact" logger for the rest).  Nothing here measures or computes."""

import ctypes
import ctypes.util
import logging
import os
import threading
import warnings

API_VERSION = 0x0200  # PACT_API_VERSION this wrapper was written for

LOG_ERROR, LOG_WARN, LOG_NOTICE, LOG_DEBUG = 0, 1, 2, 3

# PACT_ERRNO_MAP
EBADCONFIG, EBADEVENT, ENOTSUP_EVENT, EPROTO = -4001, -4002, -4003, -4004
ENODEVICE, EFORMAT, ESTATE, ENUMERIC = -4005, -4006, -4007, -4008
EABI = -4009

logger = logging.getLogger("pact")


class PactWarning(UserWarning):
    """A library message of level WARN or ERROR (e.g. a missing PSU)."""


class PactError(OSError):
    """A libpact call failed: errno is the library's code (< 0), strerror
    its one-line message."""


# ---- Finding the library ----

def _candidates():
    env = os.environ.get("PACT_LIBRARY")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    # The source tree: python/pact/../../build/libpact.so
    yield os.path.join(here, os.pardir, os.pardir, "build", "libpact.so")
    # An install: PREFIX/lib/python3*/.../pact -> PREFIX/lib/libpact.so.0
    d = os.path.dirname(here)
    for _ in range(4):
        d = os.path.dirname(d)
        yield os.path.join(d, "lib", "libpact.so.0")
    found = ctypes.util.find_library("pact")
    if found:
        yield found


def _load():
    tried = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            tried.append(path)
            continue
        try:
            return ctypes.CDLL(os.path.normpath(path) if os.sep in path
                               else path)
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError(
        "pact: libpact.so not found (tried: %s); build it with 'make', "
        "install it with 'make install', or set PACT_LIBRARY to its path"
        % (", ".join(tried) or "nothing"))


lib = _load()


def _check_api(lib):
    """Refuse a library whose API major differs from this wrapper's (the
    structures below would not match it) or whose minor is older (it
    lacks calls or fields used here)."""
    try:
        f = lib.pact_api_version
    except AttributeError:
        have = None
    else:
        f.restype = ctypes.c_uint
        f.argtypes = []
        have = f()
    if have is None or have >> 8 != API_VERSION >> 8 or \
            have & 0xff < API_VERSION & 0xff:
        raise ImportError(
            "pact: this wrapper needs libpact API %d.%d (any %d.x from "
            "%d.%d on); %s has %s: install the libpact and python/pact of "
            "the same release"
            % (API_VERSION >> 8, API_VERSION & 0xff, API_VERSION >> 8,
               API_VERSION >> 8, API_VERSION & 0xff, lib._name,
               "API %d.%d" % (have >> 8, have & 0xff) if have is not None
               else "no pact_api_version (API 1.0 or older)"))
    return have


lib_api_version = _check_api(lib)


# ---- Structures: exactly the field order and types of pact.h ----

class Config(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("version", ctypes.c_uint32),
        ("measure_period_s", ctypes.c_double),
        ("perf_period_s", ctypes.c_double),
        ("events", ctypes.c_char_p),
        ("output_path", ctypes.c_char_p),
        ("sysroot", ctypes.c_char_p),
        ("scope", ctypes.c_int32),
        ("counter_mode", ctypes.c_int32),
        ("workload_pid", ctypes.c_int32),
        ("psu_detail", ctypes.c_int32),
        ("psu", ctypes.c_char_p),
        ("psu_device", ctypes.c_char_p),
        ("gpus", ctypes.c_char_p),
        ("no_estimate", ctypes.c_int32),
        ("quiet", ctypes.c_int32),
        ("psu_efficiency", ctypes.c_double),
        ("psu_rating", ctypes.c_char_p),
        ("country", ctypes.c_char_p),
        ("carbon_intensity", ctypes.c_double),
        ("intensity_file", ctypes.c_char_p),
        ("pue", ctypes.c_double),
        ("model_path", ctypes.c_char_p),
        ("data_dir", ctypes.c_char_p),
        ("power_sample_period_s", ctypes.c_double),
        ("realtime", ctypes.c_int32),
        ("labels", ctypes.c_char_p),
        ("textfile_dir", ctypes.c_char_p),
    ]


class SummaryC(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("version", ctypes.c_uint32),
        ("duration_s", ctypes.c_double),
        ("rows", ctypes.c_uint64),
        ("energy_j", ctypes.c_double),
        ("energy_uncertainty_j", ctypes.c_double),
        ("avg_power_w", ctypes.c_double),
        ("peak_power_w", ctypes.c_double),
        ("co2_g", ctypes.c_double),
        ("carbon_intensity_g_per_kwh", ctypes.c_double),
        ("psu_efficiency", ctypes.c_double),
        ("pue", ctypes.c_double),
        ("cpu_energy_j", ctypes.c_double),
        ("gpu_energy_j", ctypes.c_double),
        ("psu_dc_energy_j", ctypes.c_double),
        ("total_basis", ctypes.c_char * 96),
        ("carbon_intensity_source", ctypes.c_char * 128),
        ("predicted_energy_j", ctypes.c_double),
        ("basis", ctypes.c_char * 16),
        ("basis_lower_bound", ctypes.c_int32),
        ("uncertainty_k", ctypes.c_double),
        ("gap_windows", ctypes.c_uint64),
        ("basis_why", ctypes.c_char * 256),
        ("dropped_sources", ctypes.c_char * 512),
        ("wall_clock_jumps", ctypes.c_uint32),
        ("wall_clock_jump_s", ctypes.c_double),
    ]


class SourceSummaryC(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("version", ctypes.c_uint32),
        ("name", ctypes.c_char * 48),
        ("energy_j", ctypes.c_double),
        ("avg_power_w", ctypes.c_double),
        ("peak_power_w", ctypes.c_double),
        ("estimated", ctypes.c_int32),
        ("samples", ctypes.c_int32),
        ("method", ctypes.c_char * 48),
    ]


class LiveC(ctypes.Structure):
    _fields_ = [
        ("size", ctypes.c_uint32),
        ("version", ctypes.c_uint32),
        ("elapsed_s", ctypes.c_double),
        ("rows", ctypes.c_uint64),
        ("total_power_w", ctypes.c_double),
        ("psu_power_w", ctypes.c_double),
        ("cpu_power_w", ctypes.c_double),
        ("gpu_power_w", ctypes.c_double),
        ("energy_j", ctypes.c_double),
        ("cpu_estimated", ctypes.c_int32),
        ("total_estimated", ctypes.c_int32),
    ]


# ---- Prototypes ----

LOG_FN = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_void_p)
_T = ctypes.c_void_p  # struct pact_tracker *, opaque


def _proto(name, restype, *argtypes):
    f = getattr(lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


strerror = _proto("pact_strerror", ctypes.c_char_p, ctypes.c_int)
err_name = _proto("pact_err_name", ctypes.c_char_p, ctypes.c_int)
set_log = _proto("pact_set_log", None, LOG_FN, ctypes.c_void_p)
# The *_sized calls take the caller's sizeof: the library refuses a
# structure shorter than its own (PACT_EABI) instead of writing past it.
_config_init_sized = _proto("pact_config_init_sized", ctypes.c_int,
                            ctypes.POINTER(Config), ctypes.c_size_t)


def config_init(cfg_ref):
    """pact_config_init(): fill a Config (passed by reference) with the
    defaults; raises PactError if the library's struct is larger."""
    return check(_config_init_sized(cfg_ref, ctypes.sizeof(Config)))

tracker_new = _proto("pact_tracker_new", ctypes.c_int,
                     ctypes.POINTER(Config), ctypes.POINTER(_T),
                     ctypes.c_char_p, ctypes.c_size_t)
tracker_start = _proto("pact_tracker_start", ctypes.c_int, _T)
tracker_stop = _proto("pact_tracker_stop", ctypes.c_int, _T)
tracker_free = _proto("pact_tracker_free", None, _T)
tracker_errmsg = _proto("pact_tracker_errmsg", ctypes.c_char_p, _T)
tracker_set_region = _proto("pact_tracker_set_region", ctypes.c_int, _T,
                            ctypes.c_char_p)
_tracker_summary_sized = _proto("pact_tracker_summary_sized", ctypes.c_int,
                                _T, ctypes.POINTER(SummaryC),
                                ctypes.c_size_t)
tracker_source_count = _proto("pact_tracker_source_count", ctypes.c_int, _T)
_tracker_source_get_sized = _proto("pact_tracker_source_get_sized",
                                   ctypes.c_int, _T, ctypes.c_int,
                                   ctypes.POINTER(SourceSummaryC),
                                   ctypes.c_size_t)
tracker_region_energy = _proto("pact_tracker_region_energy", ctypes.c_double,
                               _T, ctypes.c_char_p)
_tracker_live_sized = _proto("pact_tracker_live_sized", ctypes.c_int, _T,
                             ctypes.POINTER(LiveC), ctypes.c_size_t)


def tracker_summary(h, out_ref):
    return _tracker_summary_sized(h, out_ref, ctypes.sizeof(SummaryC))


def tracker_source_get(h, i, out_ref):
    return _tracker_source_get_sized(h, i, out_ref,
                                     ctypes.sizeof(SourceSummaryC))


def tracker_live(h, out_ref):
    return _tracker_live_sized(h, out_ref, ctypes.sizeof(LiveC))
version = _proto("pact_version", ctypes.c_char_p)


def decode(b):
    return b.decode("utf-8", "replace") if b is not None else None


def check(rc, what=None):
    """Raise PactError for a negative return code."""
    if rc < 0:
        raise PactError(rc, what or decode(strerror(rc)))
    return rc


# ---- Logging ----

# Counts WARN-or-worse messages that mention the PSU, so the decorator can
# tell whether the library already said that the PSU is missing.
psu_warnings = 0
_count_lock = threading.Lock()


def _route(level, msg, user):
    global psu_warnings
    # Runs on whichever thread logged (often the sampling thread); it must
    # never raise into C.
    try:
        text = decode(msg)
        if level <= LOG_WARN:
            if "psu" in text.lower():
                with _count_lock:
                    psu_warnings += 1
            warnings.warn("pact: " + text, PactWarning, stacklevel=2)
        elif level == LOG_NOTICE:
            logger.info("%s", text)
        else:
            logger.debug("%s", text)
    except Exception:  # noqa: BLE001 - a warnings filter set to "error"
        try:
            logger.warning("%s", decode(msg))
        except Exception:  # noqa: BLE001
            pass


# The callback object must outlive every call into the library: keep it
# in a module global for the life of the process.
_log_callback = LOG_FN(_route)
set_log(_log_callback, None)
