# SPDX-License-Identifier: MIT
"""A region's energy from a known power: a fixture RAPL counter (the real
powercap reader under a sysroot) advanced at 100 W by the energy_ramp
helper; the region spans about 0.6 s, so its energy must be 100 W times
the region's own rows' durations."""

import os
import subprocess
import time

import pytest

import pact
from conftest import BUILD, csv_rows, num

RAMP = os.path.join(BUILD, "tests", "helpers", "energy_ramp")


def make_powercap(root):
    zone = root / "sys/devices/virtual/powercap/intel-rapl/intel-rapl:0"
    zone.mkdir(parents=True)
    (zone / "name").write_text("package-0\n")
    (zone / "max_energy_range_uj").write_text("262143328850\n")
    (zone / "enabled").write_text("1\n")
    (zone / "energy_uj").write_text("0\n")
    (root / "sys/devices/virtual/powercap/intel-rapl/enabled").write_text(
        "1\n")
    cls = root / "sys/class/powercap"
    cls.mkdir(parents=True)
    (cls / "intel-rapl:0").symlink_to(
        "../../devices/virtual/powercap/intel-rapl/intel-rapl:0")
    return zone / "energy_uj"


def test_region_energy_at_a_known_power(tmp_path):
    # A missing helper is a failure (make test-progs builds it), not a skip.
    assert os.access(RAMP, os.X_OK), RAMP + " is missing: make test-progs"
    counter = make_powercap(tmp_path / "root")
    ramp = subprocess.Popen([RAMP, str(counter), "100", "2"])
    try:
        time.sleep(0.2)
        with pact.Tracker(output="r.csv", measure_period=0.25,
                          perf_period=0.05, psu="none",
                          sysroot=str(tmp_path / "root"),
                          no_estimate=1) as t:
            time.sleep(0.3)
            t0 = time.monotonic()
            with t.region("epoch"):
                time.sleep(0.6)
            t1 = time.monotonic()
            time.sleep(0.3)
        epoch = t.region_energy("epoch")
    finally:
        ramp.wait()
    header, rows = csv_rows("r.csv")
    assert "rapl_package0_w" in header
    mine = [r for r in rows if r["region"] == "epoch"]
    dur = sum(float(r["duration(s)"]) for r in mine)
    # The region holds a 0.6 s sleep (never shorter; the CSV rounds to
    # 1 us) and no more than the time seen around it: no band on speed.
    assert 0.6 - 1e-5 <= dur <= t1 - t0 + 1e-5
    # RAPL is the only source: total = package power = 100 W.
    for r in mine:
        assert num(r["Intel_RAPL_Power(W)"]) == pytest.approx(100, rel=0.02)
    assert epoch == pytest.approx(100 * dur, rel=0.02)
    assert t.result.sources["rapl_package0_w"].avg_power_w == \
        pytest.approx(100, rel=0.02)
