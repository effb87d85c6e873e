#!/bin/sh
# run-default.sh - the main job on a built-in default: track a 20-second
# CPU stress (stress-ng on every core, the original's `stress --cpu`
# workload) and print the summary.  The CSV goes to ./PACT.csv.
B=${1:-build}
if command -v stress-ng >/dev/null 2>&1; then
    set -- stress-ng --cpu 0 --timeout 20s --quiet
else
    set -- sh -c 'i=0; while [ $i -lt 3000000 ]; do i=$((i+1)); done'
fi
echo "pact: tracking '$*' -> PACT.csv" >&2
exec "$B/pact" run -o PACT.csv -- "$@"
