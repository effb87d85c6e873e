#!/bin/sh
# test_examples.sh - the training examples (examples/cv_train.py,
# nlp_train.py, rl_train.py) run a few seconds each under the original
# decorator (`from trackerPACT import PACT`) with a result folder that does
# not exist yet; tests/cli/examples_check.py checks each CSV, its rows
# against the run's duration, and that training happened (steps done,
# losses finite).  Needs Debian's python3-torch and python3-torchvision.
# Usage: sh tests/cli/test_examples.sh BUILD
TEST_FILE=examples
. "$(dirname "$0")/lib.sh"
plan 18
PY=/usr/bin/python3
REPO=$(cd "$(dirname "$0")/../.." && pwd)
if ! "$PY" -c 'import torch, torchvision' 2>/dev/null; then
    fail missing_dependency "python3-torch or python3-torchvision not installed; make check installs them"
    exit 1
fi
export PACT_LIBRARY="$B/libpact.so"
cd "$T" || exit 1
# name, expected steps, command line
run() {
    name=$1 steps=$2; shift 2
    "$PY" "$@" >"$name.out" 2>"$name.err"
    echo "$?" >"$name.rc"
    "$PY" "$REPO/tests/cli/examples_check.py" "$name" "$steps" \
        "res_$name/new/PACT.csv" "$name.out" "$name.rc" "$name.err"
}
run cv 16 "$REPO/examples/cv_train.py" --res res_cv/new --epochs 2 \
    --steps 8 --batch-size 16 --samples 128
run nlp 8 "$REPO/examples/nlp_train.py" --res res_nlp/new --epochs 2 \
    --steps 4 --samples 256
# 2 epochs of 150 environment steps; one update after each step from the
# 64th on (the buffer then holds the 64 warm-up transitions): 300 - 63.
run rl 237 "$REPO/examples/rl_train.py" --res res_rl/new --epochs 2 \
    --steps 150 --warmup 64 --batch-size 64
