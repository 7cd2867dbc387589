#!/usr/bin/env bash
# Stops the daemons scripts/engines-up.sh started: exactly the PIDs it recorded in $LUTE_ENGINES_DIR/pids, and only
# while each PID is still the program it was (PIDs get reused). Jobs still in the queue are cancelled first, so no
# task process outlives the cluster. Idempotent. `--purge` also deletes the state directory.
set -uo pipefail

dir=${LUTE_ENGINES_DIR:-/var/tmp/lute-engines}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/engines-lib.sh
. "$here/engines-lib.sh"
conf=${LUTE_SLURM_CONF:-/etc/slurm/slurm.conf}
if [ "$conf" != /etc/slurm/slurm.conf ]; then export SLURM_CONF=$conf; fi

if [ ! -f "$dir/pids" ]; then
  say "nothing recorded in $dir/pids: nothing to stop"
else
  cancel_jobs
  for name in slurmd slurmctld munged; do
    stop "$name"
  done
  rm -f "$dir/pids"
fi

if [ "${1:-}" = --purge ]; then
  rm -rf "$dir"
  say "removed $dir"
fi
