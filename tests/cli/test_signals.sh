#!/bin/sh
# test_signals.sh - pact's lifecycle seen from outside: an oversized period
# is refused at once (exit 2); SIGTERM, SIGINT and SIGHUP stop `pact run`
# while the PSU (the emulator with fault=no_reply) never answers and the
# workload ignores every signal: pact exits 128+signal, prints the summary,
# leaves a whole CSV (consecutive indices, every row complete, as many rows
# as the summary's windows) and kills the workload and its children; a
# second signal exits at once; SIGUSR1 prints the summary so far and the
# run goes on; SIGUSR2 reaches the workload; a workload does not outlive a
# pact killed with SIGKILL (PR_SET_PDEATHSIG); `pact monitor` stops on
# SIGHUP.  Hangs are caught by timeout(1) or a guard that kills a stuck
# pact (no timing is asserted: the one-second figure is in bench/).
TEST_FILE=tests/cli/test_signals.sh
. tests/cli/lib.sh
plan 37
EMU="$B/pact-psu-emu"
if [ ! -x "$EMU" ] || [ ! -x "$PACT" ]; then
    skip all "build $EMU and $PACT first (make)"
    exit 0
fi
EMU_PID=
trap '[ -n "$EMU_PID" ] && kill $EMU_PID 2>/dev/null; rm -rf "$T"' EXIT

# ---- Bounds: refused before anything starts ----
timeout -k 2 10 "$PACT" run --measure-period 1e10 -o "$T/big.csv" -- true \
    2>"$T/big.err"
check oversized_period_exit_2 [ $? = 2 ]
check oversized_period_message grep -q "1 ms to 1 day" "$T/big.err"
check oversized_period_no_output [ ! -e "$T/big.csv" ]
timeout -k 2 10 "$PACT" monitor --perf-period 0.00001 -o "" 2>"$T/small.err"
check tiny_perf_period_exit_2 [ $? = 2 ]
timeout -k 2 10 "$PACT" monitor --duration 1e12 -o "" 2>"$T/dur.err"
check oversized_duration_exit_2 [ $? = 2 ]

# A hang guard for a background pact: SIGKILL after 20 s, so a pact that
# never stops fails its checks instead of hanging the suite.  (Not
# timeout(1): signals sent to the run must reach pact itself.)
guard() { # pid
    (i=0; while kill -0 "$1" 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.1; i=$((i + 1)); done; kill -9 "$1" 2>/dev/null) &
    GUARD=$!
}
unguard() { kill "$GUARD" 2>/dev/null; wait "$GUARD" 2>/dev/null; }

# ---- A PSU that never answers ----
# It answers at start (an explicit --psu-device that never answers stops
# the run before the workload) and goes silent once the run is going.
S="$T/psu.sock"
state() { printf "$1" >"$T/st.new" && mv "$T/st.new" "$T/st"; }
state 'output_power_w=250\n'
"$EMU" --model hx1500i --listen "$S" --state "$T/st" 2>"$T/emu.log" &
EMU_PID=$!
i=0
while [ ! -S "$S" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
check emulator_listening [ -S "$S" ]

# The workload ignores INT, TERM and HUP and has a child of its own
# (which also ignores them); both write their pids.
WL="echo \$\$ >$T/wl.pid; trap '' INT TERM HUP; sleep 300 & echo \$! >$T/gc.pid; wait"

wait_file() { # path: until it is non-empty (bounded)
    i=0
    while [ ! -s "$1" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
}
gone() { # pid: the process no longer exists (bounded wait)
    [ -n "$1" ] || return 1
    i=0
    while kill -0 "$1" 2>/dev/null && [ $i -lt 250 ]; do
        sleep 0.02; i=$((i + 1))
    done
    ! kill -0 "$1" 2>/dev/null
}
# The CSV is whole: indices 0..n-1, every row with the header's cells.
csv_whole() {
    awk -F, 'NR==1{n=NF; next} {if (NF != n || $1 != NR-2) bad++}
        END{exit bad > 0 || NR < 2}' "$1"
}
# The summary's window count equals the CSV's row count.
rows_match() { # csv err
    w=$(sed -n 's/^pact: summary: .*, \([0-9]*\) windows\{0,1\}$/\1/p' "$2" | tail -n 1)
    r=$(($(wc -l <"$1") - 1))
    [ -n "$w" ] && [ "$w" = "$r" ]
}

for sig in TERM INT HUP; do
    rm -f "$T/wl.pid" "$T/gc.pid"
    state 'output_power_w=250\n'
    "$PACT" run --psu corsair --psu-device "unix:$S" \
        -e page-faults --measure-period 0.2 -o "$T/$sig.csv" \
        -- sh -c "$WL" 2>"$T/$sig.err" &
    RUN=$!
    guard $RUN
    wait_file "$T/gc.pid"
    sleep 0.3
    state 'output_power_w=250\nfault=no_reply\n'
    sleep 0.6
    kill -$sig $RUN
    wait $RUN
    rc=$?
    unguard
    case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
    check "${sig}_stops_pact_with_128_plus_signal" [ "$rc" = "$want" ]
    check "${sig}_summary_printed" grep -q "^pact: summary:" "$T/$sig.err"
    check "${sig}_csv_whole" csv_whole "$T/$sig.csv"
    check "${sig}_csv_rows_match_summary" rows_match "$T/$sig.csv" "$T/$sig.err"
    check "${sig}_workload_killed" gone "$(cat "$T/wl.pid")"
    check "${sig}_workload_child_killed" gone "$(cat "$T/gc.pid")"
done
check silent_psu_was_silent grep -q "no reply" "$T/TERM.err"

# ---- A second signal exits at once ----
# INT and TERM queued together: pact takes the first (INT: the lowest
# number is delivered first), and the second ends it without a summary.
rm -f "$T/wl.pid" "$T/gc.pid"
state 'output_power_w=250\n'
"$PACT" run --psu corsair --psu-device "unix:$S" -e page-faults \
    --measure-period 0.2 -o "$T/two.csv" -- sh -c "$WL" 2>"$T/two.err" &
RUN=$!
guard $RUN
wait_file "$T/gc.pid"
sleep 0.3
kill -TERM $RUN
kill -INT $RUN
wait $RUN
rc=$?
unguard
# Which of the two is taken first depends on when each arrives; the
# second one ends pact with its own status (130 or 143).
check second_signal_exit_status '[ "$rc" = 143 ] || [ "$rc" = 130 ]'
check second_signal_message grep -q "second signal" "$T/two.err"
check second_signal_no_final_summary sh -c "! grep -q '^pact: summary:' '$T/two.err'"
check second_signal_workload_gone gone "$(cat "$T/wl.pid")"
kill -9 "$(cat "$T/gc.pid")" 2>/dev/null || true
kill $EMU_PID 2>/dev/null
wait $EMU_PID 2>/dev/null
EMU_PID=

# ---- SIGUSR1: the summary so far; SIGUSR2: to the workload ----
rm -f "$T/usr2"
"$PACT" run --psu none -e page-faults --measure-period 0.1 \
    -o "$T/usr.csv" -- sh -c "trap 'echo got >$T/usr2' USR2; echo \$\$ >$T/u.pid; sleep 1.5; sleep 0.5" \
    2>"$T/usr.err" &
RUN=$!
guard $RUN
wait_file "$T/u.pid"
sleep 0.3
kill -USR1 $RUN
kill -USR2 $RUN
wait $RUN
rc=$?
unguard
check usr1_run_goes_on [ "$rc" = 0 ]
check usr1_summary_so_far grep -q "summary so far" "$T/usr.err"
check usr1_then_final_summary [ "$(grep -c '^pact: summary:' "$T/usr.err")" = 2 ]
check usr2_reaches_workload grep -q got "$T/usr2"

# ---- SIGKILL: the workload does not outlive pact ----
rm -f "$T/k.pid"
"$PACT" run --psu none -e page-faults -o "$T/k.csv" \
    -- sh -c "echo \$\$ >$T/k.pid; exec sleep 300" 2>"$T/k.err" &
RUN=$!
wait_file "$T/k.pid"
kill -KILL $RUN
wait $RUN 2>/dev/null
check pdeathsig_kills_workload gone "$(cat "$T/k.pid")"

# ---- monitor: SIGHUP ends it with the summary ----
"$PACT" monitor --psu none -e page-faults --measure-period 0.1 \
    -o "$T/mon.csv" 2>"$T/mon.err" &
RUN=$!
guard $RUN
sleep 0.6
kill -HUP $RUN
wait $RUN
rc=$?
unguard
check monitor_hup_exit_0 [ "$rc" = 0 ]
check monitor_hup_summary grep -q "^pact: summary:" "$T/mon.err"
check monitor_hup_csv_whole csv_whole "$T/mon.csv"
exit 0
