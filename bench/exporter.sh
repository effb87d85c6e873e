#!/bin/sh
# SPDX-License-Identifier: MIT
# exporter.sh - what the Prometheus exporter costs (issue 14).  Two pact
# monitors run side by side for the same time on the same RAPL fixture
# (a powercap tree advanced at 42 W): one plain, one with --listen and a
# client scraping its /metrics 10 times a second.  Prints the scrape
# latency as the client sees it (p50, p99, max; Python urllib, one
# connection per scrape), the server-side pact_scrape_duration_seconds,
# and CPU time (user+sys) and peak RSS of each pact with the ratio.
#
# usage: sh bench/exporter.sh [BUILD_DIR] [--duration S] [--rate N]
#   --duration S   run length (default 30)
#   --rate N       scrapes per second (default 10)
B=build DUR=30 RATE=10
while [ $# -gt 0 ]; do
    case "$1" in
    --duration) DUR=$2; shift ;;
    --rate) RATE=$2; shift ;;
    -h|--help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "exporter.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) B=$1 ;;
    esac
    shift
done
PACT=$B/pact
CTR=$B/tests/helpers/rapl_counter
PY=/usr/bin/python3
skip() { echo "SKIP: exporter ($1)"; exit 0; }
[ -x "$PACT" ] || skip "$PACT not built: run make all"
[ -x "$CTR" ] || skip "$CTR not built: run make test-progs"
[ -x "$B/bench/rusage" ] || skip "$B/bench/rusage not built: run make bench"

tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$tmp"' EXIT
R=$tmp/root
d="$R/sys/devices/virtual/powercap/intel-rapl/intel-rapl:0"
mkdir -p "$d" "$R/sys/class/powercap" "$R/proc"
echo package-0 >"$d/name"
echo 262143328850 >"$d/max_energy_range_uj"
echo 0 >"$d/energy_uj"
ln -s ../../devices/virtual/powercap/intel-rapl/intel-rapl:0 "$R/sys/class/powercap/intel-rapl:0"
"$CTR" $((DUR + 5)) "$d/energy_uj" 42 0 262143328850 &
pids="$pids $!"
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

echo "== exporter: ${DUR} s side by side, ${RATE} scrapes/s, $(nproc) CPUs, $(uname -r)"
"$B/bench/rusage" "$tmp/plain.ru" "$PACT" monitor -q --sysroot "$R" \
    --duration "$DUR" -o "$tmp/plain.csv" 2>/dev/null &
pids="$pids $!"
"$B/bench/rusage" "$tmp/listen.ru" "$PACT" monitor -q --sysroot "$R" \
    --duration "$DUR" -o "$tmp/listen.csv" --listen 127.0.0.1:$PORT 2>/dev/null &
pids="$pids $!"
$PY - "http://127.0.0.1:$PORT/metrics" "$DUR" "$RATE" >"$tmp/lat" <<'PYEOF'
import re, sys, time, urllib.request
url, dur, rate = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
t_end = time.monotonic() + dur - 1.5
while time.monotonic() < t_end:  # wait for the exporter
    try:
        urllib.request.urlopen(url, timeout=1).read(); break
    except Exception:
        time.sleep(0.05)
lat, server, fail = [], [], 0
nxt = time.monotonic()
while time.monotonic() < t_end:
    t0 = time.perf_counter()
    try:
        body = urllib.request.urlopen(url, timeout=2).read().decode()
        lat.append(time.perf_counter() - t0)
        m = re.search(r"^pact_scrape_duration_seconds\{.*\} (\S+)$", body, re.M)
        if m:
            server.append(float(m.group(1)))
    except Exception:
        fail += 1
    nxt += 1.0 / rate
    time.sleep(max(0.0, nxt - time.monotonic()))
def pct(v, p):
    v = sorted(v); return v[min(len(v) - 1, int(len(v) * p / 100))] * 1e3
print("%d %d %.3f %.3f %.3f %.4f %.4f" % (len(lat), fail, pct(lat, 50),
      pct(lat, 99), max(lat) * 1e3, pct(server, 50), pct(server, 99)))
PYEOF
wait
read n fail p50 p99 mx s50 s99 <"$tmp/lat"
echo "scrapes: $n answered, $fail failed"
echo "client latency, ms:  p50 $p50  p99 $p99  max $mx"
echo "server-side pact_scrape_duration_seconds, ms:  p50 $s50  p99 $s99"
awk -v dur="$DUR" '
FNR == 1 { f++ }
f == 1 { pu = $1; ps = $2; pm = $3 }
f == 2 { lu = $1; ls = $2; lm = $3 }
END {
    printf "%-28s %8s %8s %8s %7s %9s\n", "", "user_s", "sys_s", "cpu_s", "cpu_%", "rss_MiB"
    printf "%-28s %8.3f %8.3f %8.3f %7.3f %9.2f\n", "pact monitor", pu, ps, pu + ps, 100 * (pu + ps) / dur, pm / 1024
    printf "%-28s %8.3f %8.3f %8.3f %7.3f %9.2f\n", "pact monitor --listen", lu, ls, lu + ls, 100 * (lu + ls) / dur, lm / 1024
    if (pu + ps > 0 && pm > 0)
        printf "ratio --listen / plain:  CPU %.2f   RSS %.2f\n", (lu + ls) / (pu + ps), lm / pm
}' "$tmp/plain.ru" "$tmp/listen.ru"
