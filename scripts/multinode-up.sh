#!/usr/bin/env bash
# Starts a SLURM cluster of three nodes on this one machine, for the tests of tasks that span nodes:
#   - a bridge (lutebr0, 10.77.0.1/24) and one network namespace per node (node1..node3, 10.77.0.11..13), joined to
#     the bridge by a veth pair; each node's slurmd also gets its own hostname (UTS namespace) and its own /etc/hosts
#     (mount namespace), so ranks on different nodes have different host names and addresses;
#   - in the root namespace: a munged of its own (socket /run/munge-multi) and slurmctld, reachable at the bridge
#     address; the configuration is /etc/slurm-multi/slurm.conf, which clients select with SLURM_CONF.
# It does not touch the single-node cluster of scripts/engines-up.sh (its configuration, munge socket and ports
# differ), so both run side by side. Runs as root. Idempotent: what exists and runs is left alone. Every object it
# creates (namespace, link, rule, folder) is listed in $LUTE_MULTINODE_DIR/created and every daemon it starts in
# $LUTE_MULTINODE_DIR/pids; scripts/multinode-down.sh removes exactly those.
#
# Settings (environment):
#   LUTE_MULTINODE_DIR      state, spool, logs, PIDs       (default /var/tmp/lute-multinode)
#   LUTE_MULTINODE_TIMEOUT  seconds to wait for the nodes  (default 60)
# Clients: `. /var/tmp/lute-multinode/env` (sets SLURM_CONF and OpenMPI's TCP interface for the bridge).
set -euo pipefail

dir=${LUTE_MULTINODE_DIR:-/var/tmp/lute-multinode}
timeout_s=${LUTE_MULTINODE_TIMEOUT:-60}
conf_dir=/etc/slurm-multi
conf=$conf_dir/slurm.conf
marker="# Three-node test cluster written by Lute.Plugins scripts/multinode-up.sh"
bridge=lutebr0
subnet=10.77.0
controller_address=$subnet.1
munge_dir=/run/munge-multi
munge_socket=$munge_dir/munge.socket.2
nodes=(node1 node2 node3)
say_as=multinode
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/engines-lib.sh
. "$here/engines-lib.sh"
export SLURM_CONF=$conf

[ "$(id -u)" = 0 ] || fail "run as root (it creates network namespaces and starts system daemons)"
cd / # the daemons must not hold the caller's folder (nor make it look like a task's working directory)
address_of() { printf '%s.1%s\n' "$subnet" "${1#node}"; } # node2 -> 10.77.0.12

# created KIND NAME...: notes that this script made the object, so that multinode-down.sh removes it (once).
created() {
  touch "$dir/created"
  grep -qxF "$*" "$dir/created" || printf '%s\n' "$*" >> "$dir/created"
}

# 1. Packages: the same as the single-node cluster, and the tools for namespaces.
install_missing munge slurmctld slurmd slurm-client libpmix2 iproute2 util-linux
mkdir -p "$dir"/{state,log,spool,tmp} "$conf_dir"

# 2. Network: the bridge, then per node a namespace with one end of a veth pair (eth0 inside) on the bridge.
if ! ip link show "$bridge" >/dev/null 2>&1; then
  if ip -4 -o addr show | awk '{print $4}' | grep -q "^$subnet\."; then
    fail "$subnet.0/24 is already used on this machine: $(ip -4 -o addr show | grep " $subnet\." | awk '{print $2}' | head -n 1)"
  fi
  ip link add "$bridge" type bridge
  created link "$bridge"
  say "created bridge $bridge"
fi
ip addr replace "$controller_address/24" dev "$bridge"
ip link set "$bridge" up

# With br_netfilter loaded, frames between two ports of a bridge pass iptables' FORWARD chain; a DROP policy there
# (Docker sets one) would cut the nodes off from each other. Accept our bridge's own traffic, and only that.
if [ "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || echo 0)" = 1 ] && command -v iptables >/dev/null \
   && [ "$(iptables -S FORWARD 2>/dev/null | head -n 1)" != "-P FORWARD ACCEPT" ] \
   && ! iptables -C FORWARD -i "$bridge" -o "$bridge" -j ACCEPT 2>/dev/null; then
  iptables -I FORWARD -i "$bridge" -o "$bridge" -j ACCEPT
  created iptables FORWARD -i "$bridge" -o "$bridge" -j ACCEPT
  say "accepting forwarded frames within $bridge (iptables FORWARD)"
fi

for node in "${nodes[@]}"; do
  if [ ! -e "/run/netns/$node" ]; then
    ip netns add "$node"
    created netns "$node"
  fi
  if ! ip link show "veth-$node" >/dev/null 2>&1; then
    ip -n "$node" link del eth0 2>/dev/null || true
    ip link add "veth-$node" type veth peer name eth0 netns "$node"
    created link "veth-$node"
  fi
  ip link set "veth-$node" master "$bridge" up
  ip -n "$node" addr replace "$(address_of "$node")/24" dev eth0
  ip -n "$node" link set eth0 up
  ip -n "$node" link set lo up
  # The node's /etc/hosts, mounted over /etc/hosts in the node's mount namespace: it knows every node by name.
  mkdir -p "$dir/hosts"
  { printf '127.0.0.1 localhost\n'
    for other in "${nodes[@]}"; do printf '%s %s\n' "$(address_of "$other")" "$other"; done
  } > "$dir/hosts/$node"
done

# 3. A munged of its own, with the machine's key (the single-node cluster's munged keeps /run/munge).
mkdir -p "$munge_dir" && chown munge:munge "$munge_dir" && chmod 0755 "$munge_dir"
ensure_munge_key

# 4. The configuration. Every node declares this machine's CPUs and a third of its memory. The daemons share one
# file system: %n (the node's name) keeps their spool, PID, log and TmpFS apart. SlurmctldHost must be this
# machine's host name; its address is the bridge's, the one the nodes reach.
read_hardware
memory=$((memory / ${#nodes[@]}))
desired=$(cat <<EOF
$marker
ClusterName=lutemulti
SlurmctldHost=$(hostname -s)($controller_address)
SlurmctldPort=6917
SlurmdPort=6918
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.%n.log
# The pmix plugin makes a folder for each step under TmpFS on each node.
TmpFS=$dir/tmp/%n
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
# Schedule a batch job at once, not up to 3 s after the last scheduling pass.
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
KillWait=5
MinJobAge=300
InactiveLimit=0
ReturnToService=2
JobRequeue=0
NodeName=node[1-${#nodes[@]}] NodeAddr=$subnet.[11-1${#nodes[@]}] CPUs=$cpus Boards=1 SocketsPerBoard=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads RealMemory=$memory State=UNKNOWN
PartitionName=multi Nodes=node[1-${#nodes[@]}] Default=YES MaxTime=INFINITE State=UP
EOF
)
if [ -f "$conf" ] && [ "$(head -n 1 "$conf")" != "$marker" ]; then
  fail "$conf exists and was not written by this script; move it away"
fi
changed=0
if [ ! -f "$conf" ] || [ "$(cat "$conf")" != "$desired" ]; then
  printf '%s\n' "$desired" > "$conf"
  changed=1
  say "wrote $conf (${#nodes[@]} nodes, CPUs=$cpus RealMemory=$memory each)"
fi
for node in "${nodes[@]}"; do mkdir -p "$dir/spool/$node" "$dir/tmp/$node"; done
cat > "$dir/env" <<EOF
export SLURM_CONF=$conf
# OpenMPI ranks on different nodes talk over TCP on the bridge's subnet.
export OMPI_MCA_btl_tcp_if_include=$subnet.0/24
export OMPI_MCA_oob_tcp_if_include=$subnet.0/24
EOF

# 5. Daemons, each in its own session and in the foreground, so $! is the daemon.
if [ "$changed" = 1 ] && [ -f "$dir/pids" ]; then
  say "configuration changed: restarting the daemons"
  "$here/multinode-down.sh" --daemons-only
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

start munged setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged --foreground \
  --socket="$munge_socket" --pid-file="$munge_dir/munged.pid" --seed-file="$munge_dir/munged.seed" \
  --log-file="$dir/log/munged.log"
wait_for "munge" 10 bash -c "munge -S '$munge_socket' -n 2>/dev/null | unmunge -S '$munge_socket' >/dev/null 2>&1"
start slurmctld /usr/sbin/slurmctld -D -c
wait_for "slurmctld" 30 bash -c 'timeout 5 scontrol ping 2>/dev/null | grep -q "is UP"'

# slurmd joins its node's network namespace with nsenter (`ip netns exec` remounts /sys, which hides the cgroup
# file system slurmd needs), then takes a hostname and /etc/hosts of its own in new UTS and mount namespaces.
for node in "${nodes[@]}"; do
  start "slurmd@$node" nsenter --net="/run/netns/$node" unshare --uts --mount --propagation slave \
    /bin/sh -c 'hostname "$1" && mount --bind "$2" /etc/hosts && shift 2 && exec "$@"' sh "$node" "$dir/hosts/$node" \
    /usr/sbin/slurmd -D -N "$node"
done

nodes_ready() {
  local name
  for name in munged slurmctld "${nodes[@]/#/slurmd@}"; do
    running "$name" "$(recorded "$name")" || { tail -n 20 "$dir/log/$name.out" >&2; fail "$name stopped during start-up"; }
  done
  local states; states=$(timeout 5 sinfo -h -N -o '%N %T' 2>/dev/null || true)
  local ready; ready=$(awk '$2 == "idle" || $2 == "mixed" || $2 == "allocated" { print $1 }' <<<"$states" | sort -u | wc -l)
  [ "$ready" = "${#nodes[@]}" ] && return 0
  for name in $(awk '$2 ~ /^(down|drain)/ { print $1 }' <<<"$states"); do
    timeout 5 scontrol update NodeName="$name" State=RESUME >/dev/null 2>&1 || true
  done
  return 1
}
wait_for "${#nodes[@]} idle nodes" "$timeout_s" nodes_ready
say "ready: $(sinfo -h -o '%P %D nodes %T %c CPUs each' | head -n 1) (SLURM_CONF=$conf; . $dir/env)"
