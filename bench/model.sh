#!/bin/sh
# model.sh - bench/model (pact, C + GSL) and bench/model_sklearn.py
# (scikit-learn) on the same 1 000 000 rows, side by side, with the
# ratio sklearn time / pact time (> 1: pact is faster).
# Usage: sh bench/model.sh [BUILD_DIR] [ROWS] [REPS]
B=${1:-build}
ROWS=${2:-1000000}
REPS=${3:-5}
[ -x "$B/bench/model" ] || { echo "model.sh: build $B/bench/model first (make $B/bench/model)" >&2; exit 1; }
DATA=$(mktemp /tmp/pact-bench-model-XXXXXX)
trap 'rm -f "$DATA" "$DATA.c" "$DATA.py"' EXIT
"$B/bench/model" --rows "$ROWS" --reps "$REPS" --dump "$DATA" >"$DATA.c" || exit 1
cat "$DATA.c"
if ! /usr/bin/python3 -c 'import sklearn' 2>/dev/null; then
    echo "scikit-learn not installed (apt-get install python3-sklearn): no comparison"
    exit 0
fi
/usr/bin/python3 "$(dirname "$0")/model_sklearn.py" "$DATA" "$REPS" >"$DATA.py" || exit 1
cat "$DATA.py"
for what in ols_fit_s piecewise_fit_s; do
    c=$(awk -v k=$what '$2==k{print $3}' "$DATA.c")
    p=$(awk -v k=$what '$2==k{print $3}' "$DATA.py")
    awk -v w=$what -v c="$c" -v p="$p" 'BEGIN{printf "ratio %s sklearn/pact = %.1fx\n", w, p/c}'
done
