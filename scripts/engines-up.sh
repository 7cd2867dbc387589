#!/usr/bin/env bash
# Installs and starts the engines the MPI and SLURM executors are tested against, on this machine:
#   - OpenMPI (Debian's openmpi-bin, libopenmpi-dev) and a C compiler for mpicc;
#   - a single-node SLURM cluster: munged, slurmctld and slurmd, node and partition written from this machine's CPUs
#     and memory.
# Runs as root. Idempotent: packages are installed only when missing; daemons that run (by their recorded PIDs) and
# whose configuration did not change are left alone. The PIDs of the daemons it starts are recorded in
# $LUTE_ENGINES_DIR/pids; scripts/engines-down.sh stops exactly those.
#
# Settings (environment):
#   LUTE_ENGINES_DIR      state, spool, logs and PIDs             (default /var/tmp/lute-engines)
#   LUTE_SLURM_CONF       the configuration file it writes         (default /etc/slurm/slurm.conf)
#   LUTE_ENGINES_TIMEOUT  seconds to wait for the node to be idle  (default 60)
# It never overwrites a slurm.conf it did not write (it looks for its own first line).
set -euo pipefail

dir=${LUTE_ENGINES_DIR:-/var/tmp/lute-engines}
conf=${LUTE_SLURM_CONF:-/etc/slurm/slurm.conf}
timeout_s=${LUTE_ENGINES_TIMEOUT:-60}
marker="# Single-node test cluster written by Lute.Plugins scripts/engines-up.sh"
node=localhost
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/engines-lib.sh
. "$here/engines-lib.sh"

[ "$(id -u)" = 0 ] || fail "run as root (it installs packages and starts system daemons)"

# 1. Packages. OpenMPI first: slurmd loads libpmix when it starts, and OpenMPI brings it.
install_missing openmpi-bin libopenmpi-dev gcc libc6-dev munge slurmctld slurmd slurm-client libpmix2

# 2. Directories and the munge key (Debian's package normally creates the key).
mkdir -p "$dir"/{state,spool,log} "$(dirname "$conf")" /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge
ensure_munge_key

# 3. The cluster configuration, from what slurmd detects on this machine.
read_hardware

desired=$(cat <<EOF
$marker
ClusterName=lute
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MailProg=/bin/true
# No systemd and no cgroup delegation here: track processes through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# No accounting daemon; finished jobs go to a text file that 'sacct -c' reads.
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
KillWait=5
MinJobAge=300
InactiveLimit=0
ReturnToService=2
JobRequeue=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus Boards=1 SocketsPerBoard=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
)
changed=0
if [ -f "$conf" ] && [ "$(head -n 1 "$conf")" != "$marker" ]; then
  fail "$conf exists and was not written by this script; move it away or set LUTE_SLURM_CONF"
fi
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$desired" ]; then
  printf '%s\n' "$desired" > "$conf"
  changed=1
  say "wrote $conf (CPUs=$cpus RealMemory=$memory)"
fi
if [ "$conf" != /etc/slurm/slurm.conf ]; then export SLURM_CONF=$conf; fi

# 4. Daemons: each in its own session, in the foreground of its own process, so $! is the daemon.
if [ "$changed" = 1 ] && [ -f "$dir/pids" ]; then
  say "configuration changed: restarting the daemons"
  "$here/engines-down.sh"
fi

start() { # start NAME COMMAND...
  local name=$1; shift
  local pid; pid=$(recorded "$name")
  if running "$name" "$pid"; then return 0; fi
  setsid "$@" >>"$dir/log/$name.out" 2>&1 </dev/null &
  pid=$!
  record "$name" "$pid"
  say "started $name (pid $pid)"
}

start munged setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground
wait_for "munge" 10 bash -c 'munge -n | unmunge >/dev/null 2>&1'
# -c: start without saved jobs, so an unclean stop never re-runs old batch jobs.
start slurmctld /usr/sbin/slurmctld -D -c
wait_for "slurmctld" 30 bash -c 'timeout 5 scontrol ping 2>/dev/null | grep -q "is UP"'
start slurmd /usr/sbin/slurmd -D -N "$node"

node_ready() {
  for name in munged slurmctld slurmd; do
    running "$name" "$(recorded "$name")" || { tail -n 20 "$dir/log/$name.out" >&2; fail "$name stopped during start-up"; }
  done
  local state; state=$(timeout 5 sinfo -h -n "$node" -o %T 2>/dev/null | head -n 1 || true)
  case $state in
    idle|mixed|allocated) return 0 ;;
    down*|drain*) timeout 5 scontrol update NodeName="$node" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  return 1
}
wait_for "node $node to be idle" "$timeout_s" node_ready
say "ready: $(sinfo -h -o '%P %D %T %c CPUs' | head -n 1); mpirun $(mpirun --version | head -n 1 | awk '{print $NF}')"
