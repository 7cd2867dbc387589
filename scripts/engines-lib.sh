# Shared by engines-up.sh, engines-down.sh, multinode-up.sh and multinode-down.sh (sourced, not run). Expects $dir.
say() { printf '[%s %(%H:%M:%S)T] %s\n' "${say_as:-engines}" -1 "$*"; }
fail() { say "error: $*" >&2; exit 1; }

# recorded NAME: the PID recorded for NAME in $dir/pids, or nothing.
recorded() {
  [ -f "$dir/pids" ] || return 0
  awk -v n="$1" '$1 == n { pid = $2 } END { if (pid) print pid }' "$dir/pids"
}

# record NAME PID: replaces NAME's line in $dir/pids.
record() {
  { [ -f "$dir/pids" ] && awk -v n="$1" '$1 != n' "$dir/pids"; printf '%s %s\n' "$1" "$2"; } > "$dir/pids.new"
  mv "$dir/pids.new" "$dir/pids"
}

# running NAME PID: true when PID is alive (not a zombie) and is still the program NAME (PIDs get reused). A name
# PROGRAM@WHERE (slurmd@node1: one of several daemons of one program) is checked against PROGRAM.
running() {
  local pid=${2:-}
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  local state; state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d ' ' -f 1)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "${1%@*}" ]
}

# wait_for WHAT SECONDS COMMAND...: runs COMMAND until it succeeds, at most SECONDS seconds.
# Daemons give no readiness notification here, so this is the one place that checks repeatedly.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    [ $SECONDS -lt $deadline ] || fail "gave up waiting for $what after ${seconds}s"
    sleep 0.2
  done
}

# install_missing PACKAGE...: installs, from Debian, the packages that are not installed yet.
install_missing() {
  local p missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_munge_key: the machine's munge key, created when Debian's package did not, owned and readable by munge only.
ensure_munge_key() {
  if [ ! -s /etc/munge/munge.key ]; then
    mkdir -p /etc/munge
    head -c 1024 /dev/urandom > /etc/munge/munge.key
  fi
  chown munge:munge /etc/munge /etc/munge/munge.key
  chmod 0700 /etc/munge
  chmod 0400 /etc/munge/munge.key
}

# read_hardware: sets cpus, sockets, cores, threads and memory (MB) from what slurmd detects on this machine, memory
# less a margin for the system (declaring more memory than slurmd finds drains the node).
read_hardware() {
  local hardware; hardware=$(slurmd -C | head -n 1)
  field() { sed -n "s/.*[[:space:]]$1=\([0-9]*\).*/\1/p" <<<"$hardware"; }
  cpus=$(field CPUs); sockets=$(field SocketsPerBoard); cores=$(field CoresPerSocket)
  threads=$(field ThreadsPerCore); memory=$(field RealMemory)
  if [ "$memory" -gt 2048 ]; then memory=$((memory - 1024)); fi
}

# cancel_jobs: cancels the jobs in the queue of the cluster of $SLURM_CONF (while its recorded slurmctld runs) and
# waits a while for the queue to empty, so that each node's slurmstepd ends its tasks.
cancel_jobs() {
  running slurmctld "$(recorded slurmctld)" || return 0
  local jobs; jobs=$(timeout 5 squeue -h -o %i 2>/dev/null || true)
  [ -n "$jobs" ] || return 0
  say "cancelling jobs $(echo $jobs)"
  # shellcheck disable=SC2086
  timeout 5 scancel $jobs >/dev/null 2>&1 || true
  drained() { [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ]; }
  ( wait_for "the queue to empty" 30 drained ) || say "jobs still listed; stopping the daemons anyway"
}

# stop NAME: SIGTERM to NAME's recorded PID while it is still that program, SIGKILL if it is there after 10 s.
stop() {
  local name=$1 pid; pid=$(recorded "$1")
  running "$name" "$pid" || return 0
  kill -TERM "$pid"
  gone() { ! running "$name" "$pid"; }
  if ! ( wait_for "$name to stop" 10 gone ); then
    say "$name ($pid) still runs after SIGTERM: SIGKILL"
    kill -KILL "$pid"
  fi
  say "stopped $name (pid $pid)"
}
