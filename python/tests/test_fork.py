# SPDX-License-Identifier: MIT
"""fork() with a running tracker: the child (which exits normally, so its
finalizers run) neither hangs nor writes; the tracker refuses to be used
from it; the parent's CSV stays whole (indices 0..n-1 once each) and holds
the rows the parent's summary counts.  Each scenario runs in its own
interpreter, so a hang is a failed test, not a hung suite."""

import os
import subprocess
import sys

from conftest import REPO, csv_rows

SCRIPT = r"""
import os, sys, time
import pact
from pact import _lib

t = pact.Tracker(output=sys.argv[1], measure_period=0.02, perf_period=0.02,
                 psu="none")
t.start()
time.sleep(0.15)
pid = os.fork()
if pid == 0:
    # The child: the tracker is the parent's.
    code = 0
    try:
        t.summary()
        code = 3
    except pact.PactError as e:
        code = 0 if e.errno == _lib.ESTATE else 4
    mode = sys.argv[2]
    if mode == "exit":
        sys.exit(code)         # finalizers run at exit
    elif mode == "close":
        t.close()              # explicit close in the child
        sys.exit(code)
    else:
        del t                  # dropped: the weakref finalizer runs now
        sys.exit(code)
deadline = time.monotonic() + 20
while True:
    r, st = os.waitpid(pid, os.WNOHANG)
    if r == pid:
        break
    if time.monotonic() > deadline:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        print("child hung")
        sys.exit(5)
    time.sleep(0.01)
time.sleep(0.1)
s = t.stop()
t.close()
print("child_status", os.waitstatus_to_exitcode(st))
print("rows", s.rows)
"""


def run(tmp_path, mode):
    out = str(tmp_path / ("fork_%s.csv" % mode))
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "python"))
    r = subprocess.run([sys.executable, "-c", SCRIPT, out, mode], env=env,
                       capture_output=True, text=True, timeout=120)
    return r, out


def check(tmp_path, mode):
    r, out = run(tmp_path, mode)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = dict(line.split() for line in r.stdout.splitlines()
                 if line.startswith(("child_status", "rows")))
    assert lines["child_status"] == "0"
    header, rows = csv_rows(out)
    assert [int(row["index"]) for row in rows] == list(range(len(rows)))
    assert len(rows) == int(lines["rows"]) >= 2


def test_child_exits_normally(tmp_path):
    check(tmp_path, "exit")


def test_child_closes_the_tracker(tmp_path):
    check(tmp_path, "close")


def test_child_drops_the_tracker(tmp_path):
    check(tmp_path, "drop")
