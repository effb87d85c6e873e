#!/bin/sh
# test_stress.sh - `pact stress` end to end: result files and their names,
# the command's output in _out.txt, resumption (completed runs are skipped,
# failed and interrupted ones rerun), and bad plan lines reported with
# their line number before anything runs.  Usage: sh test_stress.sh BUILD
B=${1:-build}
case "$B" in
/*) PACT="$B/pact" ;;
*) PACT="$PWD/$B/pact" ;;
esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
OPTS="--cooldown 0 --measure-period 0.2 --perf-period 0.1 --no-status"

pass() { echo "PASS: stress_$1"; }
fail() { echo "FAIL: stress_$1 ($2)"; }
check() { # name, condition-as-exit-status, why
    if [ "$2" = 0 ]; then pass "$1"; else fail "$1" "$3"; fi
}
# The number of checks below, for tests/run.sh (see tests/cli/lib.sh).
echo "PLAN: 18"
lines() { [ -f "$1" ] && wc -l <"$1" | tr -d ' ' || echo 0; }

# Each command appends to count_NAME, so the test sees how often it ran.
cat >plan.csv <<'PLAN'
name,trial#,cmd
idle_1,1,1
hello,1,echo "hello, world" ; echo to-stderr >&2 ; echo x >> count_hello
hello,2,echo x >> count_hello2
fails,1,echo x >> count_fails ; exit 3
PLAN

"$PACT" stress $OPTS -o R plan.csv >out1.txt 2>err1.txt
rc=$?
check exit_status_failed_run "$([ $rc = 1 ]; echo $?)" "exit $rc, want 1"

ok=0
for f in idle_1_1_PACT.csv idle_1_1_out.txt idle_1_1_PACT.done \
         hello_1_PACT.csv hello_1_out.txt hello_1_PACT.done \
         hello_2_PACT.csv hello_2_out.txt fails_1_PACT.csv fails_1_out.txt; do
    [ -f "R/$f" ] || { ok=1; missing="$missing $f"; }
done
check files_named "$ok" "missing:$missing"
check no_marker_for_failed_run "$([ ! -e R/fails_1_PACT.done ]; echo $?)" \
    "fails_1_PACT.done exists"

h=$(head -n 1 R/hello_1_PACT.csv | cut -d, -f1-12)
want='index,start_time,duration(s),Total_PSU_Power(W),Nvidia_SMI_Power(W),'
want="${want}Intel_RAPL_Power(W),GPU_Util_SM(%),GPU_Util_Memory(%),"
want="${want}migrations,faults,cache-misses,cycles"
check csv_original_columns "$([ "$h" = "$want" ]; echo $?)" "header '$h'"
n=$(($(lines R/idle_1_1_PACT.csv) - 1))
check idle_csv_has_rows "$([ "$n" -ge 2 ]; echo $?)" "$n rows for 1 s at 0.2 s"

check out_txt_stdout "$(grep -qx 'hello, world' R/hello_1_out.txt; echo $?)" \
    "$(head -c 200 R/hello_1_out.txt)"
check out_txt_stderr "$(grep -qx 'to-stderr' R/hello_1_out.txt; echo $?)" \
    "stderr not captured"
check idle_out_txt_empty "$([ ! -s R/idle_1_1_out.txt ]; echo $?)" \
    "idle output not empty"
check progress_line "$(grep -q 'run 2 of 4: hello trial 1.*elapsed.*ETA' \
    err1.txt; echo $?)" "$(grep 'run 2' err1.txt)"

# Resumption: completed runs are skipped, the failed one runs again.
cp R/hello_1_PACT.csv saved.csv
"$PACT" stress $OPTS -o R plan.csv >out2.txt 2>err2.txt
rc=$?
c=$(lines count_hello)
check resume_skips_complete "$([ "$c" = 1 ] && cmp -s saved.csv \
    R/hello_1_PACT.csv; echo $?)" "hello ran $c times or its CSV changed"
c=$(lines count_fails)
check resume_reruns_failed "$([ "$c" = 2 ] && [ $rc = 1 ]; echo $?)" \
    "fails ran $c times, exit $rc"
check resume_says_skipped "$(grep -q 'hello trial 1 already complete' \
    err2.txt; echo $?)" "no skip message"

# An interrupted run leaves no marker, stops the plan, and reruns later.
cat >int.csv <<'PLAN'
name,trial#,cmd
first,1,echo x >> count_first
stop,1,echo x >> count_stop ; kill -TERM $PPID ; sleep 2
after,1,echo x >> count_after
PLAN
"$PACT" stress $OPTS -o I int.csv >/dev/null 2>err3.txt
rc=$?
check interrupt_status "$([ $rc = 143 ]; echo $?)" "exit $rc, want 143"
check interrupt_no_marker "$([ ! -e I/stop_1_PACT.done ] && \
    [ -e I/first_1_PACT.done ] && [ ! -e count_after ]; echo $?)" \
    "markers or later runs wrong"

# Bad lines: every one reported with its line number; nothing runs.
cat >bad.csv <<'PLAN'
name,trial#,cmd
good,1,echo x >> count_good
bad name,1,true
x,one,true
# a comment
y,2
good,1,true
PLAN
"$PACT" stress $OPTS -o B bad.csv >/dev/null 2>err4.txt
rc=$?
check bad_plan_status "$([ $rc = 2 ]; echo $?)" "exit $rc, want 2"
ok=0
for n in 3 4 6 7; do
    grep -q "bad.csv:$n: " err4.txt || ok=1
done
check bad_plan_line_numbers "$ok" "$(cat err4.txt)"
check bad_plan_runs_nothing "$([ ! -e count_good ] && [ ! -e B ]; echo $?)" \
    "a run started or B was created"
printf 'a,1,true\n' >nohdr.csv
"$PACT" stress $OPTS -o B nohdr.csv 2>err5.txt
rc=$?
check missing_header "$([ $rc = 2 ] && grep -q 'nohdr.csv:1: .*header' \
    err5.txt; echo $?)" "exit $rc: $(cat err5.txt)"
