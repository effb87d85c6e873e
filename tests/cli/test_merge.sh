#!/bin/sh
# test_merge.sh - `pact merge` on two fixture nodes of known power with
# offset starts and different periods and grid intensities: the job's
# energy is the sum of the truths, its CO2 each node's energy at that
# node's own intensity; the timeline conserves energy; and the messages
# for overlapping files, a rank twice, mismatched periods, clock skew and
# files that are not pact's.
TEST_FILE=tests/cli/test_merge.sh
. tests/cli/lib.sh
plan 18
. tests/cli/fleet_fixture.sh
if [ ! -x "$CTR" ]; then
    skip merge "helper rapl_counter not built"
    exit 0
fi
W_A=42 W_B=20 CI_A=500 CI_B=100
node_fixture "$T/a"; PKG_A=$PKG
node_fixture "$T/b"; PKG_B=$PKG
bg "$CTR" 12 "$PKG_A" $W_A 0 $RAPL_MAX
bg "$CTR" 12 "$PKG_B" $W_B 0 $RAPL_MAX
sleep 0.2
mkdir "$T/job"
# Node B starts ~1.5 s after A (more than one window), with half A's period.
env SLURM_JOB_ID=77 RANK=0 "$PACT" run -q --no-estimate --sysroot "$T/a" \
    --carbon-intensity $CI_A --label node=nodeA -o "$T/job/a.csv" -- sleep 4 2>/dev/null &
pa=$!
sleep 1.5
env SLURM_JOB_ID=77 RANK=1 "$PACT" run -q --no-estimate --sysroot "$T/b" \
    --carbon-intensity $CI_B --label node=nodeB --measure-period 0.5 \
    -o "$T/job/b.csv" -- sleep 3 2>/dev/null
wait $pa

"$PACT" merge -o "$T/job/job.csv" "$T/job" 2>"$T/msg"
rc=$?
sed 's/^/  /' "$T/msg"
check merge_exit [ $rc = 0 ]
check notes_mismatched_periods grep -q "measure periods differ (0.5.* s to 1.* s); every node is resampled by energy" "$T/msg"
check warns_clock_skew grep -q "job 77: nodeB starts 1\.[0-9]* s after nodeA, more than one window.*clocks are skewed" "$T/msg"

# Independent expectations from the node files alone: the truth is the
# fixture power x the time each node tracked (sum of its windows); pact
# reads the counter up to ~50 ms late at each end of a run on a loaded
# machine, so each node's energy is within W x 0.1 s of the truth.
$PY - "$T/job" $W_A $W_B $CI_A $CI_B >"$T/expect" <<'PYEOF'
import csv, sys
d, wa, wb, ca, cb = sys.argv[1], *map(float, sys.argv[2:6])
def node(f):
    rows = list(csv.DictReader(open(f)))
    t = sum(float(r["duration(s)"]) for r in rows)
    e = sum(float(r["total_power_w"]) * float(r["duration(s)"]) for r in rows if r["total_power_w"])
    return t, e, rows
ta, ea, ra = node(d + "/a.csv")
tb, eb, rb = node(d + "/b.csv")
job = list(csv.DictReader(open(d + "/job.csv")))
print("truth", wa * ta + wb * tb, (wa + wb) * 0.1)
print("nodesum", ea + eb)
print("co2", ea * ca / 3.6e6 + eb * cb / 3.6e6)
print("job_energy", float(job[-1]["job_energy_j"]))
print("job_co2", float(job[-1]["job_co2_g"]))
print("timeline_sum", sum(float(r["job_power_w"]) * float(r["duration(s)"]) for r in job))
print("span", min(float(ra[0]["unix_time"]), float(rb[0]["unix_time"])), float(job[0]["unix_time"]))
# Windows inside both runs (not the first or last), where node A's cell
# is the mean of whole rows.
full = [float(r["nodeA_power_w"]) for r in job[1:-1] if r["nodes"] == "2" and r["nodeA_power_w"]]
print("nodeA_full", sum(full) / max(len(full), 1), len(full))
PYEOF
sed 's/^/  /' "$T/expect"
v() { awk -v k="$1" -v i="${2:-2}" '$1==k {print $i}' "$T/expect"; }
within() { $PY -c "import sys; a,b,t=map(float,sys.argv[1:]); sys.exit(0 if abs(a-b)<=t else 1)" "$@"; }
check job_energy_is_sum_of_truths within "$(v job_energy)" "$(v truth)" "$(v truth 3)"
# The merged energy is the nodes' own measured energy (rounding of the
# 3-decimal cells only).
check job_energy_is_sum_of_node_files within "$(v job_energy)" "$(v nodesum)" 0.01
check timeline_conserves_energy within "$(v timeline_sum)" "$(v nodesum)" 0.05
check job_co2_at_each_nodes_intensity within "$(v job_co2)" "$(v co2)" 1e-5
check timeline_starts_at_first_node within "$(v span)" "$(v span 3)" 1e-6
check node_column_is_node_power within "$(v nodeA_full)" $W_A 1.5
check summary_per_node_table grep -q "^  nodeB  *1  *1 " "$T/msg"
check summary_job_energy grep -q "job energy: *$(printf '%.3f' "$(v nodesum)")" "$T/msg"

# ---- Bad inputs ----
cp "$T/job/a.csv" "$T/a_again.csv"
"$PACT" merge -o "$T/x.csv" "$T/job/a.csv" "$T/a_again.csv" 2>"$T/ov"
rc=$?
check overlap_rejected [ $rc = 2 ]
check overlap_message grep -q "node nodeA: .*a.csv and .*a_again.csv overlap by .* s.*pass only one of them" "$T/ov"
sed 's/,nodeB,77,1$/,nodeC,77,0/' "$T/job/b.csv" >"$T/dup.csv"
"$PACT" merge -o "$T/x.csv" "$T/job/a.csv" "$T/dup.csv" 2>"$T/dup"
rc=$?
check duplicate_rank_rejected [ $rc = 2 ]
check duplicate_rank_message grep -q "rank 0 of job 77 is in .*a.csv (node nodeA) and .*dup.csv (node nodeC)" "$T/dup"
printf 'a,b\n1,2\n' >"$T/other.csv"
"$PACT" merge -o "$T/x.csv" "$T/other.csv" 2>"$T/oth"
check not_pact_csv sh -c "[ $? = 2 ] && grep -q \"other.csv: no 'unix_time' column\" '$T/oth'"
"$PACT" merge "$T/job/a.csv" 2>"$T/noo"
check needs_output sh -c "[ $? = 2 ] && grep -q 'usage: pact merge -o JOB.csv' '$T/noo'"
"$PACT" merge -o "$T/x.csv" "$T/missing.csv" 2>"$T/mis"
check missing_file sh -c "[ $? = 2 ] && [ \$(wc -l <'$T/mis') = 1 ] && grep -q missing.csv '$T/mis'"
