# SPDX-License-Identifier: MIT
"""trackerPACT, the original module name: its names and defaults, the
original client script's way of calling it (a result folder that does
not exist yet), errors that name the Python parameter, and the CLI's -o
creating its folders too."""

import inspect
import os
import subprocess
import warnings

import pytest

import pact
import trackerPACT
from conftest import BUILD, ORIGINAL_COLUMNS, csv_rows

QUIET = dict(PSU=None)


def test_decorator_has_the_originals_parameters():
    sig = inspect.signature(trackerPACT.PACT)
    defaults = {k: p.default for k, p in sig.parameters.items()}
    # From the original's trackerPACT.py and README.
    assert defaults == {"fn": None, "measure_period": 1,
                        "perf_measure_period": 0.01,
                        "events_groups": [['MIGRATIONS'], ['FAULTS'],
                                          ['CACHE-MISSES'], ['CYCLES']],
                        "tracker_file_name": "./PACT.csv",
                        "PSU": "Corsair_1500i"}


def test_tracker_has_the_originals_defaults():
    sig = inspect.signature(trackerPACT.Tracker)
    defaults = {k: p.default for k, p in sig.parameters.items()}
    assert list(defaults) == ["tracker_file_name", "measure_period",
                              "perf_measure_period", "events_groups", "PSU"]
    assert defaults["measure_period"] == 10
    assert trackerPACT.Tracker().measure_period() == 10
    with pytest.raises(ValueError):
        trackerPACT.Tracker(measure_period=0)


def test_original_script_with_missing_result_folder(in_tmp):
    res = "./otherTools/run1"  # as args.res: does not exist yet
    events_groups = [['MIGRATIONS'], ['FAULTS'], ['CACHE-MISSES'],
                     ['CYCLES']]

    @trackerPACT.PACT(measure_period=0.2, perf_measure_period=0.01,
                      events_groups=events_groups,
                      tracker_file_name=res + "/PACT.csv", **QUIET)
    def main():
        sum(range(200000))
        return "done"

    assert main() == "done"
    header, rows = csv_rows(os.path.join(res, "PACT.csv"))
    assert header[:8] == ORIGINAL_COLUMNS
    assert len(rows) >= 1


def test_bare_decorator_default_file(in_tmp):
    @trackerPACT.PACT
    def f():
        return 7

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pact.PactWarning)  # no PSU here
        assert f() == 7
    assert os.path.exists("PACT.csv")


def test_user_exception_is_reraised_unchanged(in_tmp):
    err = KeyError("mine")

    @trackerPACT.PACT(tracker_file_name="a/b/PACT.csv", measure_period=0.2,
                      **QUIET)
    def boom():
        raise err

    with pytest.raises(KeyError) as got:
        boom()
    assert got.value is err
    assert os.path.exists("a/b/PACT.csv")


def test_tracker_class_start_stop(in_tmp):
    t = trackerPACT.Tracker(tracker_file_name="x/y/run.csv",
                            measure_period=0.2, **QUIET)
    t.start()
    sum(range(100000))
    s = t.stop()
    assert s.rows >= 1
    header, rows = csv_rows("x/y/run.csv")
    assert len(rows) == s.rows
    with pytest.raises(RuntimeError):
        t.stop()


def test_errors_name_the_python_parameter(in_tmp):
    with open("blocker", "w") as f:
        f.write("a file, not a folder")

    @trackerPACT.PACT(tracker_file_name="blocker/sub/PACT.csv", **QUIET)
    def f():
        return 1

    with pytest.raises(pact.PactError) as e:
        f()
    assert "tracker_file_name=" in str(e.value)
    assert "-o" not in str(e.value)
    with pytest.raises(pact.PactError) as e:
        pact.Tracker(output="blocker/x.csv", psu="none")
    assert "output=" in str(e.value) and "-o" not in str(e.value)


def test_cli_output_creates_folders(in_tmp):
    pact_bin = os.path.join(BUILD, "pact")
    r = subprocess.run([pact_bin, "run", "-q", "--psu", "none",
                        "--measure-period", "0.2", "-o", "p/q/r.csv", "--",
                        "true"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    header, rows = csv_rows("p/q/r.csv")
    assert header[:8] == ORIGINAL_COLUMNS
