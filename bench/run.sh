#!/usr/bin/env bash
# Runs every benchmark of bench/README.md in one go and writes the figures as a markdown table to
# bench/results/DATE.md and to standard output:
#   micro-benchmarks (BenchmarkDotNet, bench/Lute.Benchmarks), then whole processes, each beside its floor:
#   1. `lute run` of a no-op task against /bin/true (hyperfine), with a breakdown of where the time goes (strace,
#      the host's LUTE_TRACE_TIMING steps, the methods the JIT compiles)
#   2. structured messages per second through the runner with one hook, for the C#, Python and shell clients,
#      against a raw Unix-socket writer and reader pair
#   3. standard output lines per second into the run's log file (console off and on), against cat to a file
#   4. latency from a task's message to the hook (p50, p99, max over 10,000 messages)
#   5. peak RSS of `lute run`: as shipped, and with every hook pack bound (every plugin a run can load)
#   6. 50 concurrent `lute run` against one SQLite store
# Installs hyperfine, time and strace from Debian when missing (as root, or through sudo), and builds what it needs.
# Options (environment): BENCH_QUICK=1 smaller counts (a quick check of the harness, not figures to quote);
# BENCH_SKIP_BUILD=1 use what is built; BENCH_SKIP_MICRO=1 leave out the micro-benchmarks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
started=$(date +%s)
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
quick=${BENCH_QUICK:-0}

if [ "$quick" = 1 ]; then
  noop_runs=10 messages=20000 lines=100000 latency_messages=1000 concurrent=10 repeats=1
else
  noop_runs=30 messages=200000 lines=1000000 latency_messages=10000 concurrent=50 repeats=3
fi

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------------------------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v strace >/dev/null || missing+=(strace)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  log "installing ${missing[*]} from Debian"
  install() {
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
      --no-install-recommends "${missing[@]}" >/dev/null
  }
  install || { "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq && install; }
fi

# --- build -------------------------------------------------------------------------------------------------------
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building (./build.sh, bench/Lute.BenchTask, bench/Lute.Benchmarks)"
  ./build.sh >/dev/null
  dotnet build bench/Lute.BenchTask -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
  [ "${BENCH_SKIP_MICRO:-0}" = 1 ] || dotnet build bench/Lute.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
fi
lute=$repo/out/lute/lute
task=$repo/out/bench/Lute.BenchTask/Lute.BenchTask
tools=$repo/bench/tools/bench.py
for f in "$lute" "$task"; do
  [ -x "$f" ] || { echo "bench/run.sh: $f is not built" >&2; exit 1; }
done

# --- workspace and clean-up -----------------------------------------------------------------------------------------
work=$(mktemp -d /tmp/lute-bench-XXXXXX)
results=$work/results
mkdir -p "$results" "$work/plugins"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Shipped plugins as a user gets them (out/plugins), plus the counting hook for the message and latency runs.
for plugin in "$repo"/out/plugins/*/; do
  ln -s "${plugin%/}" "$work/plugins/"
done
ln -s "$repo/out/test-plugins/Lute.TestPlugins.Hooks" "$work/plugins/"

# config NAME [console_task_output] [extra YAML]: writes $work/NAME/plugins.yaml with its own store and logs.
config() {
  mkdir -p "$work/$1"
  cat > "$work/$1/plugins.yaml" <<EOF
directory: ${4:-$work/plugins}
store: store/lute.db
logs: logs
console_task_output: ${2:-false}
${3:-}
EOF
  echo "$work/$1/plugins.yaml"
}

# task NAME FILE COMMAND...: writes a task file with one task running COMMAND (YAML flow list of quoted items).
task_file() {
  local name=$1 file=$2 items="" arg
  shift 2
  for arg in "$@"; do
    items+="${items:+, }$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$arg")"
  done
  printf 'tasks:\n  %s:\n    command: [%s]\n' "$name" "$items" > "$file"
}

# bounded_wait PID SECONDS: waits for a process this script started; kills it and fails when it takes longer.
bounded_wait() {
  local i
  for i in $(seq $(($2 * 20))); do
    kill -0 "$1" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$1" 2>/dev/null; then
    kill "$1" 2>/dev/null || true
    echo "bench/run.sh: process $1 did not end within $2 s" >&2
    return 1
  fi
  wait "$1"
}

# wait_for_socket PATH: bounded wait for a listener's socket file.
wait_for_socket() {
  local i
  for i in $(seq 100); do
    [ -S "$1" ] && return 0
    sleep 0.05
  done
  echo "bench/run.sh: no listener at $1" >&2
  return 1
}

python3 "$tools" machine > "$results/machine.json"
log "work folder $work"

# --- micro-benchmarks ---------------------------------------------------------------------------------------------
if [ "${BENCH_SKIP_MICRO:-0}" != 1 ]; then
  log "micro-benchmarks (BenchmarkDotNet, in process, short runs)"
  timeout 900 "$repo/out/bench/Lute.Benchmarks/Lute.Benchmarks" --filter '*' --artifacts "$work/bdn" > "$work/bdn.txt" 2>&1 ||
    { tail -40 "$work/bdn.txt" >&2; exit 1; }
  for report in "$work"/bdn/results/*-report-github.md; do
    name=${report##*/Lute.Benchmarks.}
    printf '### %s\n\n' "${name%-report-github.md}"
    cat "$report"
  done > "$results/micro.md"
fi

# --- 1. no-op task ------------------------------------------------------------------------------------------------
log "1. no-op task: lute run against /bin/true ($noop_runs runs each)"
noop_cfg=$(config noop false "" "$repo/out/plugins")
task_file Noop "$work/noop/noop.yaml" /bin/true
( cd "$work/noop" && timeout 120 "$lute" run -c "$noop_cfg" noop.yaml >/dev/null 2>&1 )  # creates the store
( cd "$work/noop" && timeout 600 hyperfine -N --style none --warmup 3 --runs "$noop_runs" --export-json "$results/noop.json" \
    -n "lute run (no-op)" "$lute run -c $noop_cfg noop.yaml" \
    -n "/bin/true" "/bin/true" \
    -n "lute --version" "$lute --version" \
    -n "lute plugins" "$lute plugins -c $noop_cfg" \
    -n "lute history" "$lute history -c $noop_cfg --limit 1" >/dev/null )

log "1b. where the time goes: strace timelines of 7 no-op runs"
for i in $(seq 7); do
  ( cd "$work/noop" && timeout 120 strace -f --seccomp-bpf -ttt -e trace=execve,openat,exit_group,kill,fsync,unlink,wait4,bind -o "$work/noop/trace.$i" \
      "$lute" run -c "$noop_cfg" noop.yaml >/dev/null 2>&1 )
done
python3 "$tools" timeline "$work"/noop/trace.* > "$results/timeline.json"
# The host's own step timings, where it has them (LUTE_TRACE_TIMING=1 prints "[timing] T ms (+D) step").
for i in $(seq 7); do
  ( cd "$work/noop" && LUTE_TRACE_TIMING=1 timeout 120 "$lute" run -c "$noop_cfg" noop.yaml 2>&1 >/dev/null | grep '^\[timing\]' || true )
  echo "--"
done > "$results/trace-timing.txt"
# Every method the JIT compiles in one no-op run (the runtime's own summary; framework code is precompiled).
( cd "$work/noop" && DOTNET_JitDisasmSummary=1 DOTNET_JitStdOutFile="$work/noop/jit.txt" \
    timeout 120 "$lute" run -c "$noop_cfg" noop.yaml >/dev/null 2>&1 )
python3 "$tools" jit "$work/noop/jit.txt" > "$results/jit.json"
for i in $(seq 5); do
  ( cd "$work/noop" && /usr/bin/time -f '%e %U %S %M' -o "$work/noop/cpu.$i" timeout 120 "$lute" run -c "$noop_cfg" noop.yaml >/dev/null 2>&1 )
done
cat "$work"/noop/cpu.* > "$results/noop-cpu.txt"

# --- 2. messages per second ---------------------------------------------------------------------------------------
log "2. messages: $messages per sender, $repeats repeats"
msg_cfg=$(config messages false "hooks:
  - { use: test.count, on: [log, run_end], settings: { path: $work/messages/count.json } }")
cd "$work/messages"
python3 -c 'import sys
for i in range(int(sys.argv[1])): print(f"TASK_LOG \"message {i}\"")' "$messages" > emit-lines.txt
# Each task runs under /usr/bin/time, and so does lute: the runner's CPU time is the difference.
timed=(/usr/bin/time -f '%e %U %S' -o "$work/messages/task-cpu.txt")
task_file Csharp csharp.yaml "${timed[@]}" "$task" flood "$messages"
task_file Python python.yaml "${timed[@]}" env "PYTHONPATH=$repo/src/clients/python" python3 "$repo/bench/tasks/py_sender.py" flood "$messages"
task_file Emit emit.yaml "${timed[@]}" bash -c 'exec "$0" emit - < "$1"' "$lute" "$work/messages/emit-lines.txt"
for r in $(seq "$repeats"); do
  for sender in csharp python emit; do
    rm -f count.json task-cpu.txt
    /usr/bin/time -f '%e %U %S' -o "$results/cpu-lute-$sender-$r.txt" timeout 300 "$lute" run -c "$msg_cfg" "$sender.yaml" \
      > "run-$sender-$r.txt" 2>&1 || { cat "run-$sender-$r.txt" >&2; exit 1; }
    cp count.json "$results/messages-$sender-$r.json"
    cp task-cpu.txt "$results/cpu-task-$sender-$r.txt"
  done
  # The floors: the same lines over a plain Unix socket to a reader that only counts line breaks; and each client
  # alone into that reader (no runner), which tells the client's cost from the runner's.
  for writer in raw-csharp raw-python client-csharp client-python client-emit; do
    socket=$work/messages/raw.sock
    rm -f "$socket" raw.json
    "$task" raw-read "$socket" raw.json &
    reader=$!
    pids+=("$reader")
    wait_for_socket "$socket"
    case $writer in
      raw-csharp) timeout 120 "$task" raw-write "$socket" "$messages" ;;
      raw-python) timeout 120 python3 "$repo/bench/tasks/py_sender.py" raw-write "$socket" "$messages" ;;
      client-csharp) LUTE_SOCKET=$socket timeout 120 "$task" flood "$messages" ;;
      client-python) LUTE_SOCKET=$socket PYTHONPATH=$repo/src/clients/python timeout 120 python3 "$repo/bench/tasks/py_sender.py" flood "$messages" ;;
      client-emit) LUTE_SOCKET=$socket timeout 120 "$lute" emit - < emit-lines.txt ;;
    esac
    bounded_wait "$reader" 60
    cp raw.json "$results/messages-$writer-$r.json"
  done
done
cd "$repo"

# --- 3. stdout lines per second -----------------------------------------------------------------------------------
log "3. stdout relay: $lines lines, console off and on, against cat"
python3 -c 'import sys
for i in range(int(sys.argv[1])): print(f"line {i:08d} of the task standard output, about sixty bytes long")' "$lines" > "$work/lines.txt"
for console in false true; do
  cfg=$(config "stdout-$console" "$console")
  task_file Flood "$work/stdout-$console/flood.yaml" cat "$work/lines.txt"
  for r in $(seq "$repeats"); do
    (
      cd "$work/stdout-$console"
      begin=$(date +%s%N)
      timeout 300 "$lute" run -c "$cfg" flood.yaml > "run-$r.txt" 2> "console-$r.txt"
      end=$(date +%s%N)
      log_file=$(sed -n 's/^Log: //p' "run-$r.txt")
      python3 "$tools" relay "$log_file" Flood "$lines" "$begin" "$end" "console-$r.txt" > "$results/stdout-$console-$r.json"
      rm -f "$log_file" "console-$r.txt"
    )
  done
done
for r in $(seq "$repeats"); do
  begin=$(date +%s%N)
  cat "$work/lines.txt" > "$work/cat-copy.txt"
  end=$(date +%s%N)
  printf '{"lines": %s, "seconds": %s}\n' "$(wc -l < "$work/cat-copy.txt")" "$(python3 -c "print(($end - $begin) / 1e9)")" > "$results/stdout-cat-$r.json"
  rm -f "$work/cat-copy.txt"
done

# --- 4. latency ---------------------------------------------------------------------------------------------------
log "4. latency: $latency_messages messages, one every millisecond"
lat_cfg=$(config latency false "hooks:
  - { use: test.count, on: [log, run_end], settings: { path: $work/latency/count.json } }")
task_file Paced "$work/latency/paced.yaml" "$task" paced "$latency_messages" 1
( cd "$work/latency" && timeout 300 "$lute" run -c "$lat_cfg" paced.yaml > run.txt 2>&1 ) || { cat "$work/latency/run.txt" >&2; exit 1; }
cp "$work/latency/count.json" "$results/latency.json"

# --- 5. peak RSS --------------------------------------------------------------------------------------------------
log "5. peak RSS of lute run, as shipped and with every hook pack bound"
python3 "$tools" plugins "$lute" "$noop_cfg" > "$results/rss-plugins.json"
for i in $(seq 5); do
  ( cd "$work/noop" && /usr/bin/time -v -o "$work/noop/rss.$i" timeout 120 "$lute" run -c "$noop_cfg" noop.yaml >/dev/null 2>&1 )
  sed -n 's/^\tMaximum resident set size (kbytes): //p' "$work/noop/rss.$i"
done > "$results/rss.txt"
# A run loads only the plugins whose components it uses: its executor, bound hooks and tasklets. Binding a hook of
# each shipped hook pack (to an event a no-op run never has, so nothing is posted) loads every plugin one run can.
packs_cfg=$(config packs false "hooks:
  - { use: lcls.elog, on: [stopped], settings: { base_url: \"http://127.0.0.1:9\", auth: none } }
  - { use: workflow.manager, on: [stopped], settings: { url: \"http://127.0.0.1:9\" } }
  - { use: webhook.post, on: [stopped], settings: { url: \"http://127.0.0.1:9\", secret: { env: LUTE_BENCH_SECRET } } }" \
  "$repo/out/plugins")
printf 'header: { experiment: bench, run: "1" }\ntasks:\n  Noop:\n    command: [/bin/true]\n' > "$work/packs/noop.yaml"
if ls "$repo/out/plugins" | grep -q '^Lute.Hooks.'; then
  for i in $(seq 5); do
    ( cd "$work/packs" && LUTE_BENCH_SECRET=bench /usr/bin/time -v -o "$work/packs/rss.$i" timeout 120 "$lute" run -c "$packs_cfg" noop.yaml \
        > "$work/packs/out.$i" 2>&1 ) || { cat "$work/packs/out.$i" >&2; exit 1; }
    sed -n 's/^\tMaximum resident set size (kbytes): //p' "$work/packs/rss.$i"
  done > "$results/rss-packs.txt"
fi
# The same for commands that stop earlier: what the runtime and the command line alone take, and plugin loading.
for i in $(seq 3); do
  for sub in version plugins; do
    case $sub in
      version) args=(--version) ;;
      plugins) args=(plugins -c "$noop_cfg") ;;
    esac
    /usr/bin/time -v -o "$work/noop/rss-$sub" timeout 120 "$lute" "${args[@]}" >/dev/null 2>&1
    printf '%s %s\n' "$sub" "$(sed -n 's/^\tMaximum resident set size (kbytes): //p' "$work/noop/rss-$sub")"
  done
done > "$results/rss-sub.txt"

# --- 6. concurrent runs on one store ------------------------------------------------------------------------------
log "6. $concurrent concurrent lute run on one new SQLite store"
conc_cfg=$(config concurrent false "" "$repo/out/plugins")
task_file Noop "$work/concurrent/noop.yaml" /bin/true
(
  cd "$work/concurrent"
  running=()
  begin=$(date +%s%N)
  for i in $(seq "$concurrent"); do
    timeout 300 "$lute" run -c "$conc_cfg" noop.yaml > "out.$i" 2>&1 &
    running+=("$!")
  done
  failed=0
  for pid in "${running[@]}"; do
    wait "$pid" || failed=$((failed + 1))
  done
  end=$(date +%s%N)
  locked=$(cat out.* | grep -ci "database is locked" || true)
  python3 "$tools" concurrent store/lute.db "$concurrent" "$begin" "$end" "$failed" "$locked" > "$results/concurrent.json"
)

# --- report -------------------------------------------------------------------------------------------------------
elapsed=$(( $(date +%s) - started ))
mkdir -p "$repo/bench/results"
python3 "$tools" report "$results" "$elapsed" "${BENCH_COMMAND:-bench/run.sh}" "$quick" > "$repo/bench/results/$stamp.md"
cat "$repo/bench/results/$stamp.md"
log "written bench/results/$stamp.md in ${elapsed}s"
