#!/bin/sh
# run.sh - run every test program, the CLI tests and the Python tests;
# count the PASS/FAIL/SKIP lines and end with "N passed, N failed".
# A test program that crashes or exits non-zero without a FAIL line
# counts as one failure.
B=${1:-build}
export PACT_TEST_BUILD="$B"
pass=0 fail=0 skip=0
log=$(mktemp)
count() { # $1 = output file, $2 = exit status, $3 = name
    p=$(grep -c '^PASS: ' "$1"); f=$(grep -c '^FAIL: ' "$1"); s=$(grep -c '^SKIP: ' "$1")
    if [ "$2" != 0 ] && [ "$2" != 77 ] && [ "$f" = 0 ]; then
        f=1; echo "FAIL: $3 (exit status $2)"
    fi
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
}
for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    "$t" >"$log" 2>&1; rc=$?
    cat "$log"; count "$log" $rc "$t"
done
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
if [ -d python/tests ] && /usr/bin/python3 -c 'import pytest' 2>/dev/null; then
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
    [ "$rc" = 5 ] && rc=0
    tail -n 30 "$log"; count "$log.c" $rc pytest; rm -f "$log.c"
fi
rm -f "$log"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
