#!/usr/bin/env bash
# The long protocol fuzz run (docs/reliability.md, "Hostile and broken input"): a real `lute run` whose task
# (bench/fuzz/fuzz_task.py) sends hostile frames for DURATION seconds, then drops CONNECTIONS connections. Prints what
# was sent, what the runner logged for it, its peak memory and whether the run survived; exits 1 on any mismatch.
#   bench/fuzz.sh [DURATION_SECONDS=60] [SEED=1] [CONNECTIONS=10000]
# Needs ./build.sh and python3. Everything it writes goes to a temporary folder, removed at the end.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-60}" seed="${2:-1}" connections="${3:-10000}" limit=65536
[ -x "$here/out/lute/lute" ] || { echo "fuzz.sh: run ./build.sh first" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/plugins"
ln -s "$here/out/plugins/Lute.Executors.Local" "$work/plugins/"
printf 'directory: plugins\nstore: lute.db\nlogs: logs\nmax_message_bytes: %s\nconsole_task_output: false\n' "$limit" > "$work/plugins.yaml"
cat > "$work/tasks.yaml" <<YAML
tasks:
  Fuzz:
    command: [python3, "$here/bench/fuzz/fuzz_task.py", "$seed", "0", "$duration", "$connections", "$limit", "$work/sent.json"]
    timeout: $((duration * 3 + 120))s
YAML
set +e
timeout $((duration * 3 + 180)) "$here/out/lute/lute" run "$work/tasks.yaml" --config "$work/plugins.yaml" 2> "$work/stderr"
code=$?
set -e
log="$(ls "$work"/logs/*.log 2>/dev/null | head -n 1)"
python3 - "$work/sent.json" "${log:-/dev/null}" "$code" "$limit" <<'PY'
import json, sys
sent_path, log_path, code, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
try:
    sent = json.load(open(sent_path))
except OSError:
    print("the task wrote no manifest; lute run exited with %d" % code)
    sys.exit(1)
log = open(log_path, errors="replace").read().splitlines()
dropped = [l for l in log if "Dropped a" in l]
checks = [
    ("lute run exit code (0 = COMPLETED)", code, 0),
    ("bad frames logged once each", len(dropped), sum(sent["bad"].values())),
    ("huge frames logged with their size", sum("larger than the %s-byte limit" % limit in l for l in dropped), sent["bad"].get("huge frame", 0)),
    ("deep frames logged with the depth", sum("depth of 64" in l for l in dropped), sent["bad"].get("deep nesting", 0)),
    ("unknown signals logged", sum("which protocol v1 does not define" in l for l in log), sent["unknown_signal"]),
    ("valid messages delivered", sum("[Fuzz log] fuzz-ok " in l for l in log), sent["valid"]),
]
print("%.1f s of sending, %d rounds" % (sent["seconds"], sent["rounds"]))
print("tried:")
for kind, n in sorted(sent["bad"].items()):
    print("  %-20s %8d" % (kind, n))
print("  %-20s %8d" % ("unknown signals", sent["unknown_signal"]))
print("  %-20s %8d" % ("valid messages", sent["valid"]))
print("  %-20s %8d" % ("connections dropped", sent["connections_dropped"]))
print("runner peak RSS: %.1f MiB" % (sent["runner_peak_rss_kib"] / 1024))
failed = 0
for what, got, want in checks:
    ok = got == want
    failed += not ok
    print("%-4s %-40s %d (expected %d)" % ("ok" if ok else "FAIL", what, got, want))
print("survived" if not failed else "%d check(s) failed" % failed)
sys.exit(1 if failed else 0)
PY
