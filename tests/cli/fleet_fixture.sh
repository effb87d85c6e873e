# fleet_fixture.sh - shared by the fleet CLI tests (sourced after lib.sh):
# a sysfs RAPL fixture per node (package + dram energy_uj, as the kernel
# lays out powercap; the same tree as test_rapl.sh), free loopback ports,
# and starting/stopping background processes by pid.
CTR="$B/tests/helpers/rapl_counter"
PY=/usr/bin/python3
PIDS=""

# node_fixture ROOT: the powercap tree; sets PKG and DRAM to its counters.
node_fixture() {
    powercap_tree "$1"
    mkdir -p "$1/proc"
}

# bg CMD...: start in the background, remember the pid in PIDS and LAST.
bg() {
    "$@" &
    LAST=$!
    PIDS="$PIDS $LAST"
}

# stop_all: TERM every remembered pid, then KILL what is left.
stop_all() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    for p in $PIDS; do
        i=0
        while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do
            sleep 0.1; i=$((i + 1))
        done
        kill -9 "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    PIDS=""
}
trap 'stop_all; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

# free_port: a TCP port nothing listens on now, on 127.0.0.1.
free_port() {
    $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http URL SECONDS: until URL answers 200 (0) or time runs out (1).
wait_http() {
    $PY - "$1" "$2" <<'PYEOF'
import sys, time, urllib.request
end = time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200:
            sys.exit(0)
    except Exception:
        pass
    time.sleep(0.2)
sys.exit(1)
PYEOF
}
