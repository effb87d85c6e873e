#!/bin/sh
# run.sh - `make fuzz`: build every tests/fuzz/fuzz_*.c with clang's
# libFuzzer (+ ASan, UBSan) into build-fuzz/ and run each for SECONDS
# (default 20) from its seed corpus tests/fuzz/corpus/NAME.  New inputs
# go to build-fuzz/corpus/NAME (copy them into the seed corpus by hand if
# they are worth keeping); a crash stops with the reproducer's path.
# Usage: sh tests/fuzz/run.sh [SECONDS]
SECS=${1:-20}
CC=${FUZZ_CC:-clang}
B=build-fuzz
if ! command -v "$CC" >/dev/null; then
    echo "fuzz: $CC not found; install clang (scripts/deps.sh)" >&2
    exit 2
fi
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
make --no-print-directory BUILD=$B CC="$CC" OPT="-O1 -g" \
    SAN="$SAN -fsanitize=fuzzer-no-link" $B/libpact.a $B/obj/src/cli/plan.o || exit 2
status=0
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c); name=${name#fuzz_}
    bin=$B/fuzz/fuzz_$name
    mkdir -p "$B/fuzz" "$B/corpus/$name" "$B/crash/$name"
    "$CC" -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Isrc -Itests/fuzz $SAN \
        -fsanitize=fuzzer -o "$bin" "$src" $B/obj/src/cli/plan.o \
        $B/libpact.a -lgsl -lgslcblas -ldl -lpthread -lm || exit 2
    echo "fuzz: $name for ${SECS}s"
    if ! "$bin" -max_total_time="$SECS" -max_len=8192 -timeout=10 \
        -artifact_prefix="$B/crash/$name/" "$B/corpus/$name" \
        "tests/fuzz/corpus/$name" 2>"$B/fuzz/$name.log"; then
        echo "fuzz: $name FAILED; see $B/fuzz/$name.log and $B/crash/$name/" >&2
        tail -n 30 "$B/fuzz/$name.log" >&2
        status=1
    else
        grep -E '^Done|stat::number_of_executed_units' "$B/fuzz/$name.log" | tail -n 1
    fi
done
exit $status
