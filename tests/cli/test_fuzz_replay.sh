#!/bin/sh
# test_fuzz_replay.sh - replays the committed fuzz corpora
# (tests/fuzz/corpus/NAME) through each parser's fuzz target built with a
# plain main (BUILD/fuzz/replay_NAME): every seed, including the hostile
# ones (BOM, CRLF, rows=1e300, 1e400, quoted line breaks, floods of PSU
# replies), must run to the end without a crash; under `make asan` also
# without a sanitizer report.  `make fuzz` runs libFuzzer on them.
TEST_FILE=tests/cli/test_fuzz_replay.sh
. tests/cli/lib.sh
plan 12
REPO=$PWD
for dir in "$REPO"/tests/fuzz/corpus/*/; do
    name=$(basename "$dir")
    bin="$B/fuzz/replay_$name"
    if [ ! -x "$bin" ]; then
        fail "replay_$name" "$bin not built (make test-progs)"
        continue
    fi
    want=$(find "$dir" -type f ! -name '.*' | wc -l | tr -d ' ')
    "$bin" "$dir" >"$T/out" 2>"$T/err"
    rc=$?
    # Ran to the end (exit 0) and ran every seed.
    check "replay_${name}_exit_0" [ $rc = 0 ]
    check "replay_${name}_all_inputs" [ "$(cat "$T/out")" = "$want inputs" ]
done
