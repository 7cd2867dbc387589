#!/usr/bin/env bash
# Starts the private PostgreSQL 15 cluster the result store's PostgreSQL tests run against, on this machine: its own
# data directory, socket directory and port, never Debian's default cluster (15/main) and never systemd.
#   - initdb (UTF8; peer authentication over the Unix socket, scram-sha-256 over TCP) the first time;
#   - listens on 127.0.0.1, and on the bridge address of the three-node cluster (10.77.0.1 on lutebr0, from
#     scripts/multinode-up.sh) when that bridge exists, so runners on the namespace nodes reach it over TCP; nothing
#     else. Durability is switched off for speed (fsync, synchronous_commit, full_page_writes);
#   - roles lute_owner (LOGIN CREATEDB), lute_writer and lute_reader (LOGIN), each with a random password, and a
#     database lute owned by lute_owner.
# Runs as root; the server programs run as the postgres OS user. Idempotent: a cluster that runs (its recorded
# postmaster PID is alive, is postgres and answers pg_isready) is reused; roles and the database are created only
# when missing; passwords are kept once written. The postmaster's PID is recorded in $LUTE_POSTGRES_DIR/pids;
# scripts/postgres-down.sh stops exactly that one.
#
# Settings (environment):
#   LUTE_POSTGRES_DIR      state: data/, socket/, postgres.log, passwords, pgpass, env, pids
#                          (default /var/tmp/lute-postgres)
#   LUTE_POSTGRES_PORT     the TCP port on 127.0.0.1, and the Unix socket's number   (default 55432)
#   LUTE_POSTGRES_TIMEOUT  seconds to wait for the server to start                   (default 60)
#
# Files it writes in the state directory, for the tests:
#   env              export LUTE_POSTGRES_HOST=... LUTE_POSTGRES_PORT=... LUTE_POSTGRES_SOCKET=... LUTE_POSTGRES_DIR=...
#   <role>.password  each role's password, mode 0644
#   pgpass           a libpq password file (127.0.0.1:PORT:*:ROLE:PASSWORD, and the same for 10.77.0.1), mode 0600,
#                    owned by the user who ran
#                    sudo (or root)
set -euo pipefail

dir=${LUTE_POSTGRES_DIR:-/var/tmp/lute-postgres}
port=${LUTE_POSTGRES_PORT:-55432}
timeout_s=${LUTE_POSTGRES_TIMEOUT:-60}
bin=/usr/lib/postgresql/15/bin
data=$dir/data
socket=$dir/socket
log=$dir/postgres.log
roles=(lute_owner lute_writer lute_reader)
marker="# Written by Lute.Plugins scripts/postgres-up.sh"
say_as=postgres
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/engines-lib.sh
. "$here/engines-lib.sh"

[ "$(id -u)" = 0 ] || fail "run as root (it runs the server as the postgres user)"
for program in initdb pg_ctl pg_isready psql; do
  [ -x "$bin/$program" ] || fail "$bin/$program is missing: run scripts/install-test-deps.sh (package postgresql-15)"
done
id -u postgres >/dev/null 2>&1 || fail "there is no postgres user: run scripts/install-test-deps.sh (package postgresql-15)"
case $port in ''|*[!0-9]*) fail "LUTE_POSTGRES_PORT must be a port number, not '$port'" ;; esac

# as_postgres COMMAND...: runs COMMAND as the postgres user, from a directory it can read.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }
# answers: the server accepts connections on its socket.
answers() { as_postgres "$bin/pg_isready" -q -h "$socket" -p "$port" -U postgres -d postgres -t 5; }
# postmaster_pid: the PID in the data directory's postmaster.pid, or nothing.
postmaster_pid() { [ -r "$data/postmaster.pid" ] && head -n 1 "$data/postmaster.pid" || true; }

# 1. The state directory. data/ and socket/ belong to postgres (initdb wants data/ at mode 0700); the rest to root.
mkdir -p "$dir" "$data" "$socket"
chmod 0755 "$dir"
chown postgres:postgres "$data" "$socket" && chmod 0700 "$data" && chmod 0755 "$socket"
touch "$log" && chown postgres:postgres "$log" && chmod 0644 "$log"

# 2. The cluster, the first time.
if [ ! -s "$data/PG_VERSION" ]; then
  say "initdb $data"
  started_at=$SECONDS
  as_postgres "$bin/initdb" -D "$data" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >>"$log" 2>&1 \
    || { tail -n 20 "$log" >&2; fail "initdb failed (log: $log)"; }
  say "initdb done in $((SECONDS - started_at))s"
fi
[ "$(cat "$data/PG_VERSION")" = 15 ] || fail "$data holds a PostgreSQL $(cat "$data/PG_VERSION") cluster, not 15: run scripts/postgres-down.sh --purge"

# 3. Its configuration: a file of its own, included from postgresql.conf (included once; rewritten when it changes).
# The three-node cluster's bridge, when it is up (test.sh starts it first): its runners write to this server.
bridge_address=10.77.0.1
listen=127.0.0.1
if ip -4 -o addr show dev lutebr0 2>/dev/null | grep -q " $bridge_address/"; then
  listen="127.0.0.1,$bridge_address"
fi
desired=$(cat <<EOF
$marker
listen_addresses = '$listen'
port = $port
unix_socket_directories = '$socket'
# Up to fifty concurrent runners each hold connections.
max_connections = 200
# A throw-away test cluster: durability off, for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
password_encryption = 'scram-sha-256'
logging_collector = off
log_destination = 'stderr'
EOF
)
grep -q "^include_if_exists = 'lute.conf'" "$data/postgresql.conf" \
  || printf "\n%s\ninclude_if_exists = 'lute.conf'\n" "$marker" >> "$data/postgresql.conf"
changed=0
# Password logins from the bridge's subnet (only the namespace nodes are on it), after initdb's 127.0.0.1 lines.
hba_line="host    all             all             ${bridge_address%.*}.0/24           scram-sha-256"
if ! grep -qxF "$hba_line" "$data/pg_hba.conf"; then
  printf '%s\n%s\n' "$marker" "$hba_line" >> "$data/pg_hba.conf"
  changed=1
fi
if [ ! -f "$data/lute.conf" ] || [ "$(cat "$data/lute.conf")" != "$desired" ]; then
  printf '%s\n' "$desired" > "$data/lute.conf"
  chown postgres:postgres "$data/lute.conf"
  changed=1
fi

# 4. The server: reused when it runs, restarted when its configuration changed, started otherwise.
pid=$(recorded postgres)
if [ -z "$pid" ] || ! running postgres "$pid"; then
  # Not recorded (the pids file was lost) but running from this data directory: that one is ours.
  other=$(postmaster_pid)
  if [ -n "$other" ] && running postgres "$other" && as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    record postgres "$other"
    pid=$other
    say "found the postmaster of $data running (pid $pid), not recorded: recorded it"
  fi
fi
if [ -n "$pid" ] && running postgres "$pid" && [ "$changed" = 1 ]; then
  say "configuration changed: restarting"
  "$here/postgres-down.sh"
fi
pid=$(recorded postgres)
if [ -n "$pid" ] && running postgres "$pid" && answers; then
  say "already running (pid $pid) on 127.0.0.1:$port: reusing it"
else
  if [ -n "$pid" ] && running postgres "$pid"; then
    # Alive but not answering (still starting, or shutting down): give it the same bounded time as a start.
    wait_for "the running server (pid $pid) to answer" "$timeout_s" answers
    say "already running (pid $pid) on 127.0.0.1:$port: reusing it"
  else
    say "starting PostgreSQL 15 on 127.0.0.1:$port"
    started_at=$SECONDS
    as_postgres "$bin/pg_ctl" -D "$data" -l "$log" -w -t "$timeout_s" start >/dev/null \
      || { tail -n 20 "$log" >&2; fail "pg_ctl start failed (log: $log)"; }
    pid=$(postmaster_pid)
    running postgres "$pid" || { tail -n 20 "$log" >&2; fail "the postmaster is not running after pg_ctl start (log: $log)"; }
    record postgres "$pid"
    wait_for "the server to answer on $socket" "$timeout_s" answers
    say "started postgres (pid $pid) in $((SECONDS - started_at))s"
  fi
fi

# 5. Roles, passwords and the database. Passwords are kept once written, so a reused cluster keeps its own.
# The password files are world-readable (0644) on purpose: this is a throw-away test cluster on 127.0.0.1 whose
# passwords the tests, running as any user, must read. Never reuse this layout for a real server.
sql="SET client_min_messages = warning;"
for role in "${roles[@]}"; do
  file=$dir/$role.password
  [ -s "$file" ] || { od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$file.new" && mv "$file.new" "$file"; }
  chmod 0644 "$file"
  password=$(cat "$file")
  case $password in *[!0-9a-f]*) fail "$file does not hold a hexadecimal password; delete it and run again" ;; esac
  sql+="
SELECT 'CREATE ROLE $role' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') \\gexec
ALTER ROLE $role LOGIN PASSWORD '$password';"
done
sql+="
ALTER ROLE lute_owner CREATEDB;
ALTER ROLE lute_writer NOCREATEDB;
ALTER ROLE lute_reader NOCREATEDB;
-- lute_owner drops its test databases WITH (FORCE), which ends the other roles' sessions: it may signal them.
GRANT pg_signal_backend TO lute_owner;
SELECT 'CREATE DATABASE lute OWNER lute_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'lute') \\gexec
ALTER DATABASE lute OWNER TO lute_owner;"
printf '%s\n' "$sql" | as_postgres "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket" -p "$port" -U postgres -d postgres \
  >/dev/null || fail "could not create the roles and the database lute"

# 6. The libpq password file and the environment file.
owner=${SUDO_UID:-0}
{ for role in "${roles[@]}"; do
    for address in 127.0.0.1 "$bridge_address"; do printf '%s:%s:*:%s:%s\n' "$address" "$port" "$role" "$(cat "$dir/$role.password")"; done
  done; } > "$dir/pgpass.new"
chmod 0600 "$dir/pgpass.new" && chown "$owner" "$dir/pgpass.new" && mv "$dir/pgpass.new" "$dir/pgpass"
printf 'export LUTE_POSTGRES_HOST=127.0.0.1 LUTE_POSTGRES_PORT=%s LUTE_POSTGRES_SOCKET=%s LUTE_POSTGRES_DIR=%s\n' \
  "$port" "$socket" "$dir" > "$dir/env.new"
chmod 0644 "$dir/env.new" && mv "$dir/env.new" "$dir/env"

version=$(as_postgres "$bin/psql" -X -At -h "$socket" -p "$port" -U postgres -d lute -c 'SHOW server_version')
say "ready: PostgreSQL $version on $listen port $port (pid $(recorded postgres)), socket $socket, roles ${roles[*]}, database lute; env: $dir/env"
