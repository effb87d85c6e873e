#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh - run every benchmark in bench/ (make bench): each bench/NAME.sh
# as `sh bench/NAME.sh BUILD_DIR`, then each built BUILD_DIR/bench/NAME
# from bench/NAME.c, except helpers marked PACT-BENCH-HELPER.  A benchmark
# whose prerequisites are missing prints a SKIP line itself, or is skipped
# here when it was not built.
B=${1:-build}
status=0
for s in bench/*.sh; do
    [ -f "$s" ] || continue
    [ "$(basename "$s")" = run.sh ] && continue
    echo
    sh "$s" "$B" || { echo "FAIL: $s (exit status $?)"; status=1; }
done
for c in bench/*.c; do
    [ -f "$c" ] || continue
    grep -q PACT-BENCH-HELPER "$c" && continue
    name=$(basename "$c" .c)
    echo
    if [ ! -x "$B/bench/$name" ]; then
        echo "SKIP: $name (not built: make $B/bench/$name)"
        continue
    fi
    "$B/bench/$name" || { echo "FAIL: $name (exit status $?)"; status=1; }
done
exit $status
