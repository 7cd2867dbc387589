# Shared by engines-up.sh and engines-down.sh (sourced, not run). Expects $dir.
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
