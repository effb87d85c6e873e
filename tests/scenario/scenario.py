# SPDX-License-Identifier: MIT
"""scenario.py - the scenario file format and the truth it describes.

A scenario (tests/scenario/cases/*.scn) states the TRUE power of each
component of one machine over time, t in seconds from the scenario's
start.  This module parses it and evaluates the truth: instantaneous
power and its exact integral over any interval.  It knows nothing about
pact; the checker integrates the truth over the windows pact reports.

Format: INI-like.  '#' starts a comment; "key = value" lines in
sections.  Sections and keys:

  [run]
    describe  = one line shown in the figures table
    issue     = the issue 11 item(s) this scenario covers
    duration  = seconds the workload runs (pact run ... -- sleep N)
    args      = extra pact arguments (--measure-period 60, ...)
    tick      = stand-in update period, s (default 0.005)
    expect_basis = wall | psu_dc | psys | components | none
    expect_*  = behaviour checks, see checks.py

  [truth]      one expression per component, in watts:
    package0, dram0, gpu0, rest   (rest: board, disks, fans; only the
                                   PSU and the wall see it)
    psys      = platform power (default: package0 + dram0 + rest)
    Expressions are sums of terms: a number, const(W),
    step(T, W) (adds W from T on), pulse(T0, T1, W) (adds W on [T0, T1)),
    ramp(T0, T1, W) (adds 0 at T0 rising linearly to W at T1, then W),
    square(P, W, duty=0.5, phase=0) (adds W during the first duty*P of
    each period P, shifted by phase).

  [psu]        the PSU whose DC output is the sum of the components:
    model = hx1500i | e850 ...   rating_w = 1500   input_voltage_v = 230
    efficiency = LOAD:EFF ...    its TRUE efficiency curve (load as a
                                 fraction of rating), linear in between,
                                 held flat outside; wall = DC / eff.

  [standins]   which stand-ins exist: rapl = package0 dram0 psys,
    hwmon_wall = yes (an ACPI power_meter reading the wall),
    wall_interval_ms = averaging interval of the meter,
    psu = yes, nvml = yes

  [faults]     "NAME = T0 T1 [value]", times in s; see standins.py.
"""

import math
import re
import shlex


class Term:
    """One additive term of a power expression: value(t) and integral."""

    def value(self, t):
        raise NotImplementedError

    def integral(self, a, b):
        raise NotImplementedError

    def __add__(self, other):
        return Sum([self, as_term(other)])

    __radd__ = __add__


class Sum(Term):
    def __init__(self, terms):
        self.terms = []
        for t in terms:
            self.terms += t.terms if isinstance(t, Sum) else [t]

    def value(self, t):
        return sum(x.value(t) for x in self.terms)

    def integral(self, a, b):
        return sum(x.integral(a, b) for x in self.terms)


class Const(Term):
    def __init__(self, w):
        self.w = float(w)

    def value(self, t):
        return self.w

    def integral(self, a, b):
        return self.w * (b - a)


class Pulse(Term):
    """W on [t0, t1); t1 = inf makes a step."""

    def __init__(self, t0, t1, w):
        self.t0, self.t1, self.w = float(t0), float(t1), float(w)

    def value(self, t):
        return self.w if self.t0 <= t < self.t1 else 0.0

    def integral(self, a, b):
        lo, hi = max(a, self.t0), min(b, self.t1)
        return self.w * (hi - lo) if hi > lo else 0.0


class Ramp(Term):
    """0 before t0, linear to W at t1, W after."""

    def __init__(self, t0, t1, w):
        self.t0, self.t1, self.w = float(t0), float(t1), float(w)

    def value(self, t):
        if t <= self.t0:
            return 0.0
        if t >= self.t1:
            return self.w
        return self.w * (t - self.t0) / (self.t1 - self.t0)

    def _prim(self, t):  # antiderivative, 0 at t0
        if t <= self.t0:
            return 0.0
        s = self.w / (self.t1 - self.t0)
        if t <= self.t1:
            return 0.5 * s * (t - self.t0) ** 2
        return 0.5 * self.w * (self.t1 - self.t0) + self.w * (t - self.t1)

    def integral(self, a, b):
        return self._prim(b) - self._prim(a)


class Square(Term):
    """W during the first duty*period of each period (from phase)."""

    def __init__(self, period, w, duty=0.5, phase=0.0):
        self.p, self.w = float(period), float(w)
        self.d, self.ph = float(duty), float(phase)

    def value(self, t):
        x = (t - self.ph) % self.p
        return self.w if x < self.d * self.p else 0.0

    def _prim(self, t):
        n = math.floor((t - self.ph) / self.p)
        x = (t - self.ph) - n * self.p
        return self.w * (n * self.d * self.p + min(x, self.d * self.p))

    def integral(self, a, b):
        return self._prim(b) - self._prim(a)


def as_term(x):
    return x if isinstance(x, Term) else Const(x)


NAMES = {
    "const": Const,
    "step": lambda t, w: Pulse(t, math.inf, w),
    "pulse": Pulse,
    "ramp": Ramp,
    "square": Square,
    "inf": math.inf,
}


def expr(text):
    """Parse a power expression (a sum of terms) into a Term."""
    if not re.fullmatch(r"[\w\s.,+\-()=*]*", text):
        raise ValueError("bad characters in expression: %r" % text)
    return as_term(eval(text, {"__builtins__": {}}, dict(NAMES)))


class Efficiency:
    """A PSU's true efficiency curve: (load fraction, efficiency) points,
    linear in between, flat outside."""

    def __init__(self, text, rating_w):
        pts = []
        for item in text.split():
            load, eff = item.split(":")
            pts.append((float(load), float(eff)))
        self.pts = sorted(pts)
        self.rating = float(rating_w)

    def at_dc(self, dc_w):
        x = dc_w / self.rating
        p = self.pts
        if x <= p[0][0]:
            return p[0][1]
        for (x0, e0), (x1, e1) in zip(p, p[1:]):
            if x <= x1:
                return e0 + (e1 - e0) * (x - x0) / (x1 - x0)
        return p[-1][1]


COMPONENTS = ("package0", "dram0", "gpu0", "rest")


class Scenario:
    def __init__(self, path):
        self.path = path
        self.name = re.sub(r"\.scn$", "", path.rsplit("/", 1)[-1])
        self.sec = {}
        self.faults = []  # (name, t0, t1, [args]) in file order
        cur = None
        for raw in open(path):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            m = re.fullmatch(r"\[(\w+)\]", line)
            if m:
                cur = self.sec.setdefault(m.group(1), {})
                continue
            k, sep, v = line.partition("=")
            if not sep or cur is None:
                raise ValueError("%s: not 'key = value': %r" % (path, raw))
            if cur is self.sec.get("faults"):  # a fault may repeat
                f = v.split()
                self.faults.append((k.strip(), float(f[0]), float(f[1]),
                                    f[2:]))
            else:
                cur[k.strip()] = v.strip()
        run = self.sec.setdefault("run", {})
        self.describe = run.get("describe", self.name)
        self.issue = run.get("issue", "")
        self.duration = float(run.get("duration", "4"))
        self.args = shlex.split(run.get("args", ""))
        self.tick = float(run.get("tick", "0.005"))
        tr = self.sec.setdefault("truth", {})
        self.truth = {c: expr(tr.get(c, "0")) for c in COMPONENTS}
        if "psys" in tr:
            self.truth["psys"] = expr(tr["psys"])
        else:
            self.truth["psys"] = Sum([self.truth["package0"],
                                      self.truth["dram0"], self.truth["rest"]])
        psu = self.sec.setdefault("psu", {})
        self.psu_model = psu.get("model", "hx1500i")
        self.rating_w = float(psu.get("rating_w", "1500"))
        self.input_v = float(psu.get("input_voltage_v", "230"))
        # HX1500i at 230 V: Corsair's manual figures at 10/20/50/100 %
        # (protocols/corsair-hid-psu.md section 10); below 10 % a light
        # load falls off (Cybenetics-style idle figures, our assumption).
        self.eff = Efficiency(psu.get(
            "efficiency",
            "0.02:0.70 0.05:0.82 0.10:0.88 0.20:0.92 0.50:0.93 1.00:0.91"),
            self.rating_w)
        self.standins = self.sec.setdefault("standins", {})
        self.expect = {k[7:]: v for k, v in run.items()
                       if k.startswith("expect_")}

    # ---- the truth ----
    def power(self, comp, t):
        return self.truth[comp].value(t)

    def energy(self, comp, a, b):
        return self.truth[comp].integral(a, b)

    def dc(self, t):
        return sum(self.truth[c].value(t) for c in COMPONENTS)

    def wall(self, t):
        d = self.dc(t)
        return d / self.eff.at_dc(d)

    def breakpoints(self, a, b):
        """Times in (a, b) where some component's power changes slope or
        jumps, so that wall energy can be integrated piecewise exactly
        (wall = DC / eff(DC) is not linear in DC)."""
        pts = set()

        def walk(term):
            if isinstance(term, Sum):
                for x in term.terms:
                    walk(x)
            elif isinstance(term, (Pulse, Ramp)):
                pts.update((term.t0, term.t1))
            elif isinstance(term, Square):
                n0 = math.floor((a - term.ph) / term.p)
                n1 = math.ceil((b - term.ph) / term.p)
                for n in range(n0, n1 + 1):
                    s = term.ph + n * term.p
                    pts.update((s, s + term.d * term.p))
        for c in COMPONENTS:
            walk(self.truth[c])
        return sorted(x for x in pts if a < x < b)

    def wall_energy(self, a, b):
        """Integral of DC/eff(DC) over [a, b]: Simpson's rule on each
        piece between breakpoints (the integrand is smooth there)."""
        edges = [a] + self.breakpoints(a, b) + [b]
        e = 0.0
        for lo, hi in zip(edges, edges[1:]):
            n = 16
            h = (hi - lo) / n
            s = self.wall(lo + 1e-12) + self.wall(hi - 1e-12)
            for i in range(1, n):
                s += (4 if i % 2 else 2) * self.wall(lo + i * h)
            e += s * h / 3
        return e

    def dc_energy(self, a, b):
        return sum(self.energy(c, a, b) for c in COMPONENTS)

    def basis_energy(self, basis, a, b):
        """True energy of what a basis measures over [a, b]."""
        if basis in ("wall", "psu_dc"):
            return self.wall_energy(a, b)
        if basis == "psys":
            return self.energy("psys", a, b)
        if basis == "components":
            return sum(self.energy(c, a, b)
                       for c in self.standins.get("components",
                                                  "package0 dram0 gpu0").split())
        raise ValueError("no truth for basis %r" % basis)
