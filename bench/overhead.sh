#!/bin/sh
# SPDX-License-Identifier: MIT
# overhead.sh - what pact monitor costs next to perf stat -I 10 -a (issue 2).
# One run: perf stat and two pact monitors (default window mode, and the
# original's --counter-mode pact that reads every 10 ms) count the same four
# software events system-wide at a 10 ms counter period, concurrently, for
# the same time; then CPU time (user+sys) and peak RSS of each, the ratios
# pact/perf, and a long-run memory check (VmRSS at 5 s and at the end).
#
# usage: sh bench/overhead.sh [BUILD_DIR] [--duration S] [--mem-duration S]
#                             [--long] [--no-mem]
#   --duration S       side-by-side run length (default 30)
#   --mem-duration S   memory check length (default 60); --long = 3600
#   --no-mem           skip the memory check

B=build DUR=30 MEM=60
while [ $# -gt 0 ]; do
    case "$1" in
    --duration) DUR=$2; shift ;;
    --mem-duration) MEM=$2; shift ;;
    --long) MEM=3600 ;;
    --no-mem) MEM=0 ;;
    -h|--help) sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "overhead.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) B=$1 ;;
    esac
    shift
done

PACT=$B/pact
PACT_EV='page-faults;cpu-migrations;context-switches;task-clock'
PERF_EV='page-faults,cpu-migrations,context-switches,task-clock'

skip() { echo "SKIP: overhead ($1)"; exit 0; }
[ -x "$PACT" ] || skip "$PACT not built: run make all"
command -v perf >/dev/null 2>&1 ||
    skip "perf not found: apt-get install linux-perf"
perf stat -a -e task-clock -o /dev/null -- true >/dev/null 2>&1 ||
    skip "perf stat -a not permitted (root or kernel.perf_event_paranoid=0)"

# CPU time and peak RSS from wait4(): our helper, else GNU time.
if [ -x "$B/bench/rusage" ]; then
    timed() { out=$1; shift; "$B/bench/rusage" "$out" "$@"; }
elif /usr/bin/time -f '%U %S %M' -o /dev/null true 2>/dev/null; then
    timed() { out=$1; shift; /usr/bin/time -f '%U %S %M' -o "$out" "$@"; }
else
    skip "no $B/bench/rusage and no GNU time: run make bench"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== overhead: ${DUR} s side by side, events $PERF_EV, 10 ms period," \
     "$(nproc) CPUs, $(uname -r)"
timed "$tmp/perf.ru" perf stat -I 10 -a -e "$PERF_EV" -o /dev/null \
    -- sleep "$DUR" &
timed "$tmp/win.ru" "$PACT" monitor --duration "$DUR" -e "$PACT_EV" \
    --perf-period 0.01 -o "$tmp/win.csv" -q &
timed "$tmp/pact.ru" "$PACT" monitor --duration "$DUR" -e "$PACT_EV" \
    --perf-period 0.01 --counter-mode pact -o "$tmp/pact.csv" -q &
wait
for f in perf win pact; do
    [ -s "$tmp/$f.ru" ] ||
        { echo "FAIL: overhead ($f left no figures)"; exit 1; }
done

# A row whose counter cells are all filled shows pact really counted.
rows=$(awk -F, 'NR > 1 && $9 != "" && $12 != "" { n++ } END { print n + 0 }' \
       "$tmp/win.csv")

awk -v dur="$DUR" -v rows="$rows" '
function row(name, u, s, m) {
    printf "%-34s %7.3f %7.3f %7.3f %7.3f %8.2f", name, u, s, u + s,
           100 * (u + s) / dur, m / 1024
}
FNR == 1 { f++ }
f == 1 { pu = $1; ps = $2; pm = $3 }
f == 2 { wu = $1; ws = $2; wm = $3 }
f == 3 { au = $1; as = $2; am = $3 }
END {
    pc = pu + ps; if (pc <= 0) pc = 0.001
    printf "%-34s %7s %7s %7s %7s %8s %9s %8s\n", "program", "user_s",
           "sys_s", "cpu_s", "%core", "rss_MiB", "cpu/perf", "rss/perf"
    row("perf stat -I 10 -a", pu, ps, pm); printf " %9s %8s\n", "1", "1"
    row("pact monitor (window, default)", wu, ws, wm)
    printf " %9.3f %8.3f\n", (wu + ws) / pc, wm / pm
    row("pact monitor --counter-mode pact", au, as, am)
    printf " %9.3f %8.3f\n", (au + as) / pc, am / pm
    printf "pact rows with all four counters: %d (%d s run)\n", rows, dur
    printf "target cpu <= 0.25x perf: window %s, pact mode %s\n",
           (wu + ws) <= 0.25 * pc ? "met" : "NOT met",
           (au + as) <= 0.25 * pc ? "met" : "NOT met"
    printf "target rss <= 4 MiB:      window %s, pact mode %s\n",
           wm <= 4096 ? "met" : "NOT met", am <= 4096 ? "met" : "NOT met"
}' "$tmp/perf.ru" "$tmp/win.ru" "$tmp/pact.ru"

[ "$MEM" -gt 0 ] 2>/dev/null || exit 0

# ---- Long-run memory: VmRSS of running monitors, sampled each second ----
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
breakdown() { # Rss and private dirty per mapped object, largest first
    awk '/^[0-9a-f]+-[0-9a-f]+ / { o = ($6 == "") ? "[anon]" : $6 }
         /^Rss:/ { r[o] += $2 } /^Private_Dirty:/ { d[o] += $2 }
         END { for (o in r) if (r[o])
               printf "  %6d kB rss %6d kB private dirty  %s\n", r[o], d[o], o
         }' "/proc/$1/smaps" | sort -rn | head -8
}

echo
echo "== memory: VmRSS of pact monitor at 5 s and at ${MEM} s"
"$PACT" monitor --duration $((MEM + 5)) -e "$PACT_EV" --perf-period 0.01 \
    -o "$tmp/mw.csv" -q &
pw=$!
"$PACT" monitor --duration $((MEM + 5)) -e "$PACT_EV" --perf-period 0.01 \
    --counter-mode pact -o "$tmp/mp.csv" -q &
pp=$!
start=$(date +%s) w5= p5= wmax=0 pmax=0
while :; do
    sleep 1
    el=$(($(date +%s) - start))
    w=$(rss_kb $pw) p=$(rss_kb $pp)
    [ -n "$w" ] && [ -n "$p" ] || break
    [ "$w" -gt "$wmax" ] && wmax=$w
    [ "$p" -gt "$pmax" ] && pmax=$p
    if [ -z "$w5" ] && [ "$el" -ge 5 ]; then
        w5=$w p5=$p
        if [ "$w" -gt 4096 ]; then
            echo "RSS above 4 MiB; where it goes (window-mode monitor at 5 s):"
            breakdown $pw
        fi
    fi
    [ "$el" -ge "$MEM" ] && break
done
wend=$w pend=$p
wait
F="%-34s %9s %10s %9s %9s\n"
printf "$F" program rss_5s_kB rss_end_kB max_kB growth_kB
printf "$F" "pact monitor (window, default)" "$w5" "$wend" "$wmax" \
    $((wend - w5))
printf "$F" "pact monitor --counter-mode pact" "$p5" "$pend" "$pmax" \
    $((pend - p5))
