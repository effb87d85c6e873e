# SPDX-License-Identifier: MIT
"""trackerPACT: the original tool's module name, so its client scripts run
unchanged against pact:

    from trackerPACT import PACT

    @PACT(measure_period=1, perf_measure_period=0.01,
          events_groups=[['MIGRATIONS'], ['FAULTS'], ['CACHE-MISSES'],
                         ['CYCLES']],
          tracker_file_name=args.res + "/PACT.csv")
    def main(): ...

    tracker = Tracker(tracker_file_name="run.csv")  # measure_period=10
    tracker.start(); ...; tracker.stop()

The names and defaults are the original's (PACT's tracker_file_name is
"./PACT.csv" as its README writes it; Tracker's measure_period is 10 s).
Everything else is pact's: the CSV is streamed row by row, missing
parent folders of the output are created, and an exception raised by
the decorated function reaches the caller unchanged (the original
replaced it by a bare Exception).  See docs/python.md.
"""

import pact as _pact
from pact import PactError, PactWarning  # noqa: F401 - re-exported
from pact.decorator import DEFAULT_EVENTS_GROUPS

__all__ = ["PACT", "Tracker", "PactError", "PactWarning"]


def PACT(fn=None, measure_period=1, perf_measure_period=0.01,
         events_groups=DEFAULT_EVENTS_GROUPS,
         tracker_file_name="./PACT.csv", PSU="Corsair_1500i"):
    """The original decorator: @PACT, @PACT() or @PACT(...keywords)."""
    deco = _pact.PACT(measure_period=measure_period,
                      perf_measure_period=perf_measure_period,
                      events_groups=events_groups,
                      tracker_file_name=tracker_file_name, PSU=PSU)
    return deco(fn) if fn is not None else deco


class Tracker:
    """The original Tracker class: construct, start(), stop().  stop()
    writes the last row and closes the CSV; it returns pact's Summary
    (the original returned None), also kept as .summary."""

    def __init__(self, tracker_file_name="PACT.csv", measure_period=10,
                 perf_measure_period=0.01,
                 events_groups=DEFAULT_EVENTS_GROUPS, PSU="Corsair_1500i"):
        if isinstance(measure_period, (int, float)) and measure_period <= 0:
            raise ValueError("'measure_period' should be positive number")
        self.tracker_file_name = tracker_file_name
        self._measure_period = measure_period
        self._perf_measure_period = perf_measure_period
        self._events_groups = events_groups
        self._PSU = PSU
        self._t = None
        self.summary = None

    def measure_period(self):
        return self._measure_period

    def start(self):
        """Start measuring (a second start() restarts, as the original's
        did, with a new CSV)."""
        if self._t is not None:
            self._t.close()
        self._t = _pact.Tracker(output=self.tracker_file_name,
                                measure_period=self._measure_period,
                                perf_period=self._perf_measure_period,
                                events=self._events_groups,
                                psu="none" if self._PSU is None
                                else self._PSU,
                                _output_param="tracker_file_name")
        self._t.start()

    def stop(self):
        if self._t is None:
            raise RuntimeError("Need to first start the tracker by running "
                               "tracker.start()")
        try:
            self.summary = self._t.stop()
        finally:
            self._t.close()
            self._t = None
        return self.summary

    def consumption(self):
        """Energy of the last run in kWh at the wall (the original kept
        this at 0; pact has the figure)."""
        if self.summary is None:
            return 0
        return self.summary.energy_j / 3.6e6
