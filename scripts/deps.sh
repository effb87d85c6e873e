#!/bin/sh
# deps.sh - install the Debian packages PACT needs that are missing.
# Debian packages only; run as root (as the README's set-up does), else
# it prints the apt-get line to run.
pkgs="gcc make libc6-dev pkg-config libpfm4-dev libgsl-dev linux-perf
      python3 python3-pytest python3-numpy stress stress-ng valgrind faketime
      locales libcap2-bin clang libclang-rt-14-dev
      python3-torch python3-torchvision python3-sklearn
      libmicrohttpd-dev prometheus prometheus-node-exporter
      libcairo2-dev chromium poppler-utils
      libslurm-dev slurmctld slurmd slurm-client munge
      libncurses-dev tmux"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "pact: missing Debian packages:$missing; run as root: apt-get install$missing" >&2
    exit 1
fi
echo "pact: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || { echo "pact: apt-get install$missing failed" >&2; exit 1; }
