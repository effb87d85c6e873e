#!/bin/sh
# test_live.sh - the live status line in a real terminal (tmux): it lives
# on the last row, never joined to the workload's output or pact's own
# messages, shows "-" for what is not known, is gone before the summary,
# and `pact run` draws none unless --live.
TEST_FILE=tests/cli/test_live.sh
. tests/cli/lib.sh
plan 15
PY=/usr/bin/python3
if ! command -v tmux >/dev/null; then
    fail tmux_present "tmux missing: make check installs it"
    exit 1
fi
SOCK="$T/tmux.sock"
tm() { tmux -S "$SOCK" "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT

# run_in_tmux NAME COLS ROWS MIDWAY_S END_S CMD: run CMD in a fresh
# terminal; save the screen at MIDWAY_S and everything (with scrollback)
# at END_S into $T/NAME.mid and $T/NAME.end.
run_in_tmux() {
    tm kill-server 2>/dev/null
    tm new-session -d -s s -x "$2" -y "$3" "sh -c '$6; echo __done__; sleep 30'"
    sleep "$4"
    tm capture-pane -p -t s >"$T/$1.mid"
    i=0
    while [ $i -lt 100 ] && ! tm capture-pane -p -S - -t s | grep -q __done__; do
        sleep 0.1; i=$((i + 1))
    done
    sleep "$5"
    tm capture-pane -p -S - -E - -t s >"$T/$1.end"
    tm kill-server 2>/dev/null
}

exact_line() { grep -qx "$2" "$1"; }

# (The total appears after the first 2 s, once the liveness check has
# chosen the run's basis: docs/energy.md.)
run_in_tmux live 100 24 2.6 0.3 \
    "cd $PWD && $PACT run --live -o $T/live.csv -- sh -c \"echo hello; sleep 3; echo bye\""
cat "$T/live.mid" | sed 's/^/  mid| /' | grep -v '|  *$'
check live_status_drawn grep -q '^\[pact\] .* total' "$T/live.mid"
# Here the total is the sum of estimated components: it says so.
check live_total_says_estimated grep -q 'total [0-9.]* W (estimated)' "$T/live.mid"
check live_status_on_last_row sh -c "tail -n 1 '$T/live.mid' | grep -q '^\[pact\]'"
check live_hello_own_line exact_line "$T/live.end" hello
check live_bye_own_line exact_line "$T/live.end" bye
check live_never_joined sh -c "! grep '\[pact\]' '$T/live.mid' '$T/live.end' | grep -q 'hello\|bye\|pact:'"
check live_status_gone_at_end sh -c "! grep -q '^\[pact\]' '$T/live.end'"
check live_summary_fresh_line grep -q '^pact: summary:' "$T/live.end"

# Without --live, `pact run` never draws a status line.
run_in_tmux quiet 100 24 1.0 0.3 \
    "cd $PWD && $PACT run -o $T/q.csv -- sh -c \"echo hello; sleep 2; echo bye\""
check run_default_no_status sh -c "! grep -q '\[pact\]' '$T/quiet.mid' '$T/quiet.end'"
check run_default_output_whole exact_line "$T/quiet.end" bye

# Nothing measurable (no sources, no estimate): "-", never "0.0 J".
run_in_tmux unknown 120 24 2.5 0.3 \
    "cd $PWD && $PACT monitor --duration 4 --no-estimate --psu none --sysroot $T/empty -o $T/u.csv"
check unknown_shows_dash grep -q '^\[pact\] .*total -.*energy -' "$T/unknown.mid"
check unknown_no_zero_energy sh -c "! grep -q 'energy 0.0' '$T/unknown.mid' '$T/unknown.end'"
check monitor_summary_fresh_line grep -q '^pact: summary:' "$T/unknown.end"
check monitor_status_gone sh -c "! grep -q '^\[pact\]' '$T/unknown.end'"

# A narrow terminal: the line is clipped, never wrapped onto a second row.
run_in_tmux narrow 40 10 1.5 0.3 \
    "cd $PWD && $PACT run --live -o $T/n.csv -- sleep 2"
check narrow_clipped sh -c "tail -n 1 '$T/narrow.mid' | grep -q '^\[pact\]' && [ \$(tail -n 1 '$T/narrow.mid' | wc -c) -le 41 ]"
