# SPDX-License-Identifier: MIT
"""The wrapper and the library agree on versions and sizes: the wrapper
refuses, at import, a library of another API major (or one too old to say
its version), naming the versions it needs; and the library refuses a
structure shorter than its own instead of writing past its end (a Config
one field short, as a stale mirror would be)."""

import ctypes
import os
import subprocess
import sys

import pytest

import pact
from pact import _lib
from conftest import BUILD, REPO


def import_with(library):
    env = dict(os.environ, PACT_LIBRARY=library,
               PYTHONPATH=os.path.join(REPO, "python"))
    return subprocess.run([sys.executable, "-c", "import pact"], env=env,
                          capture_output=True, text=True, cwd="/",
                          timeout=60)


def test_loaded_library_has_the_wrappers_api():
    assert _lib.lib_api_version == _lib.API_VERSION == 0x0200


def test_refuses_an_api_1_library():
    old = os.path.join(BUILD, "fakes", "libpact_api1.so")
    if not os.path.exists(old):
        pytest.skip("%s not built (make test-progs)" % old)
    r = import_with(old)
    assert r.returncode != 0
    assert "needs libpact API 2.0" in r.stderr
    assert "has API 1.0" in r.stderr


def test_refuses_a_library_without_a_version():
    # Any shared object without pact_api_version (here a fake NVML).
    other = os.path.join(BUILD, "fakes", "fake_nvml.so")
    if not os.path.exists(other):
        pytest.skip("%s not built (make test-progs)" % other)
    r = import_with(other)
    assert r.returncode != 0
    assert "no pact_api_version" in r.stderr


class ShortConfig(ctypes.Structure):
    """Config without its last field: a mirror one field short."""
    _fields_ = _lib.Config._fields_[:-1]


def test_short_config_is_refused_and_untouched():
    assert ctypes.sizeof(ShortConfig) < ctypes.sizeof(_lib.Config)
    # Room past the short struct, to see that nothing is written there.
    buf = (ctypes.c_ubyte * (ctypes.sizeof(_lib.Config) + 64))()
    ctypes.memset(buf, 0xA5, ctypes.sizeof(buf))
    rc = _lib._config_init_sized(ctypes.cast(buf, ctypes.POINTER(_lib.Config)),
                                 ctypes.sizeof(ShortConfig))
    assert rc == _lib.EABI
    assert set(bytes(buf)) == {0xA5}


def test_short_summary_is_refused():
    with pact.Tracker(output="", measure_period=0.05, perf_period=0.05,
                      psu="none") as t:
        h = t._handle()
        buf = (ctypes.c_ubyte * (ctypes.sizeof(_lib.SummaryC) + 64))()
        ctypes.memset(buf, 0x5A, ctypes.sizeof(buf))
        rc = _lib._tracker_summary_sized(
            h, ctypes.cast(buf, ctypes.POINTER(_lib.SummaryC)),
            ctypes.sizeof(_lib.SummaryC) - 8)
        assert rc == _lib.EABI
        assert set(bytes(buf)) == {0x5A}
        assert "pact_summary" in _lib.decode(_lib.tracker_errmsg(h))
        # The right size is filled, with the header set.
        c = _lib.SummaryC()
        assert _lib.tracker_summary(h, ctypes.byref(c)) == 0
        assert c.size == ctypes.sizeof(_lib.SummaryC)
        assert c.version == _lib.API_VERSION
