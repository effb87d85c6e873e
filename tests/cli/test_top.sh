#!/bin/sh
# test_top.sh - `pact top` in a real terminal (tmux) against a pact
# monitor tracking a sysfs fixture whose RAPL package draws 42 W: the
# screen shows that power, the layout stays whole at 80x24 and 200x50,
# 's' stops the tracker with its summary written, and a killed pact top
# leaves the tracked run complete.
TEST_FILE=tests/cli/test_top.sh
. tests/cli/lib.sh
plan 14
CTR="$B/tests/helpers/rapl_counter"
MAX=262143328850
[ -x "$CTR" ] || { fail missing_dependency "$CTR: make test-progs"; exit 1; }
command -v tmux >/dev/null || { fail tmux_present "tmux missing: make check installs it"; exit 1; }
SOCK="$T/tmux.sock"
tm() { tmux -S "$SOCK" "$@"; }
cleanup() {
    tm kill-server 2>/dev/null
    for p in $ctrp $monp $mon2p; do kill "$p" 2>/dev/null; done
    rm -rf "$T"
}
trap cleanup EXIT INT TERM

R="$T/root"
d="$R/sys/devices/virtual/powercap/intel-rapl"
mkdir -p "$d/intel-rapl:0" "$R/sys/class/powercap"
echo package-0 >"$d/intel-rapl:0/name"
echo $MAX >"$d/intel-rapl:0/max_energy_range_uj"
echo 0 >"$d/intel-rapl:0/energy_uj"
ln -s ../../devices/virtual/powercap/intel-rapl/intel-rapl:0 "$R/sys/class/powercap/intel-rapl:0"
"$CTR" 300 "$d/intel-rapl:0/energy_uj" 42 0 $MAX &
ctrp=$!
# Its own control directory, so other pacts of this user do not matter.
export XDG_RUNTIME_DIR="$T/xdg"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# One GPU through the fake NVML: 120 W, SM 63 % and memory 20 % busy.
printf 'gpus=1\ngpu0.power_mw=120000\ngpu0.util_gpu=63\ngpu0.util_mem=20\n' >"$T/gpus"
PACT_NVML_LIB="$B/fakes/fake_nvml.so" PACT_FAKE_NVML="$T/gpus" \
"$PACT" monitor --sysroot "$R" --psu none --no-estimate --duration 40 \
    -o "$T/m.csv" --summary-json "$T/m.json" -q 2>"$T/m.err" &
monp=$!
sleep 1
tm new-session -d -s s -x 80 -y 24 "$PACT top --pid $monp; sleep 30"
# Wait for the state, not a time: a screen whose package line shows a
# full window of the fixture (up to 20 s on a loaded machine).
i=0
while [ $i -lt 100 ]; do
    tm capture-pane -p -t s >"$T/s80"
    awk '/^rapl package 0 /{for(i=1;i<=NF;i++) if($i=="W") {v=$(i-1); if (v>=41 && v<=43) ok=1}} END{exit !ok}' "$T/s80" &&
        grep -q "^gpu 0 .*util sm" "$T/s80" && break
    sleep 0.2; i=$((i + 1))
done
sed 's/^/  80x24| /' "$T/s80"
# The package line: "rapl package 0   42.0 W" (the fixture's 42 W, read
# from energy counter deltas at window edges: within 1 W).
check top_shows_fixture_power awk '/^rapl package 0 /{for(i=1;i<=NF;i++) if($i=="W") {v=$(i-1); if (v>=41 && v<=43) ok=1}} END{exit !ok}' "$T/s80"
check top_shows_gpu_util 'grep -q "^gpu 0 .*util sm 63 %.*memory 20 %" "$T/s80"'
# The same text through the control socket is valid exposition format.
/usr/bin/python3 -c "
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b'metrics\n')
d = b''
while True:
    c = s.recv(65536)
    if not c: break
    d += c
sys.stdout.write(d.decode())" "$XDG_RUNTIME_DIR/pact/$monp.sock" >"$T/metrics.txt"
check socket_metrics_promtool_clean 'grep -q "^pact_gpu_utilization_ratio{.*kind=\"sm\".*} 0.63" "$T/metrics.txt" && promtool check metrics <"$T/metrics.txt"'
check top_header_80 'head -n 1 "$T/s80" | grep -q "^ pact top  node"'
check top_keys_last_row_80 'tail -n 1 "$T/s80" | grep -q "^ q quit"'
check top_80_rows '[ "$(wc -l <"$T/s80")" -eq 24 ]'
tm resize-window -t s -x 200 -y 50
sleep 2
tm capture-pane -p -t s >"$T/s200"
check top_header_200 'head -n 1 "$T/s200" | grep -q "^ pact top  node"'
check top_keys_last_row_200 'tail -n 1 "$T/s200" | grep -q "^ q quit"'
check top_200_rows '[ "$(wc -l <"$T/s200")" -eq 50 ]'
check top_200_sparkline_wide 'grep "^rapl package 0" "$T/s200" | awk "{exit !(length(\$0) > 150)}"'

# s: the tracker stops cleanly, writing its last row and summary.
tm send-keys -t s s
i=0
while kill -0 $monp 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
check stop_key_ends_monitor '! kill -0 $monp 2>/dev/null'
check stop_key_summary_written '[ -s "$T/m.json" ] && grep -q "\"energy_j\"" "$T/m.json"'
tm kill-server 2>/dev/null

# A pact top killed with SIGKILL mid-run: the run still ends on time with
# every row (3 s at 1 s windows), the same as a run nobody watched.
"$PACT" monitor --sysroot "$R" --psu none --no-estimate --duration 3 -o "$T/a.csv" -q 2>/dev/null &
mon2p=$!
sleep 0.5
"$PACT" top --pid $mon2p >/dev/null 2>&1 </dev/null &
topp=$!
sleep 1
kill -9 $topp 2>/dev/null
wait $mon2p
rc=$?
"$PACT" monitor --sysroot "$R" --psu none --no-estimate --duration 3 -o "$T/b.csv" -q 2>/dev/null
check killed_top_run_exit '[ $rc = 0 ]'
# Whole rows that tile the 3 s run, as in the run nobody watched (the
# last, partial window may or may not be long enough to be a row).
tiles() { /usr/bin/python3 - "$1" <<'PYEOF'
import csv, sys
data = open(sys.argv[1]).read()
rows = list(csv.DictReader(data.splitlines()))
d = sum(float(r["duration(s)"]) for r in rows)
full = sum(1 for r in rows if float(r["duration(s)"]) >= 0.9)
print("  %s: %d rows, %d full, %.3f s" % (sys.argv[1], len(rows), full, d))
sys.exit(0 if data.endswith("\n") and full >= 2 and abs(d - 3) < 0.3 else 1)
PYEOF
}
check killed_top_same_rows 'tiles "$T/a.csv" && tiles "$T/b.csv"'
