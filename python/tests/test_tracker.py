# SPDX-License-Identifier: MIT
"""pact.Tracker: start/stop and context-manager use, the summary, named
regions in the CSV and their energy, argument conversion and errors.

region_energy() is checked here against the CSV's total_power_w and
duration columns (which must be filled: the CPU estimate is always
there); the energy at a known power, from a RAPL fixture at 100 W, is in
test_region_energy.py."""

import math
import time

import pytest

import pact
from conftest import ORIGINAL_COLUMNS, csv_rows, num

FAST = dict(measure_period=0.2, perf_period=0.05, psu="none")


def test_context_manager_summary_matches_csv():
    with pact.Tracker(output="cm.csv", **FAST) as t:
        time.sleep(0.5)
        live = t.live()
    s = t.result
    assert isinstance(s, pact.Summary)
    header, rows = csv_rows("cm.csv")
    assert header[:8] == ORIGINAL_COLUMNS
    assert s.rows == len(rows) >= 2
    assert s.duration_s == pytest.approx(
        sum(float(r["duration(s)"]) for r in rows), abs=1e-3)
    assert live.rows >= 1 and live.elapsed_s > 0
    # Per-source figures are keyed by the CSV's channel columns.
    assert set(s.sources) <= set(header)
    assert s.sources
    for src in s.sources.values():
        # A source is listed for the windows it had a reading in.
        assert isinstance(src, pact.SourceSummary)
        assert 1 <= src.samples <= s.rows
    last_energy = num(rows[-1]["energy_j"])
    if not math.isnan(last_energy):
        assert s.energy_j == pytest.approx(last_energy, abs=2e-3)


def test_start_stop_and_states():
    t = pact.Tracker(output="ss.csv", **FAST)
    t.start()
    time.sleep(0.2)
    s1 = t.stop()
    s2 = t.stop()  # idempotent
    assert s1.rows == s2.rows >= 1
    with pytest.raises(pact.PactError) as info:
        t.start()
    assert info.value.errno == pact._lib.ESTATE
    t.close()
    t.close()
    with pytest.raises(pact.PactError):
        t.summary()


def test_two_trackers_in_sequence_write_their_own_files():
    for name in ("one.csv", "two.csv"):
        with pact.Tracker(output=name, **FAST):
            time.sleep(0.2)
    _, one = csv_rows("one.csv")
    _, two = csv_rows("two.csv")
    assert one and two
    assert float(two[0]["unix_time"]) >= float(one[-1]["unix_time"])


def test_regions_label_rows_and_restore():
    with pact.Tracker(output="reg.csv", **FAST) as t:
        time.sleep(0.25)
        with t.region("epoch"):
            time.sleep(0.45)
            with t.region("eval"):
                time.sleep(0.25)
            time.sleep(0.25)
        time.sleep(0.25)
    _, rows = csv_rows("reg.csv")
    labels = [r["region"] for r in rows]
    # In order: unlabelled, epoch, eval, epoch again, unlabelled.
    runs = [lab for i, lab in enumerate(labels)
            if i == 0 or lab != labels[i - 1]]
    assert runs == ["", "epoch", "eval", "epoch", ""]
    # A region change splits the window: the labelled rows span the
    # region's time (the sleeps), not a whole number of periods.
    epoch_s = sum(float(r["duration(s)"]) for r in rows
                  if r["region"] == "epoch")
    assert epoch_s > 0.6


def region_energy_from_csv(rows, name):
    cells = [(num(r["total_power_w"]), float(r["duration(s)"]))
             for r in rows if r["region"] == name]
    known = [(p, d) for p, d in cells if not math.isnan(p)]
    return sum(p * d for p, d in known) if known else float("nan")


def test_region_energy_agrees_with_the_csv():
    with pact.Tracker(output="re.csv", **FAST) as t:
        with t.region("epoch"):
            time.sleep(0.45)
        with t.region("epoch2"):
            time.sleep(0.25)
    _, rows = csv_rows("re.csv")
    for name in ("epoch", "epoch2"):
        got = t.region_energy(name)
        want = region_energy_from_csv(rows, name)
        assert isinstance(got, float)
        # Every machine has the CPU estimate at least, so the total is
        # filled: NaN == NaN must not pass.  (The energy at a known power
        # is test_region_energy.py's.)
        assert not math.isnan(want) and not math.isnan(got)
        assert got == pytest.approx(want, rel=1e-3, abs=1e-2)
    assert math.isnan(t.region_energy("never-used"))


def test_exception_in_with_block_propagates_and_csv_complete():
    with pytest.raises(ZeroDivisionError):
        with pact.Tracker(output="ex.csv", **FAST) as t:
            time.sleep(0.2)
            1 / 0
    assert t.result is not None
    _, rows = csv_rows("ex.csv")
    assert t.result.rows == len(rows) >= 1


def test_arguments_are_converted_or_refused():
    with pytest.raises(TypeError):
        pact.Tracker(output="", no_such_option=1)
    with pytest.raises(ValueError):
        pact.Tracker(output="", scope="everywhere")
    with pytest.raises(pact.PactError) as info:
        pact.Tracker(output="", measure_period=-1)
    assert info.value.errno == pact._lib.EBADCONFIG
    assert "measure period" in info.value.strerror
    # C field names work too, and an empty output means no CSV.
    t = pact.Tracker(output="", measure_period_s=0.2, scope="workload",
                     counter_mode="pact", events=[["faults"]],
                     carbon_intensity=100.0, pue=1.5, gpus=[0, 1])
    t.close()


def test_carbon_intensity_reaches_the_library():
    with pact.Tracker(output="ci.csv", carbon_intensity=123.0, **FAST) as t:
        time.sleep(0.2)
    assert t.result.carbon_intensity_g_per_kwh == 123.0
    assert t.result.total_basis and t.result.carbon_intensity_source
