# SPDX-License-Identifier: MIT
"""PACT: power and carbon tracking for Python code, over libpact (ctypes,
standard library only).

    from pact import PACT

    @PACT(measure_period=1, tracker_file_name="train.csv")
    def train(): ...

    import pact
    with pact.Tracker(output="run.csv") as t:
        with t.region("epoch1"):
            ...
    print(t.result.energy_j, t.region_energy("epoch1"))

The library is found through $PACT_LIBRARY, then next to the package in
a source tree (build/libpact.so), then the install prefix
(PREFIX/lib/libpact.so.0), then the system's library path.  Library
messages of level WARN and ERROR become pact.PactWarning warnings; the
others go to the "pact" logger.
"""

from ._lib import PactError, PactWarning, API_VERSION
from ._lib import lib as _cdll
from .decorator import PACT, DEFAULT_EVENTS_GROUPS
from .tracker import Live, SourceSummary, Summary, Tracker, events_spec

__version__ = _cdll.pact_version().decode()
library_path = _cdll._name

__all__ = ["PACT", "Tracker", "Summary", "SourceSummary", "Live",
           "PactError", "PactWarning", "events_spec",
           "DEFAULT_EVENTS_GROUPS", "API_VERSION", "library_path"]
