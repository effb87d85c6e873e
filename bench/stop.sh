#!/bin/sh
# SPDX-License-Identifier: MIT
# stop.sh - how long `pact run` takes to stop on SIGTERM in the worst case
# issue 12 names: the PSU (the emulator, fault=no_reply) never answers and
# the workload ignores SIGTERM.  Time from kill to pact's exit, N runs;
# prints each, the median and the maximum.  The target is 1 s: 0.3 s grace
# for the workload, at most one 250 ms PSU read in progress, then the last
# window's read.
#
# usage: sh bench/stop.sh [BUILD_DIR] [--runs N]
B=build N=5
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) N=$2; shift ;;
    -h|--help) sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "stop.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) B=$1 ;;
    esac
    shift
done
PACT=$B/pact EMU=$B/pact-psu-emu
echo "== stop: SIGTERM to pact run, silent PSU, workload ignoring SIGTERM ($N runs)"
if [ ! -x "$PACT" ] || [ ! -x "$EMU" ]; then
    echo "SKIP: stop (build $PACT and $EMU first: make)"
    exit 0
fi
T=$(mktemp -d /tmp/pact-stop-XXXXXX)
EMU_PID=
trap '[ -n "$EMU_PID" ] && kill $EMU_PID 2>/dev/null; rm -rf "$T"' EXIT
state() { printf "$1" >"$T/st.new" && mv "$T/st.new" "$T/st"; }
state 'output_power_w=250\n'
"$EMU" --model hx1500i --listen "$T/psu.sock" --state "$T/st" 2>/dev/null &
EMU_PID=$!
i=0
while [ ! -S "$T/psu.sock" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
now() { date +%s.%N; }
r=0
while [ $r -lt "$N" ]; do
    state 'output_power_w=250\n'
    rm -f "$T/ready"
    "$PACT" run -q --psu corsair --psu-device "unix:$T/psu.sock" -e page-faults \
        --measure-period 0.2 -o "$T/out.csv" \
        -- sh -c "trap '' TERM; touch $T/ready; exec sleep 60" 2>/dev/null &
    P=$!
    i=0
    while [ ! -e "$T/ready" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
    sleep 0.3
    state 'output_power_w=250\nfault=no_reply\n'
    sleep 0.7
    t0=$(now)
    kill -TERM $P
    wait $P
    t1=$(now)
    echo "$t1 $t0" | awk '{printf "%.3f\n", $1 - $2}' >>"$T/times"
    r=$((r + 1))
done
sort -n "$T/times" | awk '{v[NR]=$1; s = s sprintf(" %.3f", $1)}
    END{m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
        printf "kill to exit, sorted (s):%s\n", s;
        printf "median %.3f s, max %.3f s (target: 1 s)\n", m, v[NR]}'
