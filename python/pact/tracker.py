# SPDX-License-Identifier: MIT
"""pact.Tracker: one libpact tracker (pact_tracker_new/start/stop/free)
as a Python object and context manager, with named regions and the run
summary.  Arguments are converted to struct pact_config and nothing
else: every default, check and figure comes from the library."""

import contextlib
import ctypes
import dataclasses
import os
import warnings
import weakref

from . import _lib
from ._lib import PactError

_SCOPES = {"auto": 0, "system": 1, "workload": 2}
_MODES = {"window": 0, "delta": 0, "pact": 1}


@dataclasses.dataclass
class SourceSummary:
    """Figures for one power channel (struct pact_source_summary)."""
    name: str
    energy_j: float
    avg_power_w: float
    peak_power_w: float
    estimated: bool
    samples: int
    method: str


@dataclasses.dataclass
class Summary:
    """Run-level figures (struct pact_summary), plus the per-source ones
    as a dict keyed by channel name (e.g. "rapl_package0_w")."""
    duration_s: float
    rows: int
    energy_j: float
    energy_uncertainty_j: float
    avg_power_w: float
    peak_power_w: float
    co2_g: float
    carbon_intensity_g_per_kwh: float
    psu_efficiency: float
    pue: float
    cpu_energy_j: float
    gpu_energy_j: float
    psu_dc_energy_j: float
    total_basis: str
    carbon_intensity_source: str
    predicted_energy_j: float
    basis: str
    basis_lower_bound: bool
    uncertainty_k: float
    gap_windows: int
    basis_why: str
    dropped_sources: str
    # Wall-clock jumps (suspend, clock steps) seen during the run.
    wall_clock_jumps: int = 0
    wall_clock_jump_s: float = 0.0
    sources: dict = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class Live:
    """The latest closed window (struct pact_live)."""
    elapsed_s: float
    rows: int
    total_power_w: float
    psu_power_w: float
    cpu_power_w: float
    gpu_power_w: float
    energy_j: float
    cpu_estimated: bool
    total_estimated: bool = False


def _free_in_owner(handle, pid):
    """Free the tracker, but only in the process that made it: a forked
    child (os.fork, multiprocessing's fork start method) holds a copy
    whose thread does not exist and whose output is the parent's."""
    if os.getpid() == pid:
        _lib.tracker_free(handle)


def _from_c(cls, c, **extra):
    """Copy a ctypes structure into the dataclass of the same fields."""
    vals = {}
    for name, ctype in c._fields_:
        if name in ("size", "version"):
            continue  # the ABI header, not data
        v = getattr(c, name)
        if isinstance(v, bytes):
            v = _lib.decode(v)
        elif cls.__dataclass_fields__[name].type is bool:
            v = bool(v)
        vals[name] = v
    vals.update(extra)
    return cls(**vals)


def events_spec(events):
    """The events option as the library spells it: a string is passed as
    is; a list of groups (the original's events_groups, e.g.
    [['MIGRATIONS'], ['FAULTS']]) becomes "MIGRATIONS;FAULTS" (';'
    between groups, ',' inside one)."""
    if events is None or isinstance(events, str):
        return events
    return ";".join(g if isinstance(g, str) else ",".join(g)
                    for g in events)


def _convert(name, value):
    """One keyword argument as the struct pact_config field wants it."""
    if value is None:
        return None
    ctype = dict(Config_fields)[name]
    if ctype is ctypes.c_char_p:
        if name == "events":
            value = events_spec(value)
        elif name == "gpus" and not isinstance(value, (str, bytes)):
            value = ",".join(str(int(g)) for g in value)
        return value if isinstance(value, bytes) else os.fsencode(value)
    if name == "scope" and isinstance(value, str):
        return _SCOPES[value]
    if name == "counter_mode" and isinstance(value, str):
        return _MODES[value.lower()]
    if ctype is ctypes.c_double:
        return float(value)
    return int(value)


def make_parents(path, param="output"):
    """Create the missing parent folders of the output file path, as the
    original tool did (os.makedirs(dirname, exist_ok=True)).  A failure
    is a PactError naming the Python parameter param."""
    folder = os.path.dirname(os.fsdecode(path))
    if not folder:
        return
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as e:
        raise PactError(_lib.EBADCONFIG,
                        "cannot create the folder %r for the output file: "
                        "%s; choose another path with %s="
                        % (folder, e.strerror or e, param)) from None


def _python_words(msg, param):
    """A library message as a Python caller needs it: the CLI's -o FILE
    becomes the keyword argument that set the path."""
    return (msg or "").replace("with -o FILE", "with %s=" % param)


Config_fields = _lib.Config._fields_
_ALIASES = {"output": "output_path", "measure_period": "measure_period_s",
            "perf_period": "perf_period_s"}


class Tracker:
    """A tracker for this process (workload_pid 0, so counters follow it
    and the threads and children it makes) and the machine's power.

        with pact.Tracker(output="run.csv", measure_period=0.5) as t:
            with t.region("epoch1"):
                train()
        print(t.result.energy_j, t.region_energy("epoch1"))

    Keyword arguments are the fields of struct pact_config (pact.h),
    with output, measure_period and perf_period accepted for
    output_path, measure_period_s and perf_period_s; None keeps the
    library's default.  events takes a spec string or a list of groups;
    scope "auto"|"system"|"workload"; counter_mode "window"|"pact".
    The CSV is opened (and truncated) here, as pact_tracker_new does.
    """

    def __init__(self, output=None, measure_period=None, perf_period=None,
                 events=None, psu=None, **options):
        # The keyword the caller knows the output by, for error messages
        # (the decorator's is tracker_file_name=).
        param = options.pop("_output_param", "output")
        options.update(output=output, measure_period=measure_period,
                       perf_period=perf_period, events=events, psu=psu)
        if output:
            make_parents(output, param)
        cfg = _lib.Config()
        _lib.config_init(ctypes.byref(cfg))
        names = dict(Config_fields)
        keep = []  # the bytes the config points to, alive until _new
        for key, value in options.items():
            field = _ALIASES.get(key, key)
            if field not in names or field == "size":
                raise TypeError("Tracker() got an unexpected keyword "
                                "argument %r" % key)
            try:
                v = _convert(field, value)
            except (KeyError, TypeError, ValueError) as e:
                raise ValueError("pact: bad value %r for %s (%s)"
                                 % (value, key, e)) from None
            if v is None:
                continue
            keep.append(v)
            setattr(cfg, field, v)
        handle = ctypes.c_void_p()
        err = ctypes.create_string_buffer(512)
        rc = _lib.tracker_new(ctypes.byref(cfg), ctypes.byref(handle), err,
                              len(err))
        if rc < 0:
            raise PactError(rc, _python_words(
                _lib.decode(err.value) or _lib.decode(_lib.strerror(rc)),
                param))
        self._h = handle
        self._region = ""
        self.result = None
        self.output = _lib.decode(cfg.output_path)
        # Frees (and so stops) the tracker when the object goes away or
        # the interpreter exits, so its sampling thread never outlives
        # Python.
        # In a forked child it does nothing: the tracker is the parent's.
        self._finalizer = weakref.finalize(self, _free_in_owner, handle,
                                           os.getpid())

    def _handle(self):
        if not self._finalizer.alive:
            raise PactError(_lib.ESTATE, "tracker already closed")
        return self._h

    def _check(self, rc):
        if rc < 0:
            raise PactError(rc, _lib.decode(_lib.tracker_errmsg(self._h)) or
                            _lib.decode(_lib.strerror(rc)))
        return rc

    def start(self):
        """Open counters and the CSV header; start sampling."""
        self._check(_lib.tracker_start(self._handle()))
        return self

    def stop(self):
        """Write the last (partial) row, close the CSV and return the
        final Summary (also kept as .result).  Idempotent."""
        self._check(_lib.tracker_stop(self._handle()))
        self.result = self.summary()
        return self.result

    def close(self):
        """Stop if running and free the library's tracker."""
        self._finalizer()

    def summary(self):
        """The figures so far (final after stop())."""
        h = self._handle()
        c = _lib.SummaryC()
        self._check(_lib.tracker_summary(h, ctypes.byref(c)))
        sources = {}
        for i in range(self._check(_lib.tracker_source_count(h))):
            s = _lib.SourceSummaryC()
            self._check(_lib.tracker_source_get(h, i, ctypes.byref(s)))
            src = _from_c(SourceSummary, s)
            sources[src.name] = src
        return _from_c(Summary, c, sources=sources)

    def live(self):
        """The latest closed window's figures."""
        c = _lib.LiveC()
        self._check(_lib.tracker_live(self._handle(), ctypes.byref(c)))
        return _from_c(Live, c)

    def set_region(self, name):
        """Label rows from now on with name (None or "" clears it)."""
        self._check(_lib.tracker_set_region(
            self._handle(), os.fsencode(name) if name else None))
        self._region = name or ""

    @contextlib.contextmanager
    def region(self, name):
        """Label the rows of a with-block with name, then restore the
        label that was set before (regions nest)."""
        previous = self._region
        self.set_region(name)
        try:
            yield self
        finally:
            self.set_region(previous)

    def region_energy(self, name):
        """Energy (J) of all rows labelled name so far; NaN if none."""
        return _lib.tracker_region_energy(self._handle(), os.fsencode(name))

    def __enter__(self):
        return self.start()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.stop()
            return False
        # An exception is on its way out: never replace it.
        try:
            self.stop()
        except PactError as e:
            warnings.warn("pact: %s" % e, _lib.PactWarning, stacklevel=2)
        return False

    def __repr__(self):
        return "<pact.Tracker output=%r>" % self.output

