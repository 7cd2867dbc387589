#!/usr/bin/env bash
# Stops the PostgreSQL cluster scripts/postgres-up.sh started: exactly the postmaster it recorded in
# $LUTE_POSTGRES_DIR/pids, and only while that PID is still postgres and still the postmaster of the recorded data
# directory (PIDs get reused). A fast shutdown (open sessions are ended), bounded; an immediate one if that did not
# finish. Idempotent. `--purge` also deletes the state directory (the data, passwords and logs).
set -uo pipefail

dir=${LUTE_POSTGRES_DIR:-/var/tmp/lute-postgres}
timeout_s=${LUTE_POSTGRES_TIMEOUT:-60}
bin=/usr/lib/postgresql/15/bin
data=$dir/data
say_as=postgres
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/engines-lib.sh
. "$here/engines-lib.sh"

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

if [ ! -f "$dir/pids" ]; then
  say "nothing recorded in $dir/pids: nothing to stop"
else
  pid=$(recorded postgres)
  if [ -z "$pid" ] || ! running postgres "$pid"; then
    say "the recorded postmaster (${pid:-none}) no longer runs: nothing to stop"
  elif [ "$(head -n 1 "$data/postmaster.pid" 2>/dev/null)" != "$pid" ]; then
    say "pid $pid is a postgres, but not the postmaster of $data: left alone"
  else
    as_postgres "$bin/pg_ctl" -D "$data" -m fast -w -t "$timeout_s" stop >/dev/null 2>&1 || {
      say "postgres ($pid) did not stop within ${timeout_s}s (fast): immediate shutdown"
      as_postgres "$bin/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
    }
    gone() { ! running postgres "$pid"; }
    ( wait_for "postgres ($pid) to exit" 10 gone ) || fail "postgres ($pid) still runs; see $dir/postgres.log"
    say "stopped postgres (pid $pid)"
  fi
  rm -f "$dir/pids"
fi

if [ "${1:-}" = --purge ]; then
  rm -rf "$dir"
  say "removed $dir"
fi
