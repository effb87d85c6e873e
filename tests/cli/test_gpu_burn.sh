#!/bin/sh
# test_gpu_burn.sh - the GPU stress workload: workloads/gpu/build.sh
# builds it when nvcc is present (one architecture here, to be quick) and
# says so and succeeds when it is not; the binary checks its arguments,
# and on a machine with a GPU it burns briefly and finds no errors.
TEST_FILE=tests/cli/test_gpu_burn.sh
. tests/cli/lib.sh
plan 8

# No toolkit: a message, exit status 0, nothing built.
PATH=/usr/bin:/bin CUDA_HOME="$T/no-cuda" sh workloads/gpu/build.sh "$T/none" \
    >"$T/out" 2>&1
rc=$?
if PATH=/usr/bin:/bin command -v nvcc >/dev/null 2>&1; then
    skip no_nvcc_exits_0 "nvcc is in /usr/bin here"
    skip no_nvcc_message "nvcc is in /usr/bin here"
else
    check no_nvcc_exits_0 [ $rc = 0 -a ! -e "$T/none/gpu-burn" ]
    check no_nvcc_message grep -q "nvcc is missing" "$T/out"
fi

NVCC_ARCH=-arch=sm_90 sh workloads/gpu/build.sh "$T" >"$T/out" 2>&1
rc=$?
if grep -q "nvcc is missing" "$T/out"; then
    # nvcc (the CUDA toolkit) is not in Debian main: this machine cannot
    # build the workload, so each check that needs it says so.
    for c in builds no_seconds_is_usage bad_mem_fraction_status \
             bad_mem_fraction_message burns_or_no_gpu_status burns_or_no_gpu_message; do
        skip $c "needs nvcc (CUDA toolkit), not installed here"
    done
    exit 0
fi
check builds [ $rc = 0 -a -x "$T/gpu-burn" ]
"$T/gpu-burn" >/dev/null 2>&1
check no_seconds_is_usage [ $? = 2 ]
"$T/gpu-burn" 5 --mem 2 2>"$T/err"
rc=$?
check bad_mem_fraction_status [ $rc = 2 ]
check bad_mem_fraction_message grep -q "fraction" "$T/err"
if nvidia-smi -L >/dev/null 2>&1; then
    "$T/gpu-burn" 2 --size 1024 >"$T/burn" 2>&1
    rc=$?
    check burns_or_no_gpu_status [ $rc = 0 ]
    check burns_or_no_gpu_message grep -q "GFLOP/s, 0 errors" "$T/burn"
else
    "$T/gpu-burn" 1 2>"$T/err"
    rc=$?
    check burns_or_no_gpu_status [ $rc = 2 ]
    check burns_or_no_gpu_message grep -q "no CUDA GPU" "$T/err"
fi
