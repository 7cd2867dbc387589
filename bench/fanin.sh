#!/usr/bin/env bash
# Fan-in over TCP: many ranks, or many connections, sending structured messages at full speed to one runner.
#   1. srun across the three nodes of scripts/multinode-up.sh: NODES x RANKS_PER_NODE ranks (slurm-srun, --overcommit),
#      each connecting from its own node through the Python client and sending MESSAGES TASK_LOG messages
#   2. one process on this machine (local executor, communicator tcp) opening CONNECTIONS connections to the runner
#      and sending MESSAGES_EACH messages on each, round robin
# For each: messages per second at the runner (the test.count hook bound to `log`: (count - 1) / (last - first)),
# connection set-up time (client side: connect and handshake written; p50, p99, max), the runner's peak RSS
# (/usr/bin/time of `lute run`), wall time of the run. Repeats each REPEATS times. Writes
# bench/results/fanin-DATE.md and prints it.
# Needs the three-node cluster for part 1 (`scripts/multinode-up.sh` as root) and a build (./build.sh).
# Environment: FANIN_QUICK=1 small counts (a check of the harness, not figures to quote).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
if [ "${FANIN_QUICK:-0}" = 1 ]; then
  ranks_per_node=4 messages=500 connections=100 messages_each=20 repeats=1
else
  ranks_per_node=32 messages=2000 connections=1000 messages_each=200 repeats=3
fi
nodes=3
lute=$repo/out/lute/lute
[ -x "$lute" ] && [ -d "$repo/out/test-plugins/Lute.TestPlugins.Hooks" ] || { echo "bench/fanin.sh: run ./build.sh first" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench/fanin.sh: needs /usr/bin/time (Debian package time)" >&2; exit 1; }
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
log() { printf '[fanin %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

work=$(mktemp -d /tmp/lute-fanin-XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/plugins" "$work/results"
ln -s "$repo/out/plugins/Lute.Executors.Local" "$repo/out/plugins/Lute.Executors.Slurm" "$work/plugins/"
ln -s "$repo/out/test-plugins/Lute.TestPlugins.Hooks" "$work/plugins/"
cat > "$work/plugins.yaml" <<EOF
directory: plugins
store: store/lute.db
logs: logs
console_task_output: false
plugins:
  - name: Lute.Executors.Local
    settings: { communicator: tcp, tcp_address: auto }
hooks:
  - { use: test.count, on: [log, run_end], settings: { path: $work/count.json } }
EOF
cat > "$work/tasks.yaml" <<EOF
tasks:
  Ranks:
    executor: slurm-srun
    resources: { nodes: "$nodes", ntasks: "$((nodes * ranks_per_node))", args: "--overcommit" }
    command: [python3, $repo/bench/tasks/fanin.py, rank, "$messages", $work/out]
    environment: { set: { PYTHONPATH: $repo/src/clients/python } }
  Many:
    command: [python3, $repo/bench/tasks/fanin.py, many, "$connections", "$messages_each", $work/out]
    environment: { set: { PYTHONPATH: $repo/src/clients/python } }
EOF

# one TASK LABEL: runs the task once under /usr/bin/time, keeps the hook's counts and the set-up times.
one() {
  rm -rf "$work/out" "$work/count.json" && mkdir -p "$work/out"
  ( cd "$work" && SLURM_CONF=/etc/slurm-multi/slurm.conf /usr/bin/time -f '%e %M' -o "$work/results/$2.time" \
      timeout 600 "$lute" run -c plugins.yaml tasks.yaml "$1" > "$work/results/$2.out" 2>&1 ) \
    || { cat "$work/results/$2.out" >&2; exit 1; }
  cp "$work/count.json" "$work/results/$2.count.json"
  cat "$work"/out/setup-*.txt > "$work/results/$2.setup"
}
for r in $(seq "$repeats"); do
  log "run $r/$repeats: $nodes nodes x $ranks_per_node ranks x $messages messages"
  one Ranks "ranks-$r"
  log "run $r/$repeats: $connections connections x $messages_each messages"
  one Many "many-$r"
done

python3 - "$work/results" "$repeats" "$nodes" "$ranks_per_node" "$messages" "$connections" "$messages_each" > "$work/report.md" <<'EOF'
import json, os, platform, statistics, subprocess, sys
folder, repeats, nodes, per_node, messages, connections, each = sys.argv[1], *map(int, sys.argv[2:])
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
rows = []
for kind, label, expected in (("ranks", f"srun, {nodes} nodes x {per_node} ranks, {messages:,} messages each", nodes * per_node * messages),
                              ("many", f"one process, {connections:,} connections, {each:,} messages each", connections * each)):
    rates, setups, rss, wall, counts = [], [], [], [], []
    for r in range(1, repeats + 1):
        c = json.load(open(f"{folder}/{kind}-{r}.count.json"))
        counts.append(c["count"])
        rates.append((c["count"] - 1) / ((c["last_us"] - c["first_us"]) / 1e6))
        setups += [int(x) for x in open(f"{folder}/{kind}-{r}.setup").read().split()]
        e, m = open(f"{folder}/{kind}-{r}.time").read().split()[-2:]
        wall.append(float(e)); rss.append(int(m) / 1024)
    rows.append(f"| {label} | {expected:,} | {min(counts):,} | {statistics.median(rates):,.0f} | "
                f"{pct(setups, 50) / 1000:.2f} / {pct(setups, 99) / 1000:.2f} / {max(setups) / 1000:.2f} | "
                f"{statistics.median(rss):.0f} | {statistics.median(wall):.1f} |")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"Machine: {os.cpu_count()} CPUs ({cpu}), {platform.platform()}; median of {repeats} run(s).\n")
print("| fan-in | messages sent | received (fewest) | messages/s at the runner | set-up ms p50 / p99 / max | runner peak RSS MB | wall s |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
print("\n".join(rows))
EOF
mkdir -p bench/results
{ echo "# Fan-in over TCP, $stamp"; echo; echo "Command: \`bench/fanin.sh\`$([ "${FANIN_QUICK:-0}" = 1 ] && echo ' (FANIN_QUICK=1)')"; echo; cat "$work/report.md"; } \
  | tee "bench/results/fanin-$stamp.md"
