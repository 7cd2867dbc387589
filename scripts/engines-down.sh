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
  if running slurmctld "$(recorded slurmctld)"; then
    jobs=$(timeout 5 squeue -h -o %i 2>/dev/null || true)
    if [ -n "$jobs" ]; then
      say "cancelling jobs $(echo $jobs)"
      # shellcheck disable=SC2086
      timeout 5 scancel $jobs >/dev/null 2>&1 || true
      drained() { [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ]; }
      ( wait_for "the queue to empty" 30 drained ) || say "jobs still listed; stopping the daemons anyway"
    fi
  fi
  for name in slurmd slurmctld munged; do
    pid=$(recorded "$name")
    if running "$name" "$pid"; then
      kill -TERM "$pid"
      gone() { ! running "$name" "$pid"; }
      if ! ( wait_for "$name to stop" 10 gone ); then
        say "$name ($pid) still runs after SIGTERM: SIGKILL"
        kill -KILL "$pid"
      fi
      say "stopped $name (pid $pid)"
    fi
  done
  rm -f "$dir/pids"
fi

if [ "${1:-}" = --purge ]; then
  rm -rf "$dir"
  say "removed $dir"
fi
