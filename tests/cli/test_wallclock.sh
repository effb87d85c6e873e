#!/bin/sh
# test_wallclock.sh - unix_time follows the wall clock at every window
# edge while durations stay monotonic: under libfaketime (Debian package
# faketime; only CLOCK_REALTIME is faked, DONT_FAKE_MONOTONIC=1) the wall
# clock is stepped forward by one hour in the middle of a `pact monitor`.
# The rows before the step advance with their own durations, exactly one
# edge carries the +3600 s step, the rows after it advance normally again,
# no duration grows, and pact warns about the jump once and counts it in
# the summary (text and --summary-json).
TEST_FILE=tests/cli/test_wallclock.sh
. tests/cli/lib.sh
plan 9
FT=
for f in /usr/lib/*/faketime/libfaketimeMT.so.1; do
    [ -f "$f" ] && FT=$f
done
if [ ! -x "$PACT" ]; then
    fail build "build $PACT first (make)"
    exit 1
fi
if [ -z "$FT" ]; then
    fail missing_dependency "libfaketime not installed (make check installs faketime)"
    exit 1
fi

echo "+0" >"$T/offset"
# FAKETIME_FORCE_MONOTONIC_FIX=0: leave pthread_cond_timedwait on a
# CLOCK_MONOTONIC condition variable alone (the sampler's sleep).  An ASan
# build (make asan) must accept a preloaded library before its runtime.
LD_PRELOAD="$FT" FAKETIME_TIMESTAMP_FILE="$T/offset" FAKETIME_NO_CACHE=1 \
DONT_FAKE_MONOTONIC=1 FAKETIME_FORCE_MONOTONIC_FIX=0 \
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    timeout -k 2 30 "$PACT" monitor --psu none -e page-faults --measure-period 0.2 \
    --duration 2.1 -o "$T/m.csv" --summary-json "$T/m.json" 2>"$T/m.err" &
RUN=$!
sleep 1
echo "+3600" >"$T/offset"
wait $RUN
check monitor_exit_0 [ $? = 0 ]
check jump_warned grep -q "wall clock jumped by +3600" "$T/m.err"
check jump_warned_once [ "$(grep -c 'wall clock jumped' "$T/m.err")" = 1 ]
check jump_in_summary grep -q "wall clock: 1 jump, +3600" "$T/m.err"
check jump_in_json /usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
sys.exit(not (s["wall_clock_jumps"] == 1 and abs(s["wall_clock_jump_s"] - 3600) < 0.1))
' "$T/m.json"
# Per edge: unix_time[i+1] - unix_time[i] - duration[i]; ~0 except at the
# step (timer noise is microseconds; 0.05 s bounds it with room).
awk -F, 'NR==1{for(i=1;i<=NF;i++){if($i=="unix_time")u=i; if($i=="duration(s)")d=i}; next}
    NR>2{printf "%.6f\n", $u - pu - pd} {pu=$u; pd=$d}' "$T/m.csv" >"$T/steps"
check rows_written [ "$(wc -l <"$T/steps")" -ge 8 ]
check one_step_of_an_hour awk '$1 > 3599.9 && $1 < 3600.1 {n++} END{exit n != 1}' "$T/steps"
check other_edges_follow_durations awk '($1 < 3599.9 || $1 > 3600.1) && ($1 > 0.05 || $1 < -0.05) {bad++} END{exit bad > 0}' "$T/steps"
check durations_stay_monotonic awk -F, 'NR==1{for(i=1;i<=NF;i++) if($i=="duration(s)")d=i; next}
    $d > 1 {bad++} END{exit bad > 0}' "$T/m.csv"
exit 0
