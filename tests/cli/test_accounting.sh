#!/bin/sh
# test_accounting.sh - the accounting model end to end through build/pact
# (docs/energy.md): a RAPL counter that never moves is dropped and the
# labelled estimate is the total, a lower bound, in the summary and in
# `pact list`; two wall sources are not added; a PSU reporting -500 W is
# left out, never negative energy; --power-sample-period is checked.
# Expected values are the fixtures' own figures.
TEST_FILE=tests/cli/test_accounting.sh
. tests/cli/lib.sh
PY=/usr/bin/python3
EMU="$B/pact-psu-emu"

jget() { $PY -c "import json,sys; v=json.load(open(sys.argv[1]))$2; print('null' if v is None else v)" "$1"; }
near() { $PY -c "import sys; a,b,t=map(float,sys.argv[1:]); sys.exit(0 if abs(a-b)<=t else 1)" "$1" "$2" "$3"; }
procfs() { # ROOT: one idle CPU of an unknown model, 8 GiB
    mkdir -p "$1/proc"
    printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Test CPU\n\n' >"$1/proc/cpuinfo"
    printf 'cpu  100 0 50 1000 10 0 0 0 0 0\ncpu0 100 0 50 1000 10 0 0 0 0 0\n' >"$1/proc/stat"
    printf 'MemTotal:       8388608 kB\n' >"$1/proc/meminfo"
}
export PACT_NVML_LIB=/nonexistent/libnvidia-ml.so.1

# ---- A RAPL package counter that never moves: dropped, estimate total ----
R="$T/dead"
procfs "$R"
mkdir -p "$R/sys/class/powercap/intel-rapl:0"
echo package-0 >"$R/sys/class/powercap/intel-rapl:0/name"
echo 5000000 >"$R/sys/class/powercap/intel-rapl:0/energy_uj"
"$PACT" run --sysroot "$R" --psu none -e page-faults --summary-json "$T/d.json" \
    -o "$T/d.csv" -- sleep 2.5 2>"$T/d.err"
check dead_run_exit [ $? = 0 ]
check dead_basis_components [ "$(jget "$T/d.json" '["basis"]')" = components ]
check dead_lower_bound [ "$(jget "$T/d.json" '["basis_lower_bound"]')" = True ]
check dead_listed [ "$(jget "$T/d.json" '["dropped_sources"][0]["name"]')" = rapl_package0_w ]
check dead_one_line [ "$(grep -c 'rapl_package0_w: present but not counting' "$T/d.err")" = 1 ]
check dead_total_estimated grep -q "total: >= .*(a lower bound, estimated)" "$T/d.err"
# Unknown model, 1 CPU: 4 W x 0.10 at 0 % busy; 8 GiB x 3/8 W: 3.4 W.
check dead_estimate_power near "$(jget "$T/d.json" '["avg_power_w"]')" 3.4 1e-6
"$PACT" list --sysroot "$R" --psu none >"$T/list" 2>&1
check list_says_not_counting grep -q "rapl_package0_w .*present but not counting" "$T/list"
check list_basis_components grep -q "total basis: components" "$T/list"

# ---- Option bounds ----
"$PACT" run --power-sample-period 0.0001 -o "$T/x.csv" -- true 2>"$T/x.err"
check sample_period_refused [ $? = 2 ]
check sample_period_message grep -q "power sample period must be >= 0.001 s" "$T/x.err"

if [ ! -x "$EMU" ]; then
    skip two_wall_sources "build $EMU first (make)"
    skip negative_psu "build $EMU first (make)"
    exit 0
fi
state() { printf "$1" >"$T/st.new" && mv "$T/st.new" "$T/st"; }
S="$T/psu.sock"
state 'output_power_w=147\ninput_voltage_v=230\n'
"$EMU" --model hx1500i --listen "$S" --state "$T/st" 2>"$T/emu.log" &
EMU_PID=$!
trap 'kill $EMU_PID 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -S "$S" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

# ---- An ACPI power meter at 300 W and the PSU's own input estimate ----
R="$T/wall"
procfs "$R"
mkdir -p "$R/sys/class/hwmon/hwmon0"
echo power_meter >"$R/sys/class/hwmon/hwmon0/name"
echo 300000000 >"$R/sys/class/hwmon/hwmon0/power1_input"
"$PACT" run --sysroot "$R" --psu corsair --psu-device "unix:$S" -e page-faults \
    --summary-json "$T/w.json" -o "$T/w.csv" -- sleep 2.5 2>"$T/w.err"
check two_wall_basis [ "$(jget "$T/w.json" '["basis"]')" = wall ]
# The meter's 300 W, not 300 W + the PSU's estimated input.
check two_wall_sources near "$(jget "$T/w.json" '["avg_power_w"]')" 300 1e-6
check two_wall_not_added grep -q "input estimate is not added" "$T/w.err"

# ---- A PSU reporting -500 W: left out, never negative energy ----
state 'output_power_w=-500\ninput_voltage_v=230\n'
"$PACT" run --sysroot "$T/dead" --psu corsair --psu-device "unix:$S" \
    -e page-faults --summary-json "$T/n.json" -o "$T/n.csv" -- sleep 2.5 2>"$T/n.err"
check negative_psu_warned grep -q "psu_output_w read -500 W, outside the plausible" "$T/n.err"
check negative_psu_listed grep -q "psu_output_w" "$T/n.json"
check negative_psu_energy_positive $PY -c "import json,sys; e=json.load(open(sys.argv[1]))['energy_j']['total']; sys.exit(0 if e is not None and e > 0 else 1)" "$T/n.json"
check negative_psu_column_empty $PY -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sys.exit(0 if rows and all(r['psu_output_w'] == '' for r in rows) else 1)" "$T/n.csv"
