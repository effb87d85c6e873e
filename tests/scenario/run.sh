#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - the rig's self-test, then every ground-truth scenario
# (tests/scenario/cases/*.scn) against BUILD (default build): "PLAN: N",
# then PASS/FAIL lines and one FIG line per scenario.  RESULTS ($2,
# optional) collects the figures as JSON lines for tests/scenario/table.py.
B=${1:-build}
R=${2:-}
PY=/usr/bin/python3
n=$($PY tests/scenario/check.py --plan tests/scenario/cases/*.scn | sed 's/PLAN: //')
echo "PLAN: $((n + $($PY tests/scenario/selftest.py --plan)))"
rc=0
$PY tests/scenario/selftest.py || rc=1
for f in "$B/pact" "$B/pact-psu-emu" "$B/fakes/fake_nvml.so"; do
    if [ ! -e "$f" ]; then
        echo "FAIL: scenario:missing_dependency ($f is missing: make && make test-progs)"
        exit 1
    fi
done
[ -n "$R" ] && : >"$R"
for c in tests/scenario/cases/*.scn; do
    $PY tests/scenario/check.py "$B" "$c" $R || rc=1
done
exit $rc
