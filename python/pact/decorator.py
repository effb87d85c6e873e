# SPDX-License-Identifier: MIT
"""The original PACT decorator, with its signature and defaults, over
pact.Tracker.  Unlike the original, the CSV is streamed (a crash keeps
the rows so far), an exception in the decorated function propagates
unchanged once the tracker has stopped and the CSV is complete, and a
PSU that is not there is a warning, not a failure."""

import functools
import math
import warnings

from . import _lib
from .tracker import Tracker

DEFAULT_EVENTS_GROUPS = [['MIGRATIONS'], ['FAULTS'], ['CACHE-MISSES'],
                         ['CYCLES']]


def PACT(measure_period=1, perf_measure_period=0.01,
         events_groups=DEFAULT_EVENTS_GROUPS, tracker_file_name="./PACT.csv",
         PSU="Corsair_1500i"):
    """Track power and counters while the decorated function runs.

        @PACT
        def train(): ...

        @PACT(measure_period=0.5, tracker_file_name="train.csv")
        def train(): ...

    Each call writes tracker_file_name anew, one row per measure_period
    seconds, creating its missing parent folders as the original did.  PSU is "Corsair_1500i" or "NZXT_850" as in the original,
    or any --psu value (auto, corsair, nzxt, none); None means "none".
    The decorated function returns what the function returns; the last
    call's pact.Summary is its .summary attribute.
    """
    if callable(measure_period):  # bare @PACT
        return PACT()(measure_period)

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            psu_warned = _lib.psu_warnings
            t = Tracker(output=tracker_file_name,
                        measure_period=measure_period,
                        perf_period=perf_measure_period,
                        events=events_groups,
                        psu="none" if PSU is None else PSU,
                        _output_param="tracker_file_name")
            try:
                t.start()
                try:
                    result = func(*args, **kwargs)
                except BaseException:
                    # Finish the CSV, then re-raise the same exception
                    # with its own traceback; a failing stop only warns.
                    try:
                        wrapper.summary = t.stop()
                    except _lib.PactError as e:
                        warnings.warn("pact: %s" % e, _lib.PactWarning,
                                      stacklevel=2)
                    raise
                wrapper.summary = t.stop()
                _warn_missing_psu(PSU, wrapper.summary, t, psu_warned)
                return result
            finally:
                t.close()

        wrapper.summary = None
        return wrapper

    return decorate


def _warn_missing_psu(psu, summary, tracker, psu_warned):
    """A PSU was named but gave no reading, and the library said nothing
    about it: say so once, as the original would have failed here."""
    if psu is None or str(psu).lower() in ("auto", "none"):
        return
    if _lib.psu_warnings != psu_warned:
        return
    if not math.isnan(summary.psu_dc_energy_j) or \
            not math.isnan(tracker.live().psu_power_w):
        return
    warnings.warn("pact: PSU %r not found; the energy comes from the other "
                  "power sources (connect the PSU's USB cable, or pass "
                  "PSU=None)" % psu, _lib.PactWarning, stacklevel=3)
