#!/usr/bin/env bash
# The dashboard over a large store: fills a fresh SQLite store with N runs (default 100,000; BENCH_RUNS=N), starts
# `lute dashboard` on it, and times each page with curl: the first request after start (cold), then the median and
# p95 of 30 more (warm). The runs are copies of one real run that `lute run` recorded (so the schema is lute's own),
# with tasks, statuses, hosts, experiments and times varied by SQL. Target: the first page under 200 ms.
# Prints a markdown table; needs python3 and curl (installed from Debian when missing) and a built ./lute.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
runs=${BENCH_RUNS:-100000}
repeats=${BENCH_REPEATS:-30}
lute=$repo/out/lute/lute
[ -x "$lute" ] || { echo "bench/dashboard.sh: $lute is not built (./build.sh)" >&2; exit 1; }
for tool in curl python3; do
  if ! command -v "$tool" >/dev/null; then
    as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$tool" >/dev/null
  fi
done

work=$(mktemp -d /tmp/lute-dashboard-bench-XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
[ "${BENCH_KEEP:-0}" = 1 ] && cleanup() { [ -z "$server" ] || kill "$server"; echo "kept $work" >&2; }
trap cleanup EXIT
trap 'exit 130' INT TERM

printf 'store: %s/lute.db\nlogs: %s/logs\n' "$work" "$work" > "$work/plugins.yaml"
printf 'tasks:\n  Index:\n    command: [/bin/true]\n' > "$work/tasks.yaml"
"$lute" run "$work/tasks.yaml" --config "$work/plugins.yaml" >/dev/null

fill_started=$(date +%s.%N)
python3 - "$work/lute.db" "$runs" <<'PY'
import sqlite3, sys
path, count = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(path)
columns = [row[1] for row in db.execute("PRAGMA table_info(runs)") if row[1] != "id"]
varied = {
    "task": "CASE n % 7 WHEN 0 THEN 'FindPeaks' WHEN 1 THEN 'Index' WHEN 2 THEN 'Merge' WHEN 3 THEN 'Calibrate' "
            "WHEN 4 THEN 'Integrate' WHEN 5 THEN 'Refine' ELSE 'Export' END",
    "task_full": "NULL",
    "status": "CASE WHEN n % 97 = 0 THEN 'Failed' WHEN n % 211 = 0 THEN 'TimedOut' WHEN n % 389 = 0 THEN 'Cancelled' ELSE 'Completed' END",
    "host": "'node-' || (n % 16)",
    "experiment": "'exp' || (n / 5000)",
    "started_at": "strftime('%Y-%m-%dT%H:%M:%S.0000000Z', '2026-01-01', '+' || (n * 60) || ' seconds')",
    "ended_at": "strftime('%Y-%m-%dT%H:%M:%S.0000000Z', '2026-01-01', '+' || (n * 60 + 1 + n % 300) || ' seconds')",
    "last_seen_at": "NULL",
}
select = ", ".join(varied.get(c, c) for c in columns)
db.execute(f"""
    WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < ?)
    INSERT INTO runs ({", ".join(columns)}) SELECT {select} FROM numbers, (SELECT * FROM runs WHERE id = 1)""", (count,))
db.commit()
db.close()
PY
fill_seconds=$(python3 -c "import time,sys; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$fill_started")

"$lute" dashboard --config "$work/plugins.yaml" --listen 127.0.0.1:0 --no-token > "$work/dashboard.out" 2>&1 &
server=$!
for _ in $(seq 600); do
  grep -q '^lute dashboard: http' "$work/dashboard.out" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/dashboard.out" >&2; exit 1; }
  sleep 0.05
done
base=$(grep -o 'http://[0-9.:]*' "$work/dashboard.out" | head -1)
[ -n "$base" ] || { echo "bench/dashboard.sh: the dashboard did not start" >&2; cat "$work/dashboard.out" >&2; exit 1; }

middle=$((runs / 2))
echo "Dashboard over $((runs + 1)) runs (store filled in ${fill_seconds}s; $(nproc) cores; $(date -u +%Y-%m-%d))"
echo
echo "| page | first request (ms) | warm median (ms) | warm p95 (ms) | bytes |"
echo "| --- | ---: | ---: | ---: | ---: |"
for page in "/" "/?task=Merge" "/?status=FAILED" "/?host=node-3&status=COMPLETED" "/?before=$middle" \
            "/?from=2026-02-01&to=2026-02-02" "/runs/$middle" "/plots" "/metrics"; do
  times=()
  for i in $(seq 0 "$repeats"); do
    times+=("$(curl -s -o "$work/page" -w '%{time_total}' "$base$page")")
  done
  bytes=$(stat -c %s "$work/page")
  python3 - "$page" "$bytes" "${times[@]}" <<'PY'
import statistics, sys
page, size, first, *rest = sys.argv[1], sys.argv[2], float(sys.argv[3]), *map(float, sys.argv[4:])
rest.sort()
p95 = rest[max(0, int(round(0.95 * len(rest))) - 1)]
print(f"| `{page}` | {first * 1000:.1f} | {statistics.median(rest) * 1000:.1f} | {p95 * 1000:.1f} | {size} |")
PY
done
