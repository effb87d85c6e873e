# SPDX-License-Identifier: MIT
# lib.sh - helpers for the CLI tests: pass/fail/skip lines that
# tests/run.sh counts, the declared check count, and a scratch directory
# removed at exit.
#
#   plan N                  this script runs N checks (PASS, FAIL or SKIP
#                           lines); run.sh fails a script that prints fewer
#   check NAME 'EXPR'       one argument: evaluated whole by the shell, so
#                           'A && B' or a pipeline is part of the check
#   check NAME CMD ARG...   several arguments: run as one command
#   skip NAME WHY           a check this machine cannot run (no GPU, no
#                           hardware PMU), with the reason
#   need FILE WHAT          a test dependency; missing, it is a FAIL line
#                           and the script stops (run.sh then also counts
#                           the checks it did not run)
#
# Never write `check NAME [ a ] && [ b ]`: the shell runs `check` on
# `[ a ]` only.  run.sh rejects such lines (tests/cli/lint.awk).
B=${1:-build}
case "$B" in /*) ;; *) B="$PWD/$B" ;; esac
PACT="$B/pact"
T=$(mktemp -d /tmp/pact-cli-XXXXXX)
chmod 755 "$T"
trap 'rm -rf "$T"' EXIT
plan() { echo "PLAN: $1"; }
pass() { echo "PASS: $TEST_FILE:$1"; }
fail() { echo "FAIL: $TEST_FILE:$1 ($2)"; }
skip() { echo "SKIP: $TEST_FILE:$1 ($2)"; }
check() { # name, expression | command...
    _cn=$1; shift
    if [ $# = 1 ]; then
        if eval "$1"; then pass "$_cn"; else fail "$_cn" "$1"; fi
    else
        if "$@"; then pass "$_cn"; else fail "$_cn" "$*"; fi
    fi
}
need() { # file, what to do when it is missing
    [ -e "$1" ] && return 0
    fail missing_dependency "$1 is missing: $2"
    exit 1
}
# Sum of a named CSV column over all rows (empty cells skipped).
csv_sum() {
    awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next}
        k && $k!="" {s+=$k; n++} END{if(n) printf "%.0f\n", s; else print ""}' "$1"
}
# powercap_tree ROOT: a RAPL powercap tree under ROOT laid out as the
# kernel does (package-0 with a dram subzone; class -> devices links),
# both counters at 0 with a range of RAPL_MAX uJ (the kernel's usual
# 262143328850); sets PKG and DRAM to the two energy_uj files.
RAPL_MAX=262143328850
powercap_tree() {
    d="$1/sys/devices/virtual/powercap/intel-rapl"
    mkdir -p "$d/intel-rapl:0/intel-rapl:0:0" "$1/sys/class/powercap"
    echo package-0 >"$d/intel-rapl:0/name"
    echo dram >"$d/intel-rapl:0/intel-rapl:0:0/name"
    echo $RAPL_MAX >"$d/intel-rapl:0/max_energy_range_uj"
    echo $RAPL_MAX >"$d/intel-rapl:0/intel-rapl:0:0/max_energy_range_uj"
    echo 0 >"$d/intel-rapl:0/energy_uj"
    echo 0 >"$d/intel-rapl:0/intel-rapl:0:0/energy_uj"
    ln -s ../../devices/virtual/powercap/intel-rapl "$1/sys/class/powercap/intel-rapl"
    ln -s ../../devices/virtual/powercap/intel-rapl/intel-rapl:0 "$1/sys/class/powercap/intel-rapl:0"
    ln -s ../../devices/virtual/powercap/intel-rapl/intel-rapl:0/intel-rapl:0:0 "$1/sys/class/powercap/intel-rapl:0:0"
    PKG="$d/intel-rapl:0/energy_uj"
    DRAM="$d/intel-rapl:0/intel-rapl:0:0/energy_uj"
}
