#!/bin/sh
# cluster.sh - a single-host Slurm cluster for the tests: munged, slurmctld
# and slurmd, all on 127.0.0.1, with spool, state, logs and the munge key in
# one temporary directory.  Sourced by tests; call cluster_start DIR
# ENERGY_PLUGIN PLUGIN_DIR PLUGSTACK and cluster_stop (by pid) in a trap.
# Ports are chosen from the test's pid so parallel runs do not collide.

cluster_start() { # $1 dir, $2 AcctGatherEnergyType, $3 extra PluginDir, $4 plugstack file
    C=$1
    mkdir -p "$C/state" "$C/spool/$(hostname -s)" "$C/log" "$C/munge" "$C/key"
    chmod 700 "$C/key"
    chmod 755 "$C" "$C/munge"
    dd if=/dev/urandom of="$C/key/munge.key" bs=1024 count=1 2>/dev/null
    chmod 400 "$C/key/munge.key"
    /usr/sbin/munged --force --key-file="$C/key/munge.key" \
        --socket="$C/munge/munge.socket" --pid-file="$C/munge/munged.pid" \
        --log-file="$C/log/munged.log" --seed-file="$C/key/seed" \
        2>>"$C/log/munged.err" || return 1
    base=$((20000 + ($$ % 5000) * 2))
    host=$(hostname -s)
    ncpu=$(nproc)
    plugdir=/usr/lib/x86_64-linux-gnu/slurm-wlm
    [ -n "$3" ] && plugdir="$3:$plugdir"
    cat >"$C/slurm.conf" <<CONF
ClusterName=pacttest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$C/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool/%n
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/log/slurmctld.log
SlurmdLogFile=$C/log/slurmd.log
PluginDir=$plugdir
PlugStackConfig=$4
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=1
AcctGatherEnergyType=$2
AcctGatherNodeFreq=1
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$ncpu State=UNKNOWN
PartitionName=pact Nodes=$host Default=YES MaxTime=10 State=UP
CONF
    [ -f "$4" ] || : >"$4"
    export SLURM_CONF="$C/slurm.conf"
    /usr/sbin/slurmctld -D -i -f "$C/slurm.conf" >>"$C/log/slurmctld.out" 2>&1 &
    echo $! >"$C/slurmctld.bgpid"
    "${SLURMD_ENV:-env}" /usr/sbin/slurmd -D -f "$C/slurm.conf" >>"$C/log/slurmd.out" 2>&1 &
    echo $! >"$C/slurmd.bgpid"
    i=0
    while [ $i -lt 60 ]; do
        st=$(sinfo -h -o %t 2>/dev/null | head -n1)
        case "$st" in idle*|mix*|alloc*) return 0 ;; esac
        sleep 0.5; i=$((i + 1))
    done
    return 1
}

cluster_stop() {
    [ -n "$C" ] || return 0
    for f in "$C/slurmd.bgpid" "$C/slurmctld.bgpid" "$C/munge/munged.pid"; do
        [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
    done
    sleep 0.5
    for f in "$C/slurmd.bgpid" "$C/slurmctld.bgpid" "$C/munge/munged.pid"; do
        [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
    done
    # slurmstepd children of a killed slurmd
    pkill -9 -f "slurmstepd.*$C" 2>/dev/null
    return 0
}
