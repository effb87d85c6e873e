# SPDX-License-Identifier: MIT
"""The original PACT decorator: signature, CSV columns, exceptions that
propagate unchanged, repeated and nested use, the PSU warning."""

import inspect
import math
import time
import traceback
import warnings

import pytest

import pact
from conftest import ORIGINAL_COLUMNS, ORIGINAL_COUNTERS, csv_rows, num

FAST = dict(measure_period=0.2, PSU=None)


def test_signature_is_the_originals():
    sig = inspect.signature(pact.PACT)
    defaults = {k: p.default for k, p in sig.parameters.items()}
    assert list(defaults) == ["measure_period", "perf_measure_period",
                              "events_groups", "tracker_file_name", "PSU"]
    assert defaults["measure_period"] == 1
    assert defaults["perf_measure_period"] == 0.01
    assert defaults["events_groups"] == [['MIGRATIONS'], ['FAULTS'],
                                         ['CACHE-MISSES'], ['CYCLES']]
    assert defaults["tracker_file_name"] == "./PACT.csv"
    assert defaults["PSU"] == "Corsair_1500i"


def test_events_groups_to_spec():
    assert pact.events_spec(pact.DEFAULT_EVENTS_GROUPS) == \
        "MIGRATIONS;FAULTS;CACHE-MISSES;CYCLES"
    assert pact.events_spec([["faults", "cycles"], ["migrations"]]) == \
        "faults,cycles;migrations"
    assert pact.events_spec("faults;cycles") == "faults;cycles"


def test_bare_decorator_writes_the_original_columns():
    @pact.PACT
    def work(x):
        """doc"""
        time.sleep(0.3)
        return x * 2

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pact.PactWarning)  # no PSU here
        assert work(21) == 42
    assert work.__name__ == "work" and work.__doc__ == "doc"
    header, rows = csv_rows("PACT.csv")
    assert header[:8] == ORIGINAL_COLUMNS
    assert header[8:12] == ORIGINAL_COUNTERS
    assert len(rows) >= 1
    assert [int(r["index"]) for r in rows] == list(range(len(rows)))
    assert work.summary.rows == len(rows)


def test_rows_cover_the_call():
    @pact.PACT(tracker_file_name="fast.csv", **FAST)
    def work():
        data = b"x" * (16 << 20)  # touches 16 MiB: page faults
        time.sleep(0.5)
        return len(data)

    assert work() == 16 << 20
    header, rows = csv_rows("fast.csv")
    assert len(rows) == work.summary.rows >= 2
    total = sum(float(r["duration(s)"]) for r in rows)
    assert total == pytest.approx(work.summary.duration_s, abs=1e-3)
    # Software counters are real here.
    assert any(num(r["faults"]) > 0 for r in rows)


def test_custom_events_groups_name_the_columns():
    @pact.PACT(tracker_file_name="ev.csv",
               events_groups=[["FAULTS", "MIGRATIONS"], ["CYCLES"]], **FAST)
    def work():
        time.sleep(0.2)

    work()
    header, _ = csv_rows("ev.csv")
    assert header[8:11] == ["faults", "migrations", "cycles"]


class Boom(Exception):
    pass


def raising_function():
    time.sleep(0.3)
    raise Boom("from inside")


def test_exception_propagates_unchanged():
    wrapped = pact.PACT(tracker_file_name="exc.csv", **FAST)(
        raising_function)
    with pytest.raises(Boom) as info:
        wrapped()
    assert type(info.value) is Boom
    assert str(info.value) == "from inside"
    frames = [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert frames[-1] == "raising_function"
    assert info.value.__context__ is None and info.value.__cause__ is None
    # The tracker stopped first: the CSV is complete and the summary set.
    header, rows = csv_rows("exc.csv")
    assert len(rows) == wrapped.summary.rows >= 1


def test_same_exception_object_and_base_exceptions():
    err = KeyboardInterrupt()

    @pact.PACT(tracker_file_name="kb.csv", **FAST)
    def interrupted():
        raise err

    with pytest.raises(KeyboardInterrupt) as info:
        interrupted()
    assert info.value is err
    _, rows = csv_rows("kb.csv")
    assert len(rows) >= 1


def test_called_twice_rewrites_the_file():
    @pact.PACT(tracker_file_name="twice.csv", **FAST)
    def work():
        time.sleep(0.3)

    work()
    _, first = csv_rows("twice.csv")
    work()
    _, second = csv_rows("twice.csv")
    assert int(second[0]["index"]) == 0
    assert float(second[0]["unix_time"]) > float(first[-1]["unix_time"])
    assert len(second) == work.summary.rows


def test_nested_decorated_functions():
    @pact.PACT(tracker_file_name="inner.csv", **FAST)
    def inner():
        time.sleep(0.3)

    @pact.PACT(tracker_file_name="outer.csv", **FAST)
    def outer():
        time.sleep(0.2)
        inner()
        time.sleep(0.2)

    outer()
    _, o = csv_rows("outer.csv")
    _, i = csv_rows("inner.csv")
    assert len(i) >= 1 and len(o) >= len(i)
    start = lambda rows: float(rows[0]["unix_time"])
    end = lambda rows: float(rows[-1]["unix_time"]) + \
        float(rows[-1]["duration(s)"])
    assert start(o) <= start(i) and end(i) <= end(o)


def test_absent_psu_is_a_warning():
    @pact.PACT(tracker_file_name="psu.csv", measure_period=0.2)
    def work():
        time.sleep(0.2)
        return "ran"

    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        assert work() == "ran"
    psu = [w for w in got if issubclass(w.category, pact.PactWarning)
           and "psu" in str(w.message).lower()]
    if math.isnan(work.summary.psu_dc_energy_j):
        assert psu, "no warning about the missing PSU"
    _, rows = csv_rows("psu.csv")
    assert len(rows) >= 1


def test_no_psu_asked_no_psu_warning():
    @pact.PACT(tracker_file_name="nopsu.csv", **FAST)
    def work():
        time.sleep(0.2)

    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        work()
    assert not [w for w in got if "PSU" in str(w.message)]


def test_bad_event_is_a_clear_error():
    @pact.PACT(tracker_file_name="bad.csv",
               events_groups=[["NO-SUCH-EVENT"]], **FAST)
    def work():
        raise AssertionError("must not run")

    with pytest.raises(pact.PactError) as info:
        work()
    assert info.value.errno == pact._lib.EBADEVENT
    assert "NO-SUCH-EVENT" in str(info.value)
    assert "\n" not in info.value.strerror
