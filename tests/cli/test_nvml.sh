#!/bin/sh
# test_nvml.sh - GPU columns end to end through build/pact with the fake
# NVML library (build/fakes/fake_nvml.so): summed power and mean
# utilisation, the method per GPU in `pact list`, GPU selection, a GPU
# that falls off the bus mid-run, and a machine without the library.
TEST_FILE=tests/cli/test_nvml.sh
. tests/cli/lib.sh
plan 30
FAKE="$B/fakes/fake_nvml.so"
need "$FAKE" "make test-progs builds it"
export PACT_NVML_LIB="$FAKE" PACT_FAKE_NVML="$T/gpus"
unset CUDA_VISIBLE_DEVICES CUDA_DEVICE_ORDER

# Values of column $2 in the full (>= 0.9 s) rows of CSV $1, one per line.
col() {
    awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++){if($i==c)k=i; if($i=="duration(s)")d=i}; next}
        $d >= 0.9 {print (k ? $k : "nocolumn")}' "$1"
}
# True when every value is within tolerance $3 of $2 (and there is one).
all_near() {
    awk -v w="$2" -v t="$3" 'BEGIN{n=0; bad=0}
        {n++; if ($1 == "" || $1 - w > t || w - $1 > t) bad++}
        END{exit !(n > 0 && bad == 0)}' "$1"
}

cat >"$T/gpus" <<'EOF'
gpus=2
gpu0.power_mw=150000
gpu0.energy_update_ms=20
gpu0.util_gpu=80
gpu0.util_mem=30
gpu1.power_mw=75500
gpu1.rc.energy=3
gpu1.util_gpu=40
gpu1.util_mem=10
EOF

"$PACT" run -e page-faults -q -o "$T/out.csv" -- sleep 3
check run_exit_status [ $? = 0 ]
col "$T/out.csv" 'Nvidia_SMI_Power(W)' >"$T/p"
col "$T/out.csv" 'GPU_Util_SM(%)' >"$T/sm"
col "$T/out.csv" 'GPU_Util_Memory(%)' >"$T/mem"
col "$T/out.csv" gpu0_power_w >"$T/p0"
col "$T/out.csv" gpu1_power_w >"$T/p1"
check full_rows [ "$(wc -l <"$T/p")" -ge 2 ]
# gpu0 from its energy counter over real time.  The counter moves only
# every 20 ms (as real ones, every 20-100 ms): a window's two readings can
# each lag by up to 20 ms, so 150 W x 0.02 s / 0.9 s (the shortest full
# row) = 3.4 W.
check gpu0_power_from_energy all_near "$T/p0" 150 3.4
# gpu1 sampled: exactly the scripted 75.5 W.
check gpu1_power_sampled all_near "$T/p1" 75.5 0.0005
check power_is_sum_over_gpus all_near "$T/p" 225.5 3.4
check util_sm_is_mean all_near "$T/sm" 60 0.005
check util_mem_is_mean all_near "$T/mem" 20 0.005

"$PACT" list >"$T/list" 2>&1
check list_method_energy grep -q \
    "gpu0 Fake GPU 0: power from the energy counter" "$T/list"
check list_method_instant grep -q \
    "gpu1 Fake GPU 1: power from the instantaneous power field" "$T/list"

# PACT_NVML_SAMPLED=1: the sampled reading beside the counter, in its
# own column, not added to the sum.
PACT_NVML_SAMPLED=1 "$PACT" run -e page-faults -q -o "$T/s.csv" -- sleep 1.2
col "$T/s.csv" gpu0_power_sampled_w >"$T/ps"
col "$T/s.csv" 'Nvidia_SMI_Power(W)' >"$T/p"
check sampled_column all_near "$T/ps" 150 0.0005
check sampled_not_summed all_near "$T/p" 225.5 3.4

# --gpus and CUDA_VISIBLE_DEVICES choose the GPUs.
"$PACT" run -e page-faults -q --gpus 1 -o "$T/g1.csv" -- sleep 1.2
col "$T/g1.csv" 'Nvidia_SMI_Power(W)' >"$T/p"
check gpus_option_power all_near "$T/p" 75.5 0.0005
check gpus_option_columns [ "$(col "$T/g1.csv" gpu0_power_w | head -1)" = nocolumn ]
CUDA_VISIBLE_DEVICES=0 "$PACT" run -e page-faults -q -o "$T/c0.csv" -- sleep 1.2
col "$T/c0.csv" 'GPU_Util_SM(%)' >"$T/sm"
check cuda_visible_devices_util all_near "$T/sm" 80 0.005
check cuda_visible_devices_columns [ "$(col "$T/c0.csv" gpu1_power_w | head -1)" = nocolumn ]
"$PACT" run -e page-faults -o "$T/bad.csv" --gpus 0,5 -- true 2>"$T/err"
check bad_gpus_message grep -q "'5' is no such GPU index" "$T/err"
"$PACT" run -e page-faults -o "$T/bad.csv" --gpus 0,5 -- touch "$T/ran" 2>/dev/null
rc=$?
check bad_gpus_stops_before_start '[ $rc = 2 ] && [ ! -e "$T/ran" ]'

# gpu1 falls off the bus once a full row has been written and answers
# again once a row has empty gpu1 cells (states the test waits for, not
# seconds): its cells go empty, one line says so, gpu0 keeps its values
# and the run goes on.
# cells CSV COLUMN: the column's cells, one per line ("" when empty).
cells() {
    awk -F, -v c="$2" 'NR==1{for(i=1;i<=NF;i++) if($i==c) k=i; next} k {print $k}' "$1" 2>/dev/null
}
# wait_cell CSV COLUMN EXPR: wait (up to 30 s) until a cell v satisfies
# the awk expression, counting only rows after the first $4 rows.
wait_cell() {
    i=0
    while [ $i -lt 1500 ]; do
        cells "$1" "$2" | awk -v skip="${4:-0}" 'NR > skip {v=$0; if ('"$3"') f=1} END{exit !f}' && return 0
        sleep 0.02; i=$((i + 1))
    done
    echo "  timed out waiting for $3 in $2 of $1" >&2
    return 1
}
lost_state() {
    printf 'gpus=2\ngpu0.energy_update_ms=20\ngpu1.power_mw=50000\n%s' "$1" >"$T/gpus.new"
    mv "$T/gpus.new" "$T/gpus"
}
lost_state ''
rm -f "$T/stop"
"$PACT" run -e page-faults -o "$T/lost.csv" -- sh -c "while [ ! -e '$T/stop' ]; do sleep 0.02; done" 2>"$T/err" &
RUN=$!
wait_cell "$T/lost.csv" gpu1_power_w 'v != ""'
lost_state 'gpu1.lost=1\n'
n=$(cells "$T/lost.csv" gpu1_power_w | wc -l)
wait_cell "$T/lost.csv" gpu1_power_w 'v == ""' "$n"
lost_state ''
n=$(cells "$T/lost.csv" gpu1_power_w | wc -l)
wait_cell "$T/lost.csv" gpu1_power_w 'v != ""' "$n"
touch "$T/stop"
wait $RUN
check lost_run_goes_on [ $? = 0 ]
col "$T/lost.csv" gpu1_power_w >"$T/p1"
col "$T/lost.csv" gpu0_power_w >"$T/p0"
# 100 W from a counter moving every 20 ms: 100 x 0.02 / 0.9 = 2.3 W.
check lost_other_gpu_kept all_near "$T/p0" 100 2.3
check lost_cells_empty grep -qx '' "$T/p1"
check lost_first_row_filled [ "$(head -1 "$T/p1")" != "" ]
check lost_recovered [ "$(tail -1 "$T/p1")" != "" ]
check lost_one_line [ "$(grep -c "gpu1 Fake GPU 1 fell off the bus" "$T/err")" = 1 ]
check lost_back_line [ "$(grep -c "gpu1 Fake GPU 1 answers again" "$T/err")" = 1 ]

# nvmlInit_v2 can take seconds without persistence mode, and drivers have
# hung in it (nvml.md sec. 7): a slow one is waited for, a hung one is
# given up after PACT_NVML_INIT_TIMEOUT_S with one reason, and the run
# goes on without GPUs.
printf 'gpus=1\ninit_delay_ms=1500\n' >"$T/gpus"
PACT_NVML_INIT_TIMEOUT_S=5 "$PACT" list >"$T/list" 2>&1
check slow_init_waited_for grep -q "gpu0 Fake GPU 0: power from the energy counter" "$T/list"
printf 'gpus=1\ninit_hang=1\n' >"$T/gpus"
# (timeout 30: a pact without the watchdog would hang here for ever.)
PACT_NVML_INIT_TIMEOUT_S=1 timeout -k 5 30 "$PACT" list >"$T/list" 2>&1
check hung_init_given_up grep -q "nvmlInit_v2 did not return within 1 s" "$T/list"
PACT_NVML_INIT_TIMEOUT_S=1 timeout -k 5 30 "$PACT" run -e page-faults -q -o "$T/hang.csv" -- sleep 1.2 2>"$T/err"
rc=$?
col "$T/hang.csv" 'Nvidia_SMI_Power(W)' >"$T/p"
check hung_init_run_goes_on '[ $rc = 0 ] && [ "$(wc -l <"$T/p")" -ge 1 ] && [ "$(grep -vc "^$" "$T/p")" = 0 ]'

# No library: a clean reason in `pact list` and empty GPU cells.
PACT_NVML_LIB="$T/none/libnvidia-ml.so.1" "$PACT" list >"$T/list" 2>&1
check no_library_list grep -q "nvml .*no NVIDIA driver" "$T/list"
PACT_NVML_LIB="$T/none/libnvidia-ml.so.1" "$PACT" run -e page-faults -q -o "$T/none.csv" -- sleep 1.2
col "$T/none.csv" 'Nvidia_SMI_Power(W)' >"$T/p"
filled=$(grep -vc '^$' "$T/p"); rows=$(wc -l <"$T/p")
check no_library_empty_cells [ "$filled" = 0 -a "$rows" -ge 1 ]
if [ -e /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1 ] || ldconfig -p 2>/dev/null | grep -q libnvidia-ml.so.1; then
    skip no_driver_message "this machine has libnvidia-ml.so.1"
else
    env -u PACT_NVML_LIB "$PACT" list >"$T/list" 2>&1
    check no_driver_message grep -q \
        "no NVIDIA driver (libnvidia-ml.so.1 not found); install the NVIDIA driver" "$T/list"
fi
