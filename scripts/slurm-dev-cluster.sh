#!/usr/bin/env bash
# A single-node Slurm cluster on loopback, for Ablate's integration tests and for trying the Slurm backend.
#
#   scripts/slurm-dev-cluster.sh up      install (apt) and start munged, slurmctld and slurmd; wait for an idle node
#   scripts/slurm-dev-cluster.sh down    stop the three daemons (state and logs stay in /var/spool and /var/log/slurm)
#   scripts/slurm-dev-cluster.sh status  print the node's state
#
# Idempotent: `up` on a running cluster only checks it. Needs root (or sudo). Not for production: the daemons run as
# root on 127.0.0.1, without accounting database (sacct -c reads the job-completion file) and without cgroups.
set -euo pipefail

conf_dir=/etc/slurm
conf=$conf_dir/slurm.conf
log_dir=/var/log/slurm
ctld_spool=/var/spool/slurmctld
slurmd_spool=/var/spool/slurmd
packages=(slurmctld slurmd slurm-client munge)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
say() { echo "slurm-dev-cluster: $*"; }

install_packages() {
    local missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return
    say "installing ${missing[*]}"
    # The packages' maintainer scripts would start the daemons with the stock configuration; keep them from it.
    local policy=/usr/sbin/policy-rc.d had_policy=0
    [ -e $policy ] && had_policy=1
    [ $had_policy -eq 1 ] || { printf '#!/bin/sh\nexit 101\n' | as_root tee $policy >/dev/null; as_root chmod +x $policy; }
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
    as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    [ $had_policy -eq 1 ] || as_root rm -f $policy
}

start_munge() {
    if munge -n </dev/null >/dev/null 2>&1; then return; fi
    stop_daemon munged
    as_root mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
    [ -s /etc/munge/munge.key ] || as_root mungekey --create --keyfile=/etc/munge/munge.key
    as_root chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
    as_root chmod 0700 /etc/munge /var/lib/munge /var/log/munge
    as_root chmod 0755 /run/munge
    as_root chmod 0600 /etc/munge/munge.key
    # munged refuses to run as root; --origin avoids a look-up of this host's name.
    as_root runuser -u munge -- /usr/sbin/munged --origin=127.0.0.1
    for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && return; sleep 0.1; done
    say "munged did not start; see /var/log/munge/munged.log" >&2
    exit 1
}

write_config() {
    # The node's topology comes from slurmd itself; memory is kept at 90% so that jobs never starve the machine.
    local node_line memory
    node_line=$(slurmd -C | head -n 1)
    memory=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node_line")
    node_line=$(sed -e 's/^NodeName=[^ ]*/NodeName=localhost NodeAddr=127.0.0.1/' \
        -e "s/RealMemory=[0-9]*/RealMemory=$((memory * 9 / 10))/" <<<"$node_line")
    as_root mkdir -p $conf_dir $log_dir $ctld_spool $slurmd_spool
    as_root tee $conf.new >/dev/null <<EOF
# Written by Ablate's scripts/slurm-dev-cluster.sh: a single-node cluster on loopback.
ClusterName=ablate-dev
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=cred_expire=10
CredType=cred/munge
StateSaveLocation=$ctld_spool
SlurmdSpoolDir=$slurmd_spool
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$log_dir/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_interval=2
MinJobAge=3600
MaxJobCount=20000
MaxArraySize=1001
ReturnToService=2
MailProg=/bin/true
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
$node_line State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
    as_root mv $conf.new $conf
}

# Stops a daemon and waits until it has exited (SIGKILL after 10 s), so that a following start never races it.
stop_daemon() {
    as_root pkill -x "$1" 2>/dev/null || return 0
    for _ in $(seq 100); do pgrep -x "$1" >/dev/null || return 0; sleep 0.1; done
    as_root pkill -KILL -x "$1" 2>/dev/null || true
    for _ in $(seq 50); do pgrep -x "$1" >/dev/null || return 0; sleep 0.1; done
}

node_state() { sinfo -h -N -n localhost -o '%T' 2>/dev/null | head -n 1; }

up() {
    install_packages
    start_munge
    if pgrep -x slurmctld >/dev/null && pgrep -x slurmd >/dev/null && [[ "$(node_state)" =~ ^(idle|mixed|allocated) ]]; then
        say "already up ($(node_state))"
        return
    fi
    stop_daemon slurmd
    stop_daemon slurmctld
    write_config
    local started
    started=$(date +%s)
    as_root slurmctld
    for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.1; done
    as_root slurmd
    # A restarted controller reports the node idle from its saved state before slurmd has registered: wait for
    # slurmd's own registration in the controller's log, then for the node to be usable.
    local deadline=$((started + 60))
    while [ "$(date +%s)" -lt $deadline ]; do
        registered=$(scontrol show node localhost 2>/dev/null | sed -n 's/.*SlurmdStartTime=\([^ ]*\).*/\1/p')
        if [ -n "$registered" ] && [ "$registered" != "None" ] \
            && [ "$(date -d "$registered" +%s 2>/dev/null || echo 0)" -ge "$started" ] \
            && [[ "$(node_state)" =~ ^(idle|mixed|allocated)$ ]]; then
            say "up: node localhost $(node_state) ($(sinfo -h -N -o '%c CPUs, %m MB'))"
            return
        fi
        sleep 0.1
    done
    say "slurmd did not register within 60 s; see $log_dir/slurmd.log and $log_dir/slurmctld.log" >&2
    exit 1
}

down() {
    stop_daemon slurmd
    stop_daemon slurmctld
    stop_daemon munged
    say "down"
}

case "${1:-}" in
up) up ;;
down) down ;;
status) sinfo -N 2>/dev/null || { say "not running"; exit 1; } ;;
*)
    echo "usage: $0 up|down|status" >&2
    exit 2
    ;;
esac
