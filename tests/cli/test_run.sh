#!/bin/sh
# test_run.sh - `pact run`, `monitor`, `list` end to end: exit statuses,
# signal forwarding, bad input, kill -9 safety, counts against perf stat,
# and the unprivileged fallback.
TEST_FILE=tests/cli/test_run.sh
. tests/cli/lib.sh
FP="$B/tests/helpers/fault_pages"

"$PACT" run -q -o "$T/a.csv" -- sh -c 'exit 3'
check exit_status_propagates [ $? = 3 ]

"$PACT" run -q -o "$T/a.csv" -- /no/such/cmd 2>"$T/err"
rc=$?
check missing_command_127 [ $rc = 127 ]
check missing_command_message grep -q "command not found" "$T/err"

"$PACT" run -q -o "$T/sig.csv" -- sh -c 'trap "exit 7" TERM; while :; do sleep 0.05; done' &
p=$!
sleep 0.6
kill -TERM $p
wait $p
check sigterm_forwarded [ $? = 7 ]

"$PACT" run -q -e 'faults;migratons' -o "$T/a.csv" -- touch "$T/ran1" 2>"$T/err"
rc=$?
check unknown_event_error [ $rc = 2 ]
check unknown_event_close_names grep -q "did you mean: migrations" "$T/err"
check unknown_event_nothing_ran [ ! -e "$T/ran1" ]

"$PACT" run -q --measure-period 0 -o "$T/a.csv" -- true 2>"$T/err"
check zero_period_error [ $? = 2 ]
check zero_period_message grep -q "measure period must be > 0" "$T/err"
"$PACT" run -q --measure-period 0.1 --perf-period 0.5 -o "$T/a.csv" -- true 2>"$T/err"
check perf_period_too_long [ $? = 2 ]
check perf_period_message grep -q "must not exceed" "$T/err"
"$PACT" run -q --measure-period abc -- true 2>"$T/err"
check non_number_period grep -q "'abc' is not a number" "$T/err"

# Missing folders of -o are created (as the original did), so an
# unwritable output is one under a regular file (root can create any
# folder).
: >"$T/afile"
"$PACT" run -q -o "$T/afile/dir/out.csv" -- touch "$T/ran2" 2>"$T/err"
rc=$?
check unwritable_output_error [ $rc = 2 ]
check unwritable_output_before_start [ ! -e "$T/ran2" ]
check unwritable_output_message grep -q "cannot write the output file" "$T/err"

# kill -9 of pact: every line written is a whole row.
"$PACT" run -q --measure-period 0.1 -o "$T/k.csv" -- sleep 5 &
p=$!
sleep 1.05
kill -9 $p
wait $p 2>/dev/null
h=$(head -1 "$T/k.csv" | awk -F, '{print NF}')
bad=$(awk -F, -v h="$h" 'NF != h' "$T/k.csv" | wc -l)
rows=$(($(wc -l <"$T/k.csv") - 1))
last=$(tail -c 1 "$T/k.csv" | od -An -c | tr -d ' ')
check kill9_whole_rows [ "$bad" = 0 ] && [ "$rows" -ge 5 ] && [ "$last" = '\n' ]

# Page faults of a known workload agree with perf stat within 2 %.
"$PACT" run -q --scope workload -e page-faults -o "$T/pf.csv" -- "$FP" 20000
ours=$(csv_sum "$T/pf.csv" page-faults)
theirs=$(perf stat -x, -e page-faults -- "$FP" 20000 2>&1 >/dev/null | awk -F, '/page-faults/{print $1}')
if [ -z "$theirs" ]; then
    skip faults_match_perf_stat "perf stat unavailable"
else
    check faults_match_perf_stat awk -v a="$ours" -v b="$theirs" \
        'BEGIN{d=a-b; if(d<0)d=-d; exit !(a>=20000 && d <= 0.02*b)}'
fi
"$PACT" run -q --scope workload -e context-switches -o "$T/cs.csv" -- sh -c 'for i in 1 2 3 4 5; do sleep 0.01; done'
cs=$(csv_sum "$T/cs.csv" context-switches)
check context_switches_counted [ -n "$cs" ] && [ "$cs" -ge 5 ]

# Unprivileged: falls back to workload scope and still counts.  The
# binaries are copied to the scratch directory, which uid 65534 can reach
# even when the checkout cannot.
mkdir -m 1777 "$T/u"
cp "$PACT" "$FP" "$T/u/"
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$T/u/pact"; then
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$T/u/pact" run -e 'faults,cs' -o "$T/u/u.csv" -- "$T/u/fault_pages" 5000 2>"$T/uerr"
    cp "$T/u/u.csv" "$T/u.csv"
    f=$(csv_sum "$T/u.csv" faults)
    cs=$(csv_sum "$T/u.csv" cs)
    if [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 1 ]; then
        check unprivileged_notice grep -q "counting the workload only" "$T/uerr"
    fi
    check unprivileged_counts [ -n "$f" ] && [ "$f" -ge 5000 ]
    if [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 2 ]; then
        check unprivileged_cs_empty_not_zero [ -s "$T/u.csv" ] && [ -z "$cs" ]
        check unprivileged_cs_warning grep -q "cs: counting kernel-side" "$T/uerr"
    fi
    # monitor has no command to follow: one warning naming every event,
    # empty counter cells, and no multiplexing figure.
    setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$T/u/pact" monitor --duration 0.5 --measure-period 0.25 \
        -o "$T/u/m.csv" 2>"$T/merr"
    if [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -ge 1 ]; then
        check unprivileged_monitor_one_warning [ "$(grep -c 'nothing to count' "$T/merr")" = 1 ]
        check unprivileged_monitor_names_events grep -q \
            "migrations, faults, cache-misses, cycles: nothing to count" "$T/merr"
        check unprivileged_monitor_empty_cells [ -z "$(csv_sum "$T/u/m.csv" faults)" ] && \
            [ -z "$(csv_sum "$T/u/m.csv" counter_running_pct)" ]
    fi
else
    skip unprivileged "cannot switch to uid 65534 or it cannot run $PACT"
fi

"$PACT" monitor -q --duration 0.5 --measure-period 0.1 -o "$T/m.csv"
rc=$?
rows=$(($(wc -l <"$T/m.csv") - 1))
check monitor_duration [ $rc = 0 ] && [ "$rows" -ge 4 ] && [ "$rows" -le 6 ]
"$PACT" monitor -q --measure-period 0.1 -o "$T/m2.csv" &
p=$!
sleep 0.5
kill -INT $p
wait $p
check monitor_sigint_stops [ $? = 0 ] && [ "$(wc -l <"$T/m2.csv")" -ge 4 ]

"$PACT" list >"$T/list" 2>&1
check list_runs grep -q "page-faults" "$T/list"
check list_says_why grep -q "cycles .*not supported" "$T/list"
"$PACT" --version | grep -q "^pact [0-9]"
check version [ $? = 0 ]
"$PACT" run --help | grep -q -- "--measure-period"
check run_help [ $? = 0 ]
"$PACT" frobnicate 2>/dev/null
check unknown_command [ $? = 2 ]
