# SPDX-License-Identifier: MIT
"""selftest.py - check the rig's own arithmetic before it judges pact.

    /usr/bin/python3 tests/scenario/selftest.py [--plan]

The truth's exact integrals (scenario.py) against a plain midpoint sum
with 200,000 steps (an independent method); the efficiency curve at its
points and between them; wall energy (Simpson between breakpoints)
against the midpoint sum; and the powercap counter the driver writes
(standins.py) against the kernel's wrap rule, worked by hand.
Tolerances: the midpoint sum's own error, 1e-6 relative for these
piecewise-linear and step functions at this step count (a jump inside a
step costs at most W * h / 2 per jump).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from scenario import Efficiency, Scenario, expr  # noqa: E402
import standins  # noqa: E402

CHECKS = 8
fails = 0


def check(name, ok, detail=""):
    global fails
    if ok:
        print("PASS: scenario/selftest:%s" % name)
    else:
        fails += 1
        print("FAIL: scenario/selftest:%s (%s)" % (name, detail))


def midpoint(f, a, b, n=200000):
    h = (b - a) / n
    return sum(f(a + (i + 0.5) * h) for i in range(n)) * h


def near(x, y, rel=1e-5, abs_=1e-6):
    return abs(x - y) <= max(abs_, rel * max(abs(x), abs(y)))


def main():
    if sys.argv[1:] == ["--plan"]:
        print(CHECKS)
        return 0
    cases = {
        "const": ("42", 0.3, 2.7),
        "step": ("10 + step(1.25, 30)", 0.0, 3.0),
        "pulse": ("pulse(0.5, 1.75, 100)", 0.2, 2.0),
        "ramp": ("ramp(1, 3, 60)", 0.0, 4.0),
        "square": ("square(0.1, 200, 0.5, 0.03)", 0.017, 1.333),
    }
    for name, (text, a, b) in cases.items():
        t = expr(text)
        want = midpoint(t.value, a, b)
        got = t.integral(a, b)
        check("integral_" + name, near(got, want, 1e-4),
              "%s over [%g, %g]: exact %.9g, midpoint %.9g" %
              (text, a, b, got, want))

    e = Efficiency("0.10:0.88 0.20:0.92 0.50:0.93", 1500)
    # By hand: 225 W is 15 % load, halfway 0.88 -> 0.92; below 10 % flat.
    ok = (near(e.at_dc(225), 0.90) and near(e.at_dc(60), 0.88) and
          near(e.at_dc(750), 0.93) and near(e.at_dc(1400), 0.93))
    check("efficiency_curve", ok, "at 225/60/750/1400 W: %s" %
          [e.at_dc(x) for x in (225, 60, 750, 1400)])

    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "t.scn")
        with open(p, "w") as f:
            f.write("[truth]\npackage0 = 40 + square(0.3, 50)\n"
                    "gpu0 = ramp(0.5, 2, 300)\nrest = 30\n"
                    "[psu]\nrating_w = 1000\n"
                    "efficiency = 0.02:0.70 0.10:0.88 0.50:0.93 1.00:0.91\n"
                    "[standins]\nrapl = package0\n"
                    "package0_max_uj = 50000000\n"
                    "package0_start_uj = 45000000\n")
        scn = Scenario(p)
        want = midpoint(scn.wall, 0.1, 2.6)
        got = scn.wall_energy(0.1, 2.6)
        check("wall_energy", near(got, want, 1e-4),
              "Simpson %.6f J, midpoint %.6f J" % (got, want))

        # The counter at t = 0.25 s: 90 W for 0.15 s, then 40 W for 0.1 s
        # is 17.5 J; from 45 J that is 62.5 J, past the 50 J range, so
        # the kernel shows raw (45e6 + 17.5e6) mod (50e6 + 1) = 12499999.
        root = os.path.join(d, "root")
        standins.build(scn, root, d)
        drv = standins.Driver(scn, root, d)
        drv.rapl("package0", 0.25)
        path = os.path.join(root, standins.PC, "intel-rapl:0", "energy_uj")
        raw = int(open(path).read())
        check("rapl_counter_wraps", raw == 12499999,
              "energy_uj %d, want 12499999" % raw)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
