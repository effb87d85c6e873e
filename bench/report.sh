#!/bin/sh
# SPDX-License-Identifier: MIT
# report.sh - `pact report` on a 1 000 000-row run CSV (10 ms windows,
# pact's columns) against bench/report_pandas.py (pandas + matplotlib,
# the same power-over-time chart to a PNG), side by side: wall time, peak
# RSS (/usr/bin/time), the ratio, and the page size.  Then a 24-hour run
# at 10 ms (8 640 000 rows) streamed through a FIFO, for the page size.
# Usage: sh bench/report.sh [BUILD_DIR] [ROWS]
B=${1:-build}
ROWS=${2:-1000000}
PACT="$B/pact"
[ -x "$PACT" ] || { echo "report.sh: build $PACT first (make)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "SKIP: report.sh (/usr/bin/time missing: apt-get install time)"; exit 0; }
D=$(mktemp -d /tmp/pact-bench-report-XXXXXX)
trap 'rm -rf "$D"' EXIT

gen() { # ROWS: a pact-shaped run, 42 W package + 3 W DRAM + a wall meter
    awk -v n="$1" 'BEGIN {
    print "index,start_time,duration(s),Total_PSU_Power(W),Nvidia_SMI_Power(W),Intel_RAPL_Power(W),GPU_Util_SM(%),GPU_Util_Memory(%),migrations,faults,cache-misses,cycles,unix_time,total_power_w,energy_j,co2_g,rapl_package0_w,rapl_dram0_w,psu_output_w,counter_running_pct,region"
    e = 0
    for (i = 0; i < n; i++) {
        p = 42 + 10 * sin(i / 5000) + (i % 7); d = 3 + (i % 3) * 0.1
        w = p + d + 30 + 5 * sin(i / 300); e += w * 0.01
        printf "%d,2024-01-01 00:00:00,0.010000,%.3f,,%.3f,,,%d,%d,%d,%d,%.6f,%.3f,%.3f,%.6f,%.3f,%.3f,%.3f,100.0,\n",
            i, w, p + d, i % 13, i % 101, 1000 + i % 977, 2e7 + i % 1e5,
            1.7e9 + i / 100, w, e, e / 3.6e6 * 475, p, d, w
    } }'
}
gen "$ROWS" >"$D/run.csv"
echo "report.sh: $ROWS rows, $(wc -c <"$D/run.csv") bytes"

measure() { # NAME CMD...: prints NAME wall_s rss_kb
    name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$D/time" "$@" >/dev/null 2>"$D/err" ||
        { echo "report.sh: $name failed:"; cat "$D/err"; exit 1; }
    echo "$name $(cat "$D/time")"
}
p=$(measure pact "$PACT" report "$D/run.csv" -o "$D/run.html")
if /usr/bin/python3 -c 'import pandas, matplotlib' 2>/dev/null; then
    q=$(measure pandas /usr/bin/python3 "$(dirname "$0")/report_pandas.py" \
        "$D/run.csv" "$D/run.png")
else
    q="pandas - -"
    echo "python3-pandas or python3-matplotlib missing: no comparison"
fi
echo "$p" | awk '{printf "pact report        %7.2f s  %8.1f MB peak RSS\n", $2, $3 / 1024}'
echo "$q" | awk '$2 != "-" {printf "pandas+matplotlib  %7.2f s  %8.1f MB peak RSS\n", $2, $3 / 1024}'
echo "$p $q" | awk '$5 != "-" {printf "ratio pandas/pact = %.1fx faster\n", $5 / $2}'
echo "page: $(wc -c <"$D/run.html") bytes"

# 24 h at 10 ms, never on disk: the page size is bounded by the pixel
# columns, not the rows.
mkfifo "$D/day.csv"
gen 8640000 >"$D/day.csv" &
g=$!
d=$(measure pact_24h "$PACT" report "$D/day.csv" -o "$D/day.html")
wait $g
echo "$d" | awk '{printf "24 h (8 640 000 rows): %.1f s, %.1f MB peak RSS, ", $2, $3 / 1024}'
echo "page $(wc -c <"$D/day.html") bytes"
