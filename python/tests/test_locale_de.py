# SPDX-License-Identifier: MIT
"""A host program in a decimal-comma locale (de_DE.UTF-8) still gets a
CSV with decimal points: numbers in pact's files never follow the host's
locale.  The locale is generated into a private LOCPATH with localedef
when the system lacks it."""

import locale
import os
import shutil
import subprocess
import time

import pytest

import pact
from conftest import csv_rows


@pytest.fixture
def german(tmp_path, monkeypatch):
    try:
        locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
    except locale.Error:
        if not shutil.which("localedef"):
            pytest.skip("no localedef to make de_DE.UTF-8")
        d = tmp_path / "loc"
        d.mkdir()
        r = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8",
                            str(d / "de_DE.UTF-8")], capture_output=True)
        if r.returncode not in (0, 1) or not (d / "de_DE.UTF-8").exists():
            pytest.skip("localedef could not make de_DE.UTF-8")
        monkeypatch.setenv("LOCPATH", str(d))
        locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
    # The host really formats with a comma now.
    assert locale.format_string("%.1f", 1.5) == "1,5"
    yield
    locale.setlocale(locale.LC_ALL, "C")


def test_csv_numbers_keep_the_decimal_point(german):
    with pact.Tracker(output="de.csv", measure_period=0.2, perf_period=0.05,
                      psu="none") as t:
        time.sleep(0.5)
    header, rows = csv_rows("de.csv")
    assert len(rows) >= 2
    # Every row has exactly the header's fields (a decimal comma would
    # add fields), and the duration reads back with float().
    with open("de.csv") as f:
        lines = f.read().splitlines()
    ncol = len(lines[0].split(","))
    for line in lines[1:]:
        assert len(line.split(",")) == ncol
    total = sum(float(r["duration(s)"]) for r in rows)
    assert total == pytest.approx(t.result.duration_s, abs=1e-3)
    assert "." in rows[0]["duration(s)"]
