# SPDX-License-Identifier: MIT
"""The wrapper matches the library: every ctypes structure has the field
order, offsets and sizes of pact.h (as a C helper compiled against it
reports), and the library is found in each documented place."""

import ctypes
import os
import shutil
import subprocess
import sys

import pytest

import pact
from pact import _lib
from conftest import BUILD, REPO

STRUCTS = {"pact_config": _lib.Config, "pact_summary": _lib.SummaryC,
           "pact_source_summary": _lib.SourceSummaryC,
           "pact_live": _lib.LiveC}


def c_layout():
    helper = os.path.join(BUILD, "tests", "helpers", "abi_layout")
    if not os.access(helper, os.X_OK):
        pytest.fail("%s is missing: make test-progs builds it" % helper)
    out = subprocess.run([helper], check=True, capture_output=True,
                         text=True).stdout
    layout = {}
    for line in out.splitlines():
        struct, field, off, size = line.split()
        layout.setdefault(struct, []).append((field, int(off), int(size)))
    return layout


@pytest.mark.parametrize("name", sorted(STRUCTS))
def test_struct_layout_matches_pact_h(name):
    c = c_layout()[name]
    assert c[0][0] == "-"
    cls = STRUCTS[name]
    assert ctypes.sizeof(cls) == c[0][2]
    py = [(f, getattr(cls, f).offset, getattr(cls, f).size)
          for f, _ in cls._fields_]
    assert py == c[1:]


def test_config_init_agrees_on_the_size():
    cfg = _lib.Config()
    _lib.config_init(ctypes.byref(cfg))
    assert cfg.size == ctypes.sizeof(_lib.Config)
    assert cfg.measure_period_s > 0 and cfg.events


def test_api_version_and_strerror():
    assert pact.__version__ == _lib.decode(_lib.version())
    assert _lib.decode(_lib.strerror(_lib.EBADEVENT)) == \
        "unknown or malformed event name"
    assert _lib.decode(_lib.err_name(_lib.ESTATE)) == "PACT_ESTATE"


def import_in_child(env, pythonpath):
    env = dict(env, PYTHONPATH=pythonpath)
    return subprocess.run(
        [sys.executable, "-c", "import pact; print(pact.library_path)"],
        env=env, capture_output=True, text=True, cwd="/")


def env_without_library():
    return {k: v for k, v in os.environ.items() if k != "PACT_LIBRARY"}


def test_found_next_to_the_package_in_the_source_tree():
    lib = os.path.join(REPO, "build", "libpact.so")
    if not os.path.exists(lib):
        pytest.skip("no build/libpact.so in the source tree")
    r = import_in_child(env_without_library(), os.path.join(REPO, "python"))
    assert r.returncode == 0, r.stderr
    assert os.path.samefile(r.stdout.strip(), lib)


def test_pact_library_wins_and_a_bad_one_fails_clearly(tmp_path):
    lib = os.path.join(BUILD, "libpact.so")
    copy = tmp_path / "libpact-copy.so"
    shutil.copy(lib, copy)
    env = dict(env_without_library(), PACT_LIBRARY=str(copy))
    r = import_in_child(env, os.path.join(REPO, "python"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(copy)
    env["PACT_LIBRARY"] = str(tmp_path / "missing.so")
    r = import_in_child(env, os.path.join(REPO, "python"))
    assert r.returncode != 0
    assert "PACT_LIBRARY" in r.stderr and "missing.so" in r.stderr


def test_installed_layout_finds_prefix_lib(tmp_path):
    """scripts/install-python.sh under a DESTDIR, then import from there:
    the package finds PREFIX/lib/libpact.so.0 relative to itself."""
    dest = tmp_path / "dest"
    r = subprocess.run(["sh", "scripts/install-python.sh", str(dest),
                        "/usr/local"], cwd=REPO, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    pkgs = list(dest.glob("usr/local/lib/python3*/*-packages/pact"))
    assert len(pkgs) == 1, list(dest.rglob("*"))
    libdir = dest / "usr" / "local" / "lib"
    shutil.copy(os.path.join(BUILD, "libpact.so"), libdir / "libpact.so.0")
    r = import_in_child(env_without_library(), str(pkgs[0].parent))
    assert r.returncode == 0, r.stderr
    assert os.path.samefile(r.stdout.strip(), libdir / "libpact.so.0")
