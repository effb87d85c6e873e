# lib.sh - helpers for the CLI tests: pass/fail lines that tests/run.sh
# counts, and a scratch directory removed at exit.
B=${1:-build}
case "$B" in /*) ;; *) B="$PWD/$B" ;; esac
PACT="$B/pact"
T=$(mktemp -d /tmp/pact-cli-XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
pass() { echo "PASS: $TEST_FILE:$1"; }
fail() { echo "FAIL: $TEST_FILE:$1 ($2)"; }
skip() { echo "SKIP: $TEST_FILE:$1 ($2)"; }
check() { # name, condition-command...
    n=$1; shift
    if "$@"; then pass "$n"; else fail "$n" "$*"; fi
}
# Sum of a named CSV column over all rows (empty cells skipped).
csv_sum() {
    awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next}
        k && $k!="" {s+=$k; n++} END{if(n) printf "%.0f\n", s; else print ""}' "$1"
}
