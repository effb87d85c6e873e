#!/bin/sh
# test_labels.sh - fleet labels and the election through build/pact: the
# CSV's host, job_id, rank and --label columns from Slurm, torchrun and
# MPI variables; bad --label syntax; four ranks on one node record one
# node's energy (local rank 0 tracks, the others run untracked with a
# notice; the library elects the same way for the Python tracker); GPUs
# scoped to SLURM_JOB_GPUS with the fake NVML.
TEST_FILE=tests/cli/test_labels.sh
. tests/cli/lib.sh
plan 39
. tests/cli/fleet_fixture.sh
for v in SLURM_JOB_ID SLURM_JOBID SLURM_STEP_ID SLURM_PROCID SLURM_LOCALID \
    SLURMD_NODENAME RANK LOCAL_RANK OMPI_COMM_WORLD_RANK \
    OMPI_COMM_WORLD_LOCAL_RANK PMI_RANK PMIX_RANK MPI_LOCALRANKID \
    SLURM_JOB_GPUS CUDA_VISIBLE_DEVICES; do
    unset $v
done
# last_cols FILE N: the header's and the first row's last N cells.
last_cols() {
    $PY -c "import csv,sys; r=list(csv.reader(open(sys.argv[1]))); n=int(sys.argv[2]); print(','.join(r[0][-n:])); print(','.join(r[1][-n:]))" "$1" "$2"
}

# ---- Columns ----
env SLURM_JOB_ID=5 SLURM_PROCID=2 SLURM_LOCALID=0 "$PACT" run -q -e faults \
    -o "$T/s.csv" --label node=n7 --label team=ml -- true 2>/dev/null
last_cols "$T/s.csv" 5 >"$T/s"
check slurm_columns_header [ "$(sed -n 1p "$T/s")" = "region,host,job_id,rank,team" ]
check slurm_columns_values [ "$(sed -n 2p "$T/s")" = ",n7,5,2,ml" ]
"$PACT" run -q -e faults -o "$T/h.csv" -- true 2>/dev/null
last_cols "$T/h.csv" 2 >"$T/h"
check host_column_is_hostname [ "$(sed -n 2p "$T/h")" = ",$(hostname)" ]
check no_job_columns_outside_a_job [ "$(sed -n 1p "$T/h")" = "region,host" ]
# torchrun's RANK wins over Slurm's (under srun torchrun, SLURM_PROCID
# numbers the node).
env SLURM_JOB_ID=5 SLURM_PROCID=1 RANK=3 "$PACT" run -q -e faults -o "$T/t.csv" -- true 2>/dev/null
check torchrun_rank_wins [ "$(last_cols "$T/t.csv" 1 | sed -n 2p)" = 3 ]
env OMPI_COMM_WORLD_RANK=6 "$PACT" run -q -e faults -o "$T/m.csv" -- true 2>/dev/null
check ompi_rank [ "$(last_cols "$T/m.csv" 1 | sed -n 2p)" = 6 ]
env PMI_RANK=9 "$PACT" run -q -e faults -o "$T/p.csv" -- true 2>/dev/null
check pmi_rank [ "$(last_cols "$T/p.csv" 1 | sed -n 2p)" = 9 ]
env SLURMD_NODENAME=cn042 "$PACT" run -q -e faults -o "$T/n.csv" -- true 2>/dev/null
check slurm_node_name [ "$(last_cols "$T/n.csv" 1 | sed -n 2p)" = cn042 ]

# ---- Bad --label ----
for bad in "team" "=x" "1x=y" "__x=y" "a-b=c" "x=" "x=a,b"; do
    "$PACT" run -q -o "$T/bad.csv" --label "$bad" -- true 2>"$T/bad"
    rc=$?
    check "bad_label_rejected[$bad]" [ $rc = 2 ]
    check "bad_label_one_line[$bad]" [ "$(wc -l <"$T/bad")" = 1 ]
    check "bad_label_names_it[$bad]" grep -q -- "--label '$bad'" "$T/bad"
done

# ---- Election: 4 ranks on one node at 42 W ----
if [ ! -x "$CTR" ]; then
    skip election "helper rapl_counter not built"
else
    W=42
    node_fixture "$T/node"
    bg "$CTR" 10 "$PKG" $W 0 $RAPL_MAX
    sleep 0.2
    pids=""
    for r in 0 1 2 3; do
        env SLURM_JOB_ID=8 RANK=$r LOCAL_RANK=$r "$PACT" run --no-estimate \
            --sysroot "$T/node" -e faults -o "$T/rank$r.csv" -- sleep 3 \
            >/dev/null 2>"$T/rank$r.err" &
        pids="$pids $!"
    done
    for p in $pids; do wait $p; done
    check election_rank0_writes [ -s "$T/rank0.csv" ]
    check election_others_write_nothing sh -c "[ ! -e '$T/rank1.csv' ] && [ ! -e '$T/rank2.csv' ] && [ ! -e '$T/rank3.csv' ]"
    check election_notice_one_line sh -c "[ \$(grep -c 'local rank 0 tracks this node' '$T/rank2.err') = 1 ] && [ \$(wc -l <'$T/rank2.err') = 1 ]"
    # The node's energy once: the fixture's 42 W x the time rank 0
    # tracked (within 0.1 s of power for counter-read lag at the ends),
    # summed over every CSV the four ranks wrote.
    $PY - "$T" $W <<'PYEOF' >"$T/el"
import csv, glob, sys
t, w = sys.argv[1], float(sys.argv[2])
tot, dur = 0.0, 0.0
for f in glob.glob(t + "/rank*.csv"):
    for r in csv.DictReader(open(f)):
        tot += float(r["total_power_w"]) * float(r["duration(s)"])
        dur += float(r["duration(s)"])
print("%.3f %.3f %.3f" % (tot, w * dur, w * 0.1))
PYEOF
    echo "  election: recorded, truth, tol = $(cat "$T/el")"
    check election_one_nodes_energy sh -c "awk '{d=\$1-\$2; exit !(d<=\$3 && -d<=\$3)}' '$T/el'"
    # The command still runs (and its status comes back) on every rank.
    env LOCAL_RANK=1 "$PACT" run -q -o "$T/r1.csv" -- sh -c 'exit 7' 2>/dev/null
    check election_untracked_rank_keeps_exit_status [ $? = 7 ]
    # The library elects too: a Python tracker on local rank 1 writes no CSV.
    if [ -f "$B/libpact.so" ]; then
        # An ASan build needs its runtimes loaded first (as tests/run.sh).
        pre=""
        if grep -q libasan "$B/libpact.so" 2>/dev/null; then
            pre="$(cc -print-file-name=libasan.so) $(cc -print-file-name=libubsan.so)"
        fi
        env LOCAL_RANK=1 LD_PRELOAD="$pre" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
            PYTHONPATH=python PACT_LIBRARY="$B/libpact.so" $PY -c "
import logging, pact, sys
logging.basicConfig(level=logging.INFO, format='%(message)s')
with pact.Tracker(output=sys.argv[1], sysroot=sys.argv[2], events='faults') as t:
    pass
" "$T/py1.csv" "$T/node" 2>"$T/py1.err"
        check library_election_python_runs [ $? = 0 ]
        check library_election_python_writes_nothing [ ! -e "$T/py1.csv" ]
        check library_election_notice grep -q "local rank 1: local rank 0 tracks this node's shared sources" "$T/py1.err"
    fi
fi

# ---- GPU scope: SLURM_JOB_GPUS with the fake NVML ----
FAKE="$B/fakes/fake_nvml.so"
if [ -f "$FAKE" ]; then
    printf 'gpus=2\ngpu0.power_mw=150000\ngpu1.power_mw=75500\n' >"$T/gpus"
    env PACT_NVML_LIB="$FAKE" PACT_FAKE_NVML="$T/gpus" SLURM_JOB_GPUS=1 \
        "$PACT" run -q -e faults -o "$T/g.csv" -- sleep 1.2 2>/dev/null
    check slurm_job_gpus_scopes sh -c "head -n 1 '$T/g.csv' | grep -q gpu1_power_w && ! head -n 1 '$T/g.csv' | grep -q gpu0_power_w"
    env PACT_NVML_LIB="$FAKE" PACT_FAKE_NVML="$T/gpus" SLURM_JOB_GPUS=1 \
        CUDA_VISIBLE_DEVICES=0 "$PACT" run -q -e faults -o "$T/g2.csv" -- sleep 1.2 2>/dev/null
    check cuda_visible_devices_wins sh -c "head -n 1 '$T/g2.csv' | grep -q gpu0_power_w && ! head -n 1 '$T/g2.csv' | grep -q gpu1_power_w"
else
    skip gpu_scope "build $FAKE first (make test-progs)"
fi
