#!/usr/bin/env bash
# Stops the three-node cluster of scripts/multinode-up.sh and removes what it created: the daemons it recorded in
# $LUTE_MULTINODE_DIR/pids (each only while its PID is still that program), then the namespaces, links, rules and
# files listed in $LUTE_MULTINODE_DIR/created, newest first. Jobs still queued are cancelled first, so that each
# node's slurmstepd ends its tasks. Idempotent.
#   --daemons-only  stop the daemons, keep the network (multinode-up.sh uses it when the configuration changed)
#   --purge         also delete the state folder and /etc/slurm-multi
set -uo pipefail

dir=${LUTE_MULTINODE_DIR:-/var/tmp/lute-multinode}
conf_dir=/etc/slurm-multi
say_as=multinode
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/engines-lib.sh
. "$here/engines-lib.sh"
export SLURM_CONF=$conf_dir/slurm.conf
daemons_only=0 purge=0
for argument in "$@"; do
  case $argument in
    --daemons-only) daemons_only=1 ;;
    --purge) purge=1 ;;
    *) echo "usage: $0 [--daemons-only] [--purge]" >&2; exit 2 ;;
  esac
done

if [ -f "$dir/pids" ]; then
  cancel_jobs
  for name in $(awk '$1 ~ /^slurmd@/ { print $1 }' "$dir/pids") slurmctld munged; do
    stop "$name"
  done
  rm -f "$dir/pids"
else
  say "nothing recorded in $dir/pids: no daemon to stop"
fi

if [ "$daemons_only" = 0 ] && [ -f "$dir/created" ]; then
  # A process still in a node's namespace (one that left its step) would keep the namespace alive: end it, by PID.
  for ns in $(awk '$1 == "netns" { print $2 }' "$dir/created"); do
    [ -e "/run/netns/$ns" ] || continue
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      say "process $pid ($(cat "/proc/$pid/comm" 2>/dev/null)) is still in $ns: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    done
  done
  tac "$dir/created" | while read -r kind name rest; do
    case $kind in
      link) ip link del "$name" 2>/dev/null && say "deleted link $name" ;;
      netns) ip netns del "$name" 2>/dev/null && say "deleted namespace $name" ;;
      # shellcheck disable=SC2086
      iptables) iptables -D $name $rest 2>/dev/null && say "deleted iptables rule $name $rest" ;;
    esac
  done
  rm -f "$dir/created"
  rm -rf /run/munge-multi "$dir/hosts"
fi

if [ "$purge" = 1 ]; then
  rm -rf "$dir" "$conf_dir"
  say "removed $dir and $conf_dir"
fi
exit 0
