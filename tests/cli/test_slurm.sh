#!/bin/sh
# test_slurm.sh - both Slurm plugins on a real single-host cluster (munged,
# slurmctld, slurmd on 127.0.0.1, started here and stopped by pid):
#  - a pact node daemon tracks a sysfs fixture whose RAPL package draws a
#    known 42 W and DRAM 3 W (basis: sum of components, 45 W);
#  - acct_gather_energy/pact gives scontrol show node CurrentWatts and
#    sstat a step's ConsumedEnergy that match 45 W and 45 W x time;
#  - srun --pact writes PACT_<job>_<step>_<node>.csv and its summary;
#  - an unwritable --pact directory leaves the job running, exit 0.
TEST_FILE=tests/cli/test_slurm.sh
. tests/cli/lib.sh
plan 11
. tests/slurm/cluster.sh
PY=/usr/bin/python3
CTR="$B/tests/helpers/rapl_counter"
MAX=262143328850
PKG_W=42 DRAM_W=3 TRUE_W=45

CHECKS="slurm_cluster_starts srun_pact_exit spank_csv_exists spank_summary_exists
spank_csv_power sstat_consumed_energy scontrol_current_watts scontrol_ave_watts
unwritable_dir_job_runs unwritable_dir_no_csv unwritable_dir_logged"
if grep -q libasan "$B/libpact.so" 2>/dev/null; then
    # The plugins load into Slurm's own (uninstrumented) daemons.
    for c in $CHECKS; do skip "$c" "sanitizer build: the Slurm plugins are not built"; done
    exit 0
fi
for x in /usr/sbin/slurmctld /usr/sbin/slurmd /usr/sbin/munged /usr/bin/srun \
         "$B/slurm/spank_pact.so" "$B/slurm/acct_gather_energy_pact.so" "$CTR"; do
    if [ ! -x "$x" ] && [ ! -f "$x" ]; then
        fail slurm_prerequisites "$x missing: make check installs slurmctld, slurmd, slurm-client, munge and libslurm-dev"
        exit 1
    fi
done

R="$T/root"
powercap_tree "$R"

cleanup() {
    cluster_stop
    [ -n "$ctrp" ] && kill "$ctrp" 2>/dev/null
    [ -n "$daemonp" ] && kill "$daemonp" 2>/dev/null
    [ -n "$KEEP" ] || rm -rf "$T"
}
trap cleanup EXIT INT TERM

"$CTR" 120 "$PKG" $PKG_W 0 $MAX "$DRAM" $DRAM_W 0 $MAX &
ctrp=$!
sleep 0.2
NODE="$T/node.csv"
"$PACT" monitor -q --sysroot "$R" --psu none --no-estimate -o "$NODE" --duration 110 \
    2>"$T/daemon.err" &
daemonp=$!

mkdir -p "$T/out" "$T/locked"
chmod 777 "$T/out"
chmod 500 "$T/locked"
echo "optional $B/slurm/spank_pact.so sysroot=$R psu=none dir=$T/out" >"$T/plugstack.conf"
export PACT_NODE_STATE="$NODE"
if ! cluster_start "$T/c" acct_gather_energy/pact "$B/slurm" "$T/plugstack.conf"; then
    fail slurm_cluster_starts "see $T/c/log"
    tail -n 20 "$T/c/log/"*.log >&2
    exit 1
fi
pass slurm_cluster_starts
host=$(hostname -s)

# A step under --pact, long enough for several polls.
srun --pact -N1 -n1 -J pacttest sleep 8 >"$T/srun.out" 2>"$T/srun.err" &
srunp=$!
job=""
i=0
while [ -z "$job" ] && [ $i -lt 40 ]; do
    job=$(squeue -h -n pacttest -o %i 2>/dev/null | head -n1); sleep 0.25; i=$((i + 1))
done
sleep 5
sstat -n -P -j "$job.0" -o ConsumedEnergyRaw,AveCPUFreq >"$T/sstat" 2>"$T/sstat.err"
step_t=$(squeue -h -s -j "$job" -o %M 2>/dev/null | head -n1)
wait $srunp
check srun_pact_exit [ $? = 0 ]
echo "  sstat: $(cat "$T/sstat") (step running ${step_t:-?})"
csv="$T/out/PACT_${job}_0_${host}.csv"
check spank_csv_exists [ -s "$csv" ]
check spank_summary_exists [ -s "$T/out/PACT_${job}_0_${host}.json" ]

# Every full window of the step's CSV is 45 W (42 + 3) within the stated
# accuracy of a RAPL counter read at window edges (1 %).
check spank_csv_power $PY - "$csv" $TRUE_W <<'PYEOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if float(r["duration(s)"]) >= 0.9]
want = float(sys.argv[2])
v = [float(r["total_power_w"]) for r in rows if r["total_power_w"]]
print("  step CSV total_power_w:", " ".join("%.2f" % x for x in v))
sys.exit(0 if len(v) >= 3 and all(abs(x - want) <= 0.02 * want for x in v) else 1)
PYEOF

# sstat: the step's energy so far = 45 W x the time between the step's
# first and last poll, at most the step's age (5.x s) and at least that
# less two poll periods (1 s each) and one daemon window.
e=$(cut -d'|' -f1 "$T/sstat" | head -n1)
check sstat_consumed_energy $PY -c "
import sys
e = float('$e' or 'nan')
lo, hi = $TRUE_W * (5 - 2.5), $TRUE_W * (5 + 1.5)
print('  sstat ConsumedEnergyRaw %.0f J, expected %.0f..%.0f J' % (e, lo, hi))
sys.exit(0 if lo <= e <= hi else 1)"

# scontrol show node: CurrentWatts is the daemon's last window (45 W,
# rounded to a whole watt by Slurm), AveWatts the same steady power.
i=0
while [ $i -lt 40 ]; do
    scontrol show node "$host" >"$T/node.txt" 2>&1
    grep -q 'CurrentWatts=[1-9]' "$T/node.txt" && break
    sleep 0.5; i=$((i + 1))
done
cw=$(sed -n 's/.*CurrentWatts=\([0-9]*\).*/\1/p' "$T/node.txt")
aw=$(sed -n 's/.*AveWatts=\([0-9]*\).*/\1/p' "$T/node.txt")
echo "  scontrol: $(grep -o 'CurrentWatts=[^ ]* AveWatts=[^ ]*' "$T/node.txt")"
within() { [ "${1:-0}" -ge "$2" ] && [ "${1:-0}" -le "$3" ]; }
check scontrol_current_watts within "$cw" 44 46
check scontrol_ave_watts within "$aw" 44 46

# An unwritable directory (the job's user, nobody, cannot write into a
# root-owned 0500 directory): one line in the log, the job still runs.
srun --uid=65534 --gid=65534 --pact=dir="$T/locked" -N1 -n1 true >"$T/locked.out" 2>&1
check unwritable_dir_job_runs [ $? = 0 ]
check unwritable_dir_no_csv [ -z "$(ls "$T/locked")" ]
sleep 0.5
check unwritable_dir_logged grep -q "spank_pact: .*the step runs without pact" "$T/c/log/slurmd.log"
