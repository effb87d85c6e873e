#!/bin/sh
# test_safety.sh - issue 12 end to end: an existing output survives a
# set-up error; links, FIFOs and inputs are refused as outputs (run,
# model fit/eval, stress); a full disk (a small tmpfs, or a file-size
# limit where mounting is impossible) exits 3 with rows kept and lost and
# no torn last row; a failed --summary-json exits 3; a PSU device that
# floods stops before the workload; -e '' and run --duration are
# refused; a CSV with a region holding a line break is read back by
# model predict; PACT_NVML_LIB is ignored under file capabilities.
TEST_FILE=tests/cli/test_safety.sh
. tests/cli/lib.sh
plan 52
# An ASan build of libpact needs the sanitizer runtimes preloaded into
# the (uninstrumented) Python, as tests/run.sh does for pytest.
PYPRE=""
if grep -q libasan "$B/libpact.so" 2>/dev/null; then
    PYPRE="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
fi
pyrun() { LD_PRELOAD="$PYPRE" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" "$@"; }
# Whatever happens: stop the PSU emulator (by pid), unmount the tmpfs.
emu="" mounted=""
cleanup() {
    [ -n "$emu" ] && kill "$emu" 2>/dev/null
    [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
REPO=$PWD
cd "$T" || exit 1
Q="-q --no-status --measure-period 0.1 --perf-period 0.05 --psu none"

# ---- item 6: a set-up error leaves an existing output untouched ----
echo precious >keep.csv
"$PACT" run $Q -o keep.csv --country Atlantis -- true 2>err.txt
check setup_error_exit_2 [ $? = 2 ]
check setup_error_keeps_output [ "$(cat keep.csv)" = precious ]
"$PACT" run $Q -o fresh.csv --country Atlantis -- true 2>/dev/null
check setup_error_leaves_no_new_file [ ! -e fresh.csv ]

# ---- items 12, 13: links and FIFOs are refused, naming the path ----
echo victim >victim.txt
ln -s victim.txt link.csv
"$PACT" run $Q -o link.csv -- true 2>err.txt
check symlink_output_exit_2 [ $? = 2 ]
check symlink_output_named grep -q "'link.csv' is a symbolic link" err.txt
check symlink_target_untouched [ "$(cat victim.txt)" = victim ]
ln -s victim.txt sum.json
"$PACT" run $Q -o s.csv --summary-json sum.json -- true 2>err.txt
check symlink_summary_json_refused grep -q "'sum.json' is a symbolic link" err.txt
check symlink_summary_target_untouched [ "$(cat victim.txt)" = victim ]
mkfifo fifo.csv
timeout -s KILL 20 "$PACT" run $Q -o fifo.csv -- true 2>err.txt
check fifo_output_exit_2 [ $? = 2 ]
check fifo_output_said grep -q "'fifo.csv' is a FIFO" err.txt

# ---- item 14: no input is ever an output ----
printf 'pact-model 1\n' >m.txt
"$PACT" run $Q -o m.txt --model m.txt -- true 2>err.txt
check model_as_output_exit_2 [ $? = 2 ]
check model_as_output_kept [ "$(cat m.txt)" = "pact-model 1" ]
printf 'timestamp,gco2_per_kwh\n2026-11-24T13:00:00Z,312\n' >int.csv
"$PACT" run $Q -o int.csv --intensity-file int.csv -- true 2>err.txt
check intensity_as_output_exit_2 [ $? = 2 ]
check intensity_as_output_said grep -q "is the input 'int.csv'" err.txt
check intensity_as_output_kept [ "$(wc -l <int.csv)" = 2 ]
mkdir fr
printf 'index,faults\n0,1\n' >fr/cpu_1_PACT.csv
"$PACT" model fit -q -o fr/cpu_1_PACT.csv fr/ 2>err.txt
check fit_over_training_csv_exit_2 [ $? = 2 ]
check fit_over_training_csv_kept [ "$(head -1 fr/cpu_1_PACT.csv)" = index,faults ]
mkdir ev
printf 'index,faults\n0,1\n' >ev/predictions.csv
"$PACT" model eval -q -m m.txt --out ev ev/predictions.csv 2>err.txt
check eval_over_input_exit_2 [ $? = 2 ]
check eval_over_input_kept [ "$(head -1 ev/predictions.csv)" = index,faults ]

# ---- stress: a link planted in RESULTS is refused, its target kept ----
printf 'name,trial#,cmd\nw,1,echo hi\n' >plan.csv
mkdir R
ln -s "$T/victim.txt" R/w_1_out.txt
"$PACT" stress --cooldown 0 $Q -o R plan.csv >/dev/null 2>err.txt
check stress_link_named grep -q "R/w_1_out.txt' is a symbolic link" err.txt
check stress_link_target_untouched [ "$(cat victim.txt)" = victim ]

# ---- item 7/15: a full disk exits 3, says rows kept and lost, no torn
# last row.  A 4 KiB tmpfs where mounting works (root), else a file-size
# limit (ulimit -f, with SIGXFSZ ignored so write() fails with EFBIG). ----
M=$T/small
mkdir "$M"
if mount -t tmpfs -o size=4k tmpfs "$M" 2>/dev/null; then
    mounted=$M
    how=tmpfs
    "$PACT" run $Q --measure-period 0.01 --perf-period 0.005 -o "$M/full.csv" -- sleep 1.5 2>err.txt
    rc=$?
else
    how=ulimit
    (trap '' XFSZ; ulimit -f 8; exec "$PACT" run $Q --measure-period 0.01 --perf-period 0.005 \
        -o "$M/full.csv" -- sleep 1.5) 2>err.txt
    rc=$?
fi
check disk_full_exit_3 [ $rc = 3 ]
check disk_full_says_lost grep -q "rows written, [1-9][0-9]* rows lost" err.txt
kept=$(sed -n 's/.*: \([0-9]*\) rows written.*/\1/p' err.txt | head -1)
check disk_full_no_torn_row sh -c '[ "$(tail -c 1 "$1" | od -An -c | tr -d " ")" = "\\n" ]' _ "$M/full.csv"
# Every line has the header's field count, and the data lines are the
# rows pact says it wrote.
check disk_full_rows_whole awk -F, 'NR==1{n=NF} NF!=n{bad=1} END{exit bad}' "$M/full.csv"
check disk_full_count_matches [ "$(($(wc -l <"$M/full.csv") - 1))" = "${kept:-x}" ]
echo "# disk full via $how: $kept rows kept" >&2

# A failed --summary-json write is an error too (the disk is full).
if [ $how = tmpfs ]; then
    cat /dev/zero >"$M/fill" 2>/dev/null
    "$PACT" run $Q -o s2.csv --summary-json "$M/sum.json" -- true 2>err.txt
    check summary_json_fail_exit_3 [ $? = 3 ]
    check summary_json_fail_said grep -q "summary-json" err.txt
    umount "$M" && mounted=""
else
    skip summary_json_fail_exit_3 "cannot mount a tmpfs here"
fi

# ---- item 13/15: a device that floods stops before the workload ----
timeout -s KILL 30 "$PACT" run -q --no-status --psu nzxt --psu-device /dev/zero \
    -o z.csv -- touch ran 2>err.txt
check flooding_psu_exit_2 [ $? = 2 ]
check flooding_psu_one_line [ "$(wc -l <err.txt)" = 1 ]
check flooding_psu_no_workload [ ! -e ran ]

# ---- item 15: -e '' and run --duration are refused ----
"$PACT" run $Q -e '' -o e.csv -- true 2>err.txt
check empty_events_exit_2 [ $? = 2 ]
check empty_events_says_none grep -q -- "-e none" err.txt
"$PACT" run $Q --duration 1 -o d.csv -- true 2>err.txt
check run_duration_refused [ $? = 2 ]
check help_no_double_percent sh -c '! "$1" run --help | grep -q "%%"' _ "$PACT"

# ---- item 8: a region holding , " CR LF is quoted and read back ----
if /usr/bin/python3 -c 'import ctypes' 2>/dev/null; then
    PYTHONPATH="$REPO/python" PACT_LIBRARY="$B/libpact.so" pyrun /usr/bin/python3 - <<'PY' 2>err.txt
import time, pact
with pact.Tracker(output="reg.csv", measure_period=0.1, perf_period=0.05,
                  psu="none") as t:
    t.set_region('a,"b"\r\nc')
    time.sleep(0.35)
PY
    # Python's csv module (RFC 4180) reads the region back whole.
    check region_rfc4180 /usr/bin/python3 -c '
import csv, sys
rows = list(csv.DictReader(open("reg.csv", newline="")))
sys.exit(0 if any(r["region"] == "a,\"b\"\r\nc" for r in rows) else 1)'
    cat >lin.txt <<'MODEL'
pact-model 1
type ols
target energy_j
features 1
feature per_period=0 duration(s)
preprocess skip_leading=0 normalise=0 perf_period_s=0.05 window=0 trim=0 train_fraction=1
seed 0
train_rows 2
ols 1 10
end
MODEL
    "$PACT" model predict -q -m lin.txt -o reg_pred.csv reg.csv 2>err.txt
    check predict_reads_region_csv [ $? = 0 ]
    # Same records out as in (csv module count), each with a prediction
    # 1 + 10 * duration (the model's own law).
    check predict_region_rows /usr/bin/python3 -c '
import csv, sys
a = list(csv.DictReader(open("reg.csv", newline="")))
b = list(csv.DictReader(open("reg_pred.csv", newline="")))
ok = len(a) == len(b) and all(
    abs(float(y["Predicted_energy_j"]) - (1 + 10 * float(x["duration(s)"]))) < 1e-3
    and x["region"] == y["region"] for x, y in zip(a, b))
sys.exit(0 if ok else 1)'
else
    skip region_rfc4180 "no /usr/bin/python3"
fi

# ---- item 12: PACT_NVML_LIB is ignored under file capabilities ----
# A copy of pact with cap_perfmon, run as nobody: the library must not be
# loaded (its constructor would write a marker); without the capability
# it is loaded (so the marker test can fail).
mkdir -p lib out && chmod 777 out
cat >lib/evil.c <<'EOF_C'
#include <stdio.h>
__attribute__((constructor)) static void mark(void)
{
    FILE *f = fopen(MARK, "w");
    if (f)
        fclose(f);
}
EOF_C
if [ "$(id -u)" = 0 ] && command -v setcap >/dev/null && command -v setpriv >/dev/null &&
   cc -shared -fPIC -DMARK="\"$T/out/marker\"" -o lib/evil.so lib/evil.c 2>/dev/null &&
   cp "$PACT" capact && cp "$PACT" plainpact && setcap cap_perfmon+ep capact 2>/dev/null; then
    chmod 755 capact plainpact lib lib/evil.so
    asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    asnobody env PACT_NVML_LIB="$T/lib/evil.so" ./plainpact list >/dev/null 2>&1
    check nvml_lib_loaded_without_caps [ -e out/marker ]
    rm -f out/marker
    asnobody env PACT_NVML_LIB="$T/lib/evil.so" ./capact list >/dev/null 2>err.txt
    check nvml_lib_ignored_with_caps [ ! -e out/marker ]
    check nvml_lib_ignored_notice grep -q "ignoring PACT_NVML_LIB" err.txt
else
    skip nvml_lib_ignored_with_caps "needs root, setcap, setpriv and cc"
fi

# ---- item 11: user-only counts are said, in the column and a warning ----
# As nobody at perf_event_paranoid 2 the kernel refuses per-task counts
# that include the kernel; pact retries user-only and must say so.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   [ "$(cat /proc/sys/kernel/perf_event_paranoid 2>/dev/null)" = 2 ]; then
    mkdir -p uo && chmod 777 uo
    setpriv --reuid=65534 --regid=65534 --clear-groups "$PACT" run $Q \
        -e faults --scope workload -o uo/u.csv -- true 2>uo/err.txt
    check user_only_column_marked sh -c 'head -1 "$1" | tr , "\n" | grep -qx "faults:u"' _ uo/u.csv
    check user_only_warned grep -q "faults:u: counted in user space only" uo/err.txt
else
    skip user_only_column_marked "needs root (for setpriv) and perf_event_paranoid 2"
fi

# ---- item 16: NVML strings are not trusted to be NUL-terminated ----
# The fake driver fills name (96 bytes), UUID and driver version (80)
# buffers with no NUL: pact must print 95 'N' and 79 'D', nothing beyond.
if [ -f "$B/fakes/fake_nvml.so" ]; then
    printf 'unterminated=1\n' >fn.txt
    PACT_NVML_LIB="$B/fakes/fake_nvml.so" PACT_FAKE_NVML="$T/fn.txt" \
        "$PACT" list >list.txt 2>&1
    check nvml_name_bounded grep -Eq 'gpu0 N{95}:' list.txt
    check nvml_driver_bounded grep -Eq 'driver D{79},' list.txt
    check nvml_no_overrun sh -c '! grep "^  nvml " "$1" | grep -Eq "N{96}|D{80}|UUU"' _ list.txt
else
    skip nvml_name_bounded "no $B/fakes/fake_nvml.so"
fi

# ---- item 16: a cell never holds inf text: empty, with a warning ----
"$PACT" run $Q --pue 1e308 -o pue.csv -- sleep 0.3 2>err.txt
check pue_huge_no_inf_cells sh -c '! grep -qi "inf\|nan" "$1"' _ pue.csv
check pue_huge_warned grep -q "too large to be a number (inf); its cell is left empty" err.txt

# ---- item 15: --psu auto with a named device that never answers stops
# before the workload (docs/psu.md) ----
if [ -x "$B/pact-psu-emu" ]; then
    echo "fault=no_reply" >emu.txt
    "$B/pact-psu-emu" --model hx850i --listen "$T/emu.sock" --state "$T/emu.txt" --quiet &
    emu=$!
    i=0; while [ ! -S "$T/emu.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
    timeout -s KILL 60 "$PACT" run -q --no-status --psu auto --psu-device "unix:$T/emu.sock" \
        -o silent.csv -- touch ran_silent 2>err.txt
    rc=$?
    kill "$emu" 2>/dev/null; wait "$emu" 2>/dev/null; emu=""
    check silent_psu_exit_2 [ $rc = 2 ]
    check silent_psu_no_workload [ ! -e ran_silent ]
    check silent_psu_said grep -q -- "--psu-device unix:" err.txt
else
    skip silent_psu_exit_2 "no $B/pact-psu-emu"
fi

# ---- item 16: a driver's warning is whole (it was cut at 256 bytes,
# "... kernel's hwmo").  The PSU starts answering, then another program's
# replies (wrong_echo) arrive; the socket path makes the line long. ----
if [ -x "$B/pact-psu-emu" ]; then
    L="$T/a-rather-long-directory-name-for-the-psu-emulator-socket"
    mkdir -p "$L"
    : >emu2.txt
    "$B/pact-psu-emu" --model hx850i --listen "$L/psu.sock" --state "$T/emu2.txt" --quiet &
    emu=$!
    i=0; while [ ! -S "$L/psu.sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
    (sleep 1; echo "fault=wrong_echo" >"$T/emu2.tmp"; mv "$T/emu2.tmp" "$T/emu2.txt") &
    timeout -s KILL 60 "$PACT" run -q --no-status --psu corsair --psu-device "unix:$L/psu.sock" \
        --measure-period 0.2 --perf-period 0.1 -o long.csv -- sleep 2.5 2>err.txt
    kill "$emu" 2>/dev/null; wait "$emu" 2>/dev/null; emu=""
    check driver_warning_whole grep -q "kernel's hwmon instead); its cells stay empty until it recovers" err.txt
else
    skip driver_warning_whole "no $B/pact-psu-emu"
fi
