#!/bin/sh
# run.sh - run every ground-truth scenario (tests/scenario/cases/*.scn)
# against BUILD (default build) and print the figures; the PASS/FAIL
# lines are counted by tests/run.sh.  RESULTS (optional, $2) collects the
# figures as JSON lines for tests/scenario/table.py.
B=${1:-build}
R=${2:-}
[ -n "$R" ] && : >"$R"
rc=0
for c in tests/scenario/cases/*.scn; do
    /usr/bin/python3 tests/scenario/check.py "$B" "$c" $R || rc=1
done
exit $rc
