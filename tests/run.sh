#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - run every test program, the CLI tests and the Python tests;
# count the PASS/FAIL/SKIP lines and end with "N passed, N failed,
# N skipped".  Each program or script first prints "PLAN: N" (t.h's T_MAIN,
# lib.sh's `plan`); one that prints fewer (or more) check lines than it
# planned, none at all, or exits non-zero without a FAIL line counts as a
# failure.  A missing dependency (pytest, a helper) is a failure too.
B=${1:-build}
export PACT_TEST_BUILD="$B"
pass=0 fail=0 skip=0
log=$(mktemp)
count() { # $1 = output file, $2 = exit status, $3 = name, $4 = "noplan" for pytest
    p=$(grep -c '^PASS: ' "$1"); f=$(grep -c '^FAIL: ' "$1"); s=$(grep -c '^SKIP: ' "$1")
    if [ "$2" != 0 ] && [ "$2" != 77 ] && [ "$f" = 0 ]; then
        f=1; echo "FAIL: $3 (exit status $2)"
    fi
    if [ "$4" != noplan ]; then
        n=$(sed -n 's/^PLAN: \([0-9][0-9]*\)$/\1/p' "$1" | head -n 1)
        got=$((p + f + s))
        if [ -z "$n" ]; then
            f=$((f + 1)); echo "FAIL: $3 (prints no PLAN line: declare the number of checks)"
        elif [ "$got" -lt "$n" ]; then
            f=$((f + 1)); echo "FAIL: $3 (ran $got of $n planned checks; each one not run needs a SKIP line)"
        elif [ "$got" -gt "$n" ] && [ "$f" = 0 ]; then
            f=1; echo "FAIL: $3 (ran $got checks but planned $n: update the plan)"
        fi
    fi
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}
for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    "$t" >"$log" 2>&1; rc=$?
    cat "$log"; count "$log" $rc "$t"
done
# A condition after `&&` outside the check is never checked: refuse it.
if awk -f tests/cli/lint.awk tests/cli/test_*.sh >"$log" 2>&1; then
    echo "PASS: tests/cli/lint.awk:no_condition_outside_check"; pass=$((pass + 1))
else
    sed 's/^/FAIL: /' "$log"; fail=$((fail + $(wc -l <"$log")))
fi
for t in tests/cli/test_*.sh; do
    [ -f "$t" ] || continue
    sh "$t" "$B" >"$log" 2>&1; rc=$?
    cat "$log"; count "$log" $rc "$t"
done
# Ground-truth scenarios (docs/scenarios.md).
if [ -f tests/scenario/run.sh ]; then
    sh tests/scenario/run.sh "$B" >"$log" 2>&1; rc=$?
    cat "$log"; count "$log" $rc tests/scenario/run.sh
fi
if [ ! -d python/tests ]; then
    :
elif ! /usr/bin/python3 -c 'import pytest' 2>/dev/null; then
    echo "FAIL: pytest (/usr/bin/python3 has no pytest: apt-get install python3-pytest, or make check)"
    fail=$((fail + 1))
else
    # An ASan build of the library needs the sanitizer runtimes loaded
    # first in the (uninstrumented) Python process.
    pre=""
    if grep -q libasan "$B/libpact.so" 2>/dev/null; then
        pre="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
    fi
    LD_PRELOAD="$pre" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
    PYTHONPATH=python PACT_LIBRARY="$PWD/$B/libpact.so" \
        /usr/bin/python3 -m pytest -q -rA -p no:cacheprovider python/tests >"$log" 2>&1; rc=$?
    sed -n 's/^PASSED \(.*\)/PASS: \1/p; s/^FAILED \(.*\)/FAIL: \1/p; s/^SKIPPED \(.*\)/SKIP: \1/p; s/^ERROR \(.*\)/FAIL: \1/p' "$log" >"$log.c"
    # Exit status 5 is "no tests collected": a failure, not a pass.
    [ "$rc" = 5 ] && echo "FAIL: pytest (collected no tests)" >>"$log.c"
    tail -n 30 "$log"; grep '^FAIL: pytest' "$log.c"; count "$log.c" $rc pytest noplan; rm -f "$log.c"
fi
rm -f "$log"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
