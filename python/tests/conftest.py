# SPDX-License-Identifier: MIT
"""Shared fixtures for the wrapper's tests: each test runs in its own
temporary directory; csv_rows() reads a PACT CSV back."""

import csv
import os

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(REPO, os.environ.get("PACT_TEST_BUILD", "build"))

# What the original wrote, in its order; the counter columns are named
# from the events (lower case, as perf spells them).
ORIGINAL_COLUMNS = ["index", "start_time", "duration(s)",
                    "Total_PSU_Power(W)", "Nvidia_SMI_Power(W)",
                    "Intel_RAPL_Power(W)", "GPU_Util_SM(%)",
                    "GPU_Util_Memory(%)"]
ORIGINAL_COUNTERS = ["migrations", "faults", "cache-misses", "cycles"]

# Counters this machine lacks are reported once per tracker start; that is
# tested in the C tests, so keep it out of this suite's warning summary.
NOT_SUPPORTED = "ignore:pact. .*not supported on this machine"


def pytest_configure(config):
    config.addinivalue_line("filterwarnings", NOT_SUPPORTED)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def csv_rows(path):
    """(header, rows as dicts) of a PACT CSV; checks it ends cleanly."""
    with open(path, newline="") as f:
        text = f.read()
    assert text.endswith("\n"), "CSV ends in the middle of a row"
    reader = csv.reader(text.splitlines())
    header = next(reader)
    rows = [dict(zip(header, r)) for r in reader]
    for r in rows:
        assert len(r) == len(header)
    return header, rows


def num(cell):
    """A CSV cell as a float; an empty cell is NaN."""
    return float(cell) if cell != "" else float("nan")
