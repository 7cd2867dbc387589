#!/usr/bin/env bash
# The two result stores side by side: the no-op `lute run` (/bin/true) recording into SQLite and into PostgreSQL
# (hyperfine, 30 runs each, interleaved order), 50 concurrent runs (rows recorded per second), and `lute history`
# (20 rows) over 100,000 runs in each (the SQLite history of bench/dashboard.sh's generator, copied into PostgreSQL
# with `lute store migrate`). Needs the test cluster of scripts/postgres-up.sh (run it as root first) and a built
# ./lute; installs hyperfine from Debian when missing. BENCH_RUNS=N changes the 100,000.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
lute=$repo/out/lute/lute
runs=${BENCH_RUNS:-100000}
pgdir=${LUTE_POSTGRES_DIR:-/var/tmp/lute-postgres}
[ -x "$lute" ] || { echo "bench/stores.sh: $lute is not built (./build.sh)" >&2; exit 1; }
[ -f "$pgdir/env" ] || { echo "bench/stores.sh: no PostgreSQL test cluster in $pgdir: run scripts/postgres-up.sh as root" >&2; exit 1; }
# shellcheck disable=SC1091
. "$pgdir/env"
command -v hyperfine >/dev/null || { as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo); "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hyperfine >/dev/null; }
export PGPASSFILE=$pgdir/pgpass
psql_owner() { PGPASSWORD=$(cat "$pgdir/lute_owner.password") psql -X -q -h 127.0.0.1 -p "$LUTE_POSTGRES_PORT" -U lute_owner "$@"; }

work=$(mktemp -d /tmp/lute-stores-bench-XXXXXX)
db=lute_bench_$$
cleanup() { psql_owner -d lute -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
psql_owner -d lute -c "CREATE DATABASE $db OWNER lute_owner" >/dev/null
printf 'tasks:\n  Noop:\n    command: [/bin/true]\n' > "$work/noop.yaml"
printf 'store: %s/sqlite/lute.db\nlogs: %s/sqlite/logs\n' "$work" "$work" > "$work/sqlite.yaml"
printf 'store: postgresql://lute_owner@127.0.0.1:%s/%s\nlogs: %s/pg/logs\n' "$LUTE_POSTGRES_PORT" "$db" "$work" > "$work/pg.yaml"
"$lute" run "$work/noop.yaml" --config "$work/sqlite.yaml" >/dev/null
"$lute" run "$work/noop.yaml" --config "$work/pg.yaml" >/dev/null

echo "Result stores ($(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ); PostgreSQL on 127.0.0.1:$LUTE_POSTGRES_PORT, fsync off as the test cluster has it)"
echo
echo "No-op run (/bin/true), hyperfine, 30 runs, 3 warm-up:"
hyperfine -N --warmup 3 --runs 30 --export-markdown "$work/noop.md" \
  -n sqlite "$lute run $work/noop.yaml --config $work/sqlite.yaml" \
  -n postgresql "$lute run $work/noop.yaml --config $work/pg.yaml" >/dev/null
cat "$work/noop.md"
echo

echo "50 concurrent runs (rows recorded per second, wall time of the whole batch):"
for store in sqlite pg; do
  before=$("$lute" history --json --limit 1 --config "$work/$store.yaml" | python3 -c 'import json,sys; r=json.load(sys.stdin)["runs"]; print(r[0]["id"] if r else 0)')
  start=$(date +%s.%N)
  pids=()
  for _ in $(seq 50); do "$lute" run "$work/noop.yaml" --config "$work/$store.yaml" >/dev/null 2>&1 & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
  end=$(date +%s.%N)
  after=$("$lute" history --json --limit 1 --config "$work/$store.yaml" | python3 -c 'import json,sys; r=json.load(sys.stdin)["runs"]; print(r[0]["id"] if r else 0)')
  python3 -c "import sys; n=int(sys.argv[3])-int(sys.argv[2]); t=float(sys.argv[5])-float(sys.argv[4]); print(f'| {sys.argv[1]} | {n} runs recorded | {t:.2f} s | {n/t:.1f} runs/s |')" "$store" "$before" "$after" "$start" "$end"
done
echo

echo "lute history (20 rows) over $runs runs, hyperfine, 20 runs:"
rm -rf "$work/big" && mkdir -p "$work/big"
printf 'store: %s/big/lute.db\nlogs: %s/big/logs\n' "$work" "$work" > "$work/big.yaml"
"$lute" run "$work/noop.yaml" --config "$work/big.yaml" >/dev/null
python3 - "$work/big/lute.db" "$runs" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
columns = [row[1] for row in db.execute("PRAGMA table_info(runs)") if row[1] != "id"]
varied = {"task": "'Task' || (n % 7)", "started_at": "strftime('%Y-%m-%dT%H:%M:%S.0000000Z', '2026-01-01', '+' || (n * 60) || ' seconds')",
          "runner_pid": "n + 100000"}
db.execute(f"""WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < ?)
    INSERT INTO runs ({", ".join(columns)}) SELECT {", ".join(varied.get(c, c) for c in columns)} FROM numbers, (SELECT * FROM runs WHERE id = 1)""",
    (int(sys.argv[2]),))
db.commit()
PY
migrate_start=$(date +%s.%N)
"$lute" store migrate --from "$work/big/lute.db" --config "$work/pg.yaml"
python3 -c "import sys,time; print(f'(store migrate took {time.time()-float(sys.argv[1]):.1f} s)')" "$migrate_start"
hyperfine -N --warmup 2 --runs 20 --export-markdown "$work/history.md" \
  -n sqlite "$lute history --config $work/big.yaml" \
  -n postgresql "$lute history --config $work/pg.yaml" >/dev/null
cat "$work/history.md"
