# SPDX-License-Identifier: MIT
"""examples_check.py NAME STEPS CSV STDOUT RCFILE STDERR - the checks of
tests/cli/test_examples.sh for one example run; prints PASS/FAIL lines."""

import csv
import math
import sys

name, want_steps, path, out, rcfile, errfile = sys.argv[1:7]
want_steps = int(want_steps)
ORIGINAL = ["index", "start_time", "duration(s)", "Total_PSU_Power(W)",
            "Nvidia_SMI_Power(W)", "Intel_RAPL_Power(W)", "GPU_Util_SM(%)",
            "GPU_Util_Memory(%)"]


def check(what, ok, why=""):
    print("%s: examples:%s_%s%s" % ("PASS" if ok else "FAIL", name, what,
                                     "" if ok else " (%s)" % why))


rc = open(rcfile).read().strip()
check("exit_status", rc == "0",
      "exit %s: %s" % (rc, open(errfile).read()[-300:]))
try:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
except OSError as e:
    check("csv_written", False, e)
    sys.exit(0)
header, body = rows[0], rows[1:]
check("csv_original_columns", header[:8] == ORIGINAL, header[:8])
check("csv_index", [r[0] for r in body] == [str(i) for i in
                                            range(len(body))],
      "index column")
dur = [float(r[header.index("duration(s)")]) for r in body]
total = sum(dur)
# The last line the example prints: steps N first_loss A last_loss B
# elapsed_s T, T measured by the example itself around its training.
last = open(out).read().split("\n")
fields = [ln for ln in last if ln.startswith("steps ")][-1].split()
steps, first, final, elapsed = (int(fields[1]), float(fields[3]),
                                float(fields[5]), float(fields[7]))
# One row per whole measure period (1 s, the decorator's) plus the last
# partial one; the windows tile the run, so the durations add up to the
# tracked time, which contains the example's own elapsed time plus the
# tracker's start and stop (well under a second; 2 s allowed on a shared
# 2-CPU machine).
check("rows_match_duration",
      len(body) >= 1 and abs(len(body) - math.ceil(total)) <= 1,
      "%d rows for %.2f s" % (len(body), total))
check("duration_covers_run", elapsed - 0.05 <= total <= elapsed + 2.0,
      "rows sum to %.2f s, the run took %.2f s" % (total, elapsed))
check("trained", steps == want_steps and math.isfinite(first) and
      math.isfinite(final),
      "steps %d (want %d), losses %r %r" % (steps, want_steps, first,
                                             final))
