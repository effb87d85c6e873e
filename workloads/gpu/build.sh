#!/bin/sh
# build.sh - build BUILD_DIR/gpu-burn (workloads/gpu/gpu_burn.cu) with
# nvcc when the CUDA toolkit is present; otherwise say so and exit 0, so
# `make gpu-burn` never fails on a machine without CUDA.
# Usage: sh workloads/gpu/build.sh BUILD_DIR
# NVCC picks the compiler (default: nvcc on PATH, else $CUDA_HOME/bin/nvcc
# with CUDA_HOME defaulting to /usr/local/cuda); NVCC_ARCH the targets
# (default: every major architecture the toolkit knows).
B=${1:-build}
src=$(dirname "$0")/gpu_burn.cu
nvcc=${NVCC:-}
if [ -z "$nvcc" ]; then
    if command -v nvcc >/dev/null 2>&1; then
        nvcc=nvcc
    elif [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ]; then
        nvcc="${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"
    else
        echo "gpu-burn: nvcc is missing (install the CUDA toolkit); not built"
        exit 0
    fi
fi
arch=${NVCC_ARCH:--arch=all-major}
mkdir -p "$B" || exit 1
echo "gpu-burn: $nvcc -O3 $arch -o $B/gpu-burn $src"
"$nvcc" -O3 $arch -o "$B/gpu-burn" "$src" || {
    echo "gpu-burn: nvcc failed" >&2
    exit 1
}
echo "gpu-burn: built $B/gpu-burn"
