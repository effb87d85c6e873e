# SPDX-License-Identifier: MIT
"""check.py - run pact against one scenario's stand-ins and compare what
it reports with the integral of the scenario's truth.

    /usr/bin/python3 tests/scenario/check.py BUILD_DIR CASE.scn [RESULTS.jsonl]
    /usr/bin/python3 tests/scenario/check.py --plan CASE.scn...

Prints one "PASS: / FAIL: scenario/NAME:CHECK" line per check and
one "FIG:" line (true energy, pact's energy, error %, truth inside ±);
appends the figures (one JSON object) to RESULTS.jsonl when given.

The truth is integrated over pact's OWN windows (unix_time, duration(s)
columns), so a loaded machine that shifts the windows changes nothing.

Tolerances (why): pact states one standard uncertainty per window
(total_power_u_w) and the printed half-width of the run's band
(energy_uncertainty_j, coverage factor uncertainty_k).  A window must
agree within k * u; the run within the printed half-width.  Added to
both is only what the stand-ins themselves add, stated here:
  - each stand-in shows the truth of up to S seconds ago (an update loop
    every tick; the driver logs every update, and S at a window edge is
    the longest update gap within 50 ms of it), which moves that edge by
    <= S: <= (S_start + S_end) * Pmax / duration for a window, and
    S_start * P(start) + S_end * P(end) for the run;
  - the PSU emulator quantises readings as the device does (LINEAR11,
    <= 1 W steps below 2 kW): 1 W per window, 1 W * run time for the run.
"""

import csv
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from scenario import Scenario  # noqa: E402
import standins  # noqa: E402

PY = "/usr/bin/python3"
QUANT_W = 1.0  # LINEAR11 step, see the module comment
INTENSITY = 400  # g/kWh, given to pact
STALL_S = 0.25   # a driver gap longer than this reruns the scenario
ATTEMPTS = 3


class Case:
    def __init__(self, build, path):
        self.build = os.path.abspath(build)
        self.repo = os.path.dirname(os.path.dirname(HERE))
        self.scn = Scenario(path)
        self.name = "scenario/" + self.scn.name
        self.results = []
        self.procs = []
        self.updates = []

    # ---- output: held until the attempt counts (see run) ----
    def check(self, what, ok, detail=""):
        self.results.append("PASS: %s:%s" % (self.name, what) if ok else
                            "FAIL: %s:%s (%s)" % (self.name, what, detail))

    @property
    def nchecks(self):
        return sum(1 for r in self.results if r.startswith(("PASS", "FAIL")))

    @property
    def failed(self):
        return sum(1 for r in self.results if r.startswith("FAIL"))

    def stall(self):
        """The driver's longest gap between updates, s (0: no log)."""
        u = self.updates
        return max((b1 - a0 for (a0, _), (_, b1) in zip(u, u[1:])),
                   default=0.0)

    # ---- stand-ins ----
    def start(self, work, root, overrides=()):
        scn = standins.load(self.scn.path, overrides)
        standins.build(scn, root, work)
        p = standins.paths(root, work)
        for f in (p["ready"], p["psu_sock"]):
            if os.path.exists(f):
                os.unlink(f)
        self.epoch = time.time()
        drv = subprocess.Popen([PY, os.path.join(HERE, "standins.py"),
                                scn.path, root, work, repr(self.epoch)] +
                               list(overrides))
        self.procs.append(drv)
        for _ in range(500):
            if os.path.exists(p["ready"]):
                break
            time.sleep(0.01)
        if standins.yes(scn, "psu"):
            emu = subprocess.Popen(
                [os.path.join(self.build, "pact-psu-emu"), "--model",
                 scn.psu_model, "--listen", p["psu_sock"], "--state",
                 p["psu_state"], "--quiet"])
            self.procs.append(emu)
            for _ in range(500):
                if os.path.exists(p["psu_sock"]):
                    break
                time.sleep(0.01)
        return p

    def stop(self):
        for pr in reversed(self.procs):
            if pr.poll() is None:
                pr.send_signal(signal.SIGTERM)
                try:
                    pr.wait(5)
                except subprocess.TimeoutExpired:
                    pr.kill()
                    pr.wait()
        self.procs = []

    def staleness(self, work):
        """The driver's update times (driver.log: start end, s since the
        epoch), for self.stale_at."""
        self.updates = []
        try:
            for line in open(os.path.join(work, "driver.log")):
                a, b = line.split()
                self.updates.append((float(a), float(b)))
        except (OSError, ValueError):
            pass
        gaps = [b1 - a0 for (a0, _), (_, b1) in
                zip(self.updates, self.updates[1:])]
        print("  stand-ins: %d updates, at most %.1f ms behind the truth" %
              (len(self.updates), 1e3 * max(gaps, default=math.nan)))

    def stale_at(self, x, margin=0.05):
        """How old a truth a stand-in may show at a read near time x: the
        longest time from one update's start to the next one's end within
        x +- margin (pact's read lands near, not exactly at, the edge)."""
        u = self.updates
        worst = 0.0
        for (a0, _), (_, b1) in zip(u, u[1:]):
            if b1 >= x - margin and a0 <= x + margin:
                worst = max(worst, b1 - a0)
        return worst if u else 0.1

    def env(self, work, scn, p):
        e = dict(os.environ)
        e.pop("CUDA_VISIBLE_DEVICES", None)
        e["PACT_DATA_DIR"] = os.path.join(self.repo, "data")
        if standins.yes(scn, "nvml"):
            e["PACT_NVML_LIB"] = os.path.join(self.build, "fakes",
                                              "fake_nvml.so")
            e["PACT_FAKE_NVML"] = p["nvml"]
        else:  # never a real GPU of the machine running the tests
            e["PACT_NVML_LIB"] = os.path.join(work, "no-nvml.so")
        return e

    def pact_run(self, work, root, scn, p, csv_path, js, extra=()):
        cmd = [os.path.join(self.build, "pact"), "run", "--sysroot", root,
               "-e", "page-faults", "--carbon-intensity", str(INTENSITY),
               "-o", csv_path, "--summary-json", js]
        if standins.yes(scn, "psu"):
            cmd += ["--psu", "corsair" if scn.psu_model.startswith(("hx", "rm"))
                    else "nzxt", "--psu-device", "unix:" + p["psu_sock"]]
        else:
            cmd += ["--psu", "none"]
        cmd += scn.args + list(extra) + ["--", "sleep", "%g" % scn.duration]
        r = subprocess.run(cmd, env=self.env(work, scn, p), cwd=work,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=scn.duration + 60)
        return r.returncode, r.stderr.decode(errors="replace")

    # ---- reading pact's output ----
    @staticmethod
    def rows(csv_path):
        try:
            return list(csv.DictReader(open(csv_path)))
        except OSError:
            return []

    @staticmethod
    def num(s):
        try:
            return float(s)
        except (TypeError, ValueError):
            return math.nan

    def pmax(self, basis, a, b):
        """Largest true basis power on [a, b] (for the stand-in allowance),
        at 201 evenly spaced times and at the breakpoints."""
        scn = self.scn
        ts = [a + i * (b - a) / 200 for i in range(201)]
        ts += scn.breakpoints(a, b)
        if basis in ("wall", "psu_dc"):
            return max(scn.wall(t) for t in ts)
        if basis == "psys":
            return max(scn.power("psys", t) for t in ts)
        return max(sum(scn.power(c, t) for c in
                       scn.standins.get("components",
                                        "package0 dram0 gpu0").split())
                   for t in ts)

    # ---- the checks ----
    def run(self):
        """Run the scenario; when the stand-ins themselves stalled (the
        driver missed its updates for more than STALL_S, so the faults
        and the truth were not enacted in time: a loaded or I/O-bound
        machine, not pact), run it again, up to ATTEMPTS times.  Only the
        last attempt's check lines are printed."""
        for attempt in range(1, ATTEMPTS + 1):
            self.results, self.updates = [], []
            fig = self.attempt()
            s = self.stall()
            if s <= STALL_S or attempt == ATTEMPTS:
                break
            print("  the stand-ins stalled for %.0f ms (> %.0f ms): "
                  "attempt %d of %d, running the scenario again" %
                  (1e3 * s, 1e3 * STALL_S, attempt, ATTEMPTS))
        for r in self.results:
            print(r)
        sys.stdout.flush()
        return fig

    def attempt(self):
        scn = self.scn
        # On tmpfs when there is one: renames on a busy disk can stall the
        # driver for seconds.
        shm = "/dev/shm"
        base = os.environ.get("PACT_SCN_TMP") or (
            shm if os.access(shm, os.W_OK) else None)
        work = tempfile.mkdtemp(prefix="pact-scn-", dir=base)
        os.chmod(work, 0o755)
        fig = None
        try:
            if scn.expect.get("mode") == "model":
                self.model_case(work)
            else:
                fig = self.power_case(work)
        finally:
            self.stop()
            if os.environ.get("PACT_SCN_KEEP"):
                print("  kept " + work)
            else:
                shutil.rmtree(work, ignore_errors=True)
        return fig

    def power_case(self, work):
        scn = self.scn
        root = os.path.join(work, "root")
        p = self.start(work, root)
        csv_path, js = os.path.join(work, "out.csv"), os.path.join(work, "s.json")
        rc, err = self.pact_run(work, root, scn, p, csv_path, js)
        self.stop()
        self.staleness(work)
        sys.stdout.write("".join("  | " + ln + "\n"
                                 for ln in err.splitlines()[-25:]))
        self.check("exit_status", rc == 0, "pact exited %d" % rc)
        rows = self.rows(csv_path)
        try:
            summ = json.load(open(js))
        except (OSError, ValueError):
            summ = {}
        basis = scn.expect.get("basis", "wall")
        self.check("basis_is_" + basis, summ.get("basis") == basis,
                   "summary basis %r, want %r (total_basis %r)" %
                   (summ.get("basis"), basis, summ.get("total_basis")))
        k = self.num(summ.get("uncertainty_k"))
        have_u = bool(rows) and "total_power_u_w" in rows[0]
        self.check("stated_uncertainty", have_u and not math.isnan(k),
                   "no total_power_u_w column" if not have_u else
                   "no uncertainty_k in the summary")
        if math.isnan(k):
            k = 2.0

        # Per window: mean true power of the basis over pact's window.
        bad, worst, n = [], 0.0, 0
        for r in rows:
            a = self.num(r.get("unix_time")) - self.epoch
            d = self.num(r.get("duration(s)"))
            if not d > 0:
                continue
            n += 1
            want = scn.basis_energy(basis, a, a + d) / d
            got = self.num(r.get("total_power_w"))
            u = self.num(r.get("total_power_u_w"))
            allow = ((self.stale_at(a) + self.stale_at(a + d)) *
                     self.pmax(basis, a, a + d) / d + QUANT_W)
            tol = (k * u if not math.isnan(u) else 0.0) + allow
            if math.isnan(got) or abs(got - want) > tol:
                bad.append("t=%.2f+%.2f true %.1f W, pact %s W, u %s" %
                           (a, d, want, r.get("total_power_w"),
                            r.get("total_power_u_w")))
            if not math.isnan(got):
                worst = max(worst, abs(got - want) / max(want, 1e-9))
        print("  %d windows, worst %.1f %% off; %d outside k*u" %
              (n, 100 * worst, len(bad)))
        for b in bad[:6]:
            print("    " + b)
        self.check("windows_within_uncertainty", n > 0 and not bad,
                   "%d of %d windows outside k*u" % (len(bad), n))

        # The run: energy and the printed band.
        fig = {"name": scn.name, "describe": scn.describe,
               "issue": scn.issue, "basis": basis}
        if rows:
            a = self.num(rows[0]["unix_time"]) - self.epoch
            last = rows[-1]
            b = self.num(last["unix_time"]) + self.num(last["duration(s)"]) \
                - self.epoch
            etrue = scn.basis_energy(basis, a, b)
            ewall = scn.wall_energy(a, b)
            e = summ.get("energy_j", {})
            epact = self.num(e.get("total") if isinstance(e, dict) else e)
            uj = self.num(summ.get("energy_uncertainty_j"))
            # Only the run's two ends move the run's energy.
            allow = (self.stale_at(a) * self.pmax(basis, a, a + 0.5) +
                     self.stale_at(b) * self.pmax(basis, b - 0.5, b) +
                     QUANT_W * (b - a))
            inside = (not math.isnan(epact) and not math.isnan(uj)
                      and abs(epact - etrue) <= uj + allow)
            lower = bool(summ.get("basis_lower_bound"))
            fig.update(true_j=etrue, pact_j=epact, u_j=uj,
                       err_pct=100 * (epact - etrue) / etrue,
                       inside=inside, lower_bound=lower)
            self.results.append(
                  "FIG: %s true %.1f J, pact %.1f J +/- %.1f J, error %+.2f %%, "
                  "truth %s the band" % (scn.name, etrue, epact, uj,
                                         fig["err_pct"],
                                         "inside" if inside else "OUTSIDE"))
            self.check("run_energy_within_band", inside,
                       "true %.1f J, pact %.1f +/- %.1f J" % (etrue, epact, uj))
            # The printed line says the same as the JSON.
            # "total: X ± U J" (CONTRACT.md), "total: X J +/- U J" (the
            # original) or "total: >= X J".
            m = re.search(r"total: (>= )?([-0-9.]+)(?: J)?(?: (?:\+/-|±) "
                          r"([0-9.]+))? J", err)
            if lower or basis == "components":
                ok = (m is not None and m.group(1) is not None
                      and float(m.group(2)) <= ewall + allow)
                self.check("printed_lower_bound", ok,
                           "want 'total: >= X J' with X <= true wall %.1f J; "
                           "got %r" % (ewall, m.group(0) if m else None))
            else:
                ok = (m is not None and m.group(3) is not None and
                      abs(float(m.group(2)) - etrue) <= float(m.group(3)) + allow)
                self.check("printed_band_holds_truth", ok,
                           "true %.1f J; printed %r" %
                           (etrue, m.group(0) if m else None))
        else:
            self.check("run_energy_within_band", False, "no CSV rows")
            self.check("printed_total", False, "no CSV rows")

        # Never a huge or negative number in any power column.
        huge = []
        limit = float(scn.expect.get("max_w", "5000"))
        for r in rows:
            for c, v in r.items():
                if c and (c.endswith("_w") or c.endswith("(W)")):
                    x = self.num(v)
                    if not math.isnan(x) and (x < 0 or x > limit):
                        huge.append("%s=%s" % (c, v))
        self.check("no_absurd_values", not huge, ", ".join(huge[:4]))

        # CO2 is the energy times the intensity given (--carbon-intensity
        # 400 g/kWh, PUE 1): never negative, never from other energy.
        e = summ.get("energy_j", {})
        epact = self.num(e.get("total") if isinstance(e, dict) else e)
        co2 = self.num(summ.get("co2_g"))
        want = epact * INTENSITY / 3.6e6
        self.check("co2_follows_energy",
                   not math.isnan(co2) and co2 >= 0 and
                   abs(co2 - want) <= 1e-6 * max(want, 1e-9),
                   "co2_g %r, energy %r J x %g g/kWh = %r g" %
                   (summ.get("co2_g"), epact, INTENSITY, want))

        self.channels(rows, k)
        self.behaviour(rows, summ, err)
        return fig

    def comp_energy(self, comp, a, b):
        if comp == "dc":
            return self.scn.dc_energy(a, b)
        if comp == "wall":
            return self.scn.wall_energy(a, b)
        return self.scn.energy(comp, a, b)

    def comp_power(self, comp, t):
        if comp == "dc":
            return self.scn.dc(t)
        if comp == "wall":
            return self.scn.wall(t)
        return self.scn.power(comp, t)

    def channels(self, rows, k):
        """expect_channel_COLUMN = COMPONENT (or dc, wall): that column
        follows the component's true power in every window where it has
        a value.
        Tolerance: k times pact's stated default accuracy of a measured
        channel without its own figure, 5 % (docs/energy.md), or for the
        basis channel the row's own relative uncertainty if larger
        (sampling), plus the stand-in allowance."""
        scn = self.scn
        for key in sorted(scn.expect):
            if not key.startswith("channel_"):
                continue
            col, comp = key[8:], scn.expect[key]
            bad, n = [], 0
            for r in rows:
                a = self.num(r.get("unix_time")) - self.epoch
                d = self.num(r.get("duration(s)"))
                got = self.num(r.get(col))
                if not d > 0 or math.isnan(got):
                    continue
                n += 1
                want = self.comp_energy(comp, a, a + d) / d
                pm = max(abs(self.comp_power(comp, a + i * d / 50))
                         for i in range(51))
                # The basis channel (dc, wall) carries the row's stated
                # uncertainty, sampling included (total_power_u_w over
                # total_power_w, relative); other channels 5 %.
                rel = 0.05
                tw, tu = (self.num(r.get("total_power_w")),
                          self.num(r.get("total_power_u_w")))
                if comp in ("dc", "wall") and tw > 0 and tu > 0:
                    rel = max(rel, tu / tw)
                tol = (k * rel * abs(want) +
                       (self.stale_at(a) + self.stale_at(a + d)) * pm / d)
                if abs(got - want) > tol:
                    bad.append("t=%.2f+%.2f true %.2f W, pact %.3f W" %
                               (a, d, want, got))
            for b in bad[:4]:
                print("    %s: %s" % (col, b))
            self.check("channel_" + col, n > 0 and not bad,
                       "%d of %d windows off" % (len(bad), n) if n else
                       "no values in column %s" % col)

    def behaviour(self, rows, summ, err):
        ex = self.scn.expect
        if "gap_windows" in ex:  # ">=N" or "N"
            want = ex["gap_windows"]
            g = summ.get("gap_windows")
            flagged = sum(1 for r in rows if r.get("basis_gap") == "1")
            lo = int(want.lstrip(">="))
            ok = (isinstance(g, int) and g == flagged and
                  (g >= lo if want.startswith(">=") else g == lo))
            self.check("gap_windows_" + want.replace(">=", "ge"), ok,
                       "summary gap_windows %r, flagged rows %d, want %s" %
                       (g, flagged, want))
        if "dropped" in ex:
            names = [d.get("name", "") for d in summ.get("dropped_sources", [])
                     if isinstance(d, dict)]
            want = ex["dropped"]
            self.check("dropped_" + want, any(want in n for n in names),
                       "dropped_sources %r" % names)
        if "no_dropped" in ex:
            names = [d.get("name", "") for d in summ.get("dropped_sources", [])
                     if isinstance(d, dict)]
            self.check("nothing_dropped", "dropped_sources" in summ and
                       not names, "dropped_sources %r" %
                       summ.get("dropped_sources"))
        for key in sorted(ex):
            if key.startswith("stderr"):
                pat = ex[key]
                self.check("says_" + key[7:] if key != "stderr" else
                           "stderr", re.search(pat, err) is not None,
                           "stderr lacks /%s/" % pat)
            if key.startswith("not_stderr"):
                pat = ex[key]
                self.check("never_says_" + key[11:],
                           re.search(pat, err) is None,
                           "stderr has /%s/" % pat)

    # ---- item 8: a model fitted without RAPL, used with RAPL ----
    def model_case(self, work):
        scn = self.scn
        pact = os.path.join(self.build, "pact")
        pat = scn.expect.get("refusal", "RAPL|rapl")
        # 1. Record a training CSV on the machine without RAPL.
        root = os.path.join(work, "train")
        p = self.start(work, root, ["rapl="])
        train, js = os.path.join(work, "train.csv"), os.path.join(work, "t.json")
        rc, err = self.pact_run(work, root, scn, p, train, js)
        self.stop()
        self.check("training_run", rc == 0, "pact exited %d: %s" %
                   (rc, err.strip()[-300:]))
        model = os.path.join(work, "m.model")
        r = subprocess.run([pact, "model", "fit", "-o", model] +
                           scn.expect.get("fit_args", "").split() + [train],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           cwd=work, timeout=120)
        out = r.stdout.decode(errors="replace")
        self.check("model_fitted", r.returncode == 0 and os.path.exists(model),
                   "pact model fit exited %d: %s" % (r.returncode,
                                                     out.strip()[-300:]))
        # 2. Use it where RAPL is present: refused, in one line.
        root = os.path.join(work, "use")
        p = self.start(work, root)
        used, js = os.path.join(work, "use.csv"), os.path.join(work, "u.json")
        rc, err = self.pact_run(work, root, scn, p, used, js,
                                ["--model", model])
        self.stop()
        lines = [ln for ln in err.splitlines() if ln.strip()]
        print("  | " + "\n  | ".join(lines[-4:]))
        errs = [ln for ln in lines if "error" in ln]
        self.check("run_model_refused", rc != 0,
                   "pact run --model exited 0 with RAPL present")
        self.check("refusal_one_line_names_it",
                   len(errs) == 1 and re.search(pat, errs[0]) is not None,
                   "want one error line matching /%s/, got %r" % (pat, errs))
        # 3. The same model on a CSV recorded with RAPL present.
        root = os.path.join(work, "use2")
        p = self.start(work, root)
        rc2, _ = self.pact_run(work, root, scn, p, used, js)
        self.stop()
        r = subprocess.run([pact, "model", "predict", "-m", model, "-o",
                            os.path.join(work, "pred.csv"), used],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           cwd=work, timeout=120)
        out = r.stdout.decode(errors="replace")
        self.check("predict_refused", rc2 == 0 and r.returncode != 0 and
                   re.search(pat, out) is not None,
                   "pact model predict exited %d: %s" %
                   (r.returncode, out.strip()[-200:]))


def planned(path):
    """How many check lines check.py prints for this scenario."""
    scn = Scenario(path)
    if scn.expect.get("mode") == "model":
        return 5
    ex = scn.expect
    # exit, basis, uncertainty, windows, run band, printed (band or lower
    # bound), absurd, co2
    n = 8
    n += sum(1 for k in ex if k.startswith("channel_"))
    n += sum(1 for k in ("gap_windows", "dropped", "no_dropped") if k in ex)
    n += sum(1 for k in ex if k.startswith(("stderr", "not_stderr")))
    return n


def main():
    if sys.argv[1] == "--plan":
        print("PLAN: %d" % sum(planned(p) for p in sys.argv[2:]))
        return 0
    build, path = sys.argv[1], sys.argv[2]
    c = Case(build, path)
    print("# %s: %s" % (c.name, c.scn.describe))
    try:
        fig = c.run()
    except Exception as e:  # a crash is a failure, never a silent pass
        c.check("harness", False, "%s: %s" % (type(e).__name__, e))
        for r in c.results:
            print(r)
        fig = None
    fig = fig or {"name": c.scn.name, "describe": c.scn.describe,
                  "issue": c.scn.issue}
    fig.update(checks=c.nchecks, failed=c.failed)
    if len(sys.argv) > 3:
        with open(sys.argv[3], "a") as f:
            f.write(json.dumps(fig) + "\n")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
