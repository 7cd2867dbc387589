#!/usr/bin/env bash
# Installs what the tests need, starts the engines (OpenMPI, a single-node SLURM cluster: scripts/engines-up.sh; a
# three-node SLURM cluster in network namespaces: scripts/multinode-up.sh; a private PostgreSQL 15 cluster on
# 127.0.0.1:55432 for the result store's tests: scripts/postgres-up.sh), builds everything and runs every test, then
# stops the engines it started (scripts/postgres-down.sh, scripts/multinode-down.sh, scripts/engines-down.sh; set
# LUTE_KEEP_ENGINES=1 to leave them running for the next run). Ends with the line "N passed, N failed, N skipped".
# Exits non-zero when a test failed, the build failed or no test ran. Needs root (or sudo) for the engines.
# Extra arguments go to `dotnet test` (for example: ./test.sh --filter "FullyQualifiedName~Plugins").
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo --preserve-env=LUTE_ENGINES_DIR,LUTE_SLURM_CONF,LUTE_ENGINES_TIMEOUT,LUTE_MULTINODE_DIR,LUTE_MULTINODE_TIMEOUT,LUTE_POSTGRES_DIR,LUTE_POSTGRES_PORT,LUTE_POSTGRES_TIMEOUT)
bash scripts/install-test-deps.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
results=$(mktemp -d)
stop_engines() {
  [ "${LUTE_KEEP_ENGINES:-0}" = 1 ] && return 0
  "${as_root[@]}" bash scripts/postgres-down.sh >/dev/null || true
  "${as_root[@]}" bash scripts/multinode-down.sh >/dev/null || true
  "${as_root[@]}" bash scripts/engines-down.sh >/dev/null || true
}
trap 'rm -rf "$results"; stop_engines' EXIT
"${as_root[@]}" bash scripts/engines-up.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
"${as_root[@]}" bash scripts/multinode-up.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
"${as_root[@]}" bash scripts/postgres-up.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
./build.sh || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

dotnet test Lute.Plugins.sln -c Release --no-build --logger "trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

count() { # count OUTCOME: test results with that outcome over every TRX file
  local total=0 n f
  for f in "$results"/*.trx; do
    [ -e "$f" ] || continue
    n=$(grep -o "<UnitTestResult [^>]*outcome=\"$1\"" "$f" | wc -l)
    total=$((total + n))
  done
  echo "$total"
}
passed=$(count Passed)
failed=$(count Failed)
skipped=$(count NotExecuted)
if [ $((passed + failed + skipped)) -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  [ "$status" -ne 0 ] || status=1
fi
if [ "$skipped" -gt 0 ] && [ "$status" -eq 0 ]; then
  echo "test.sh: $skipped test(s) were skipped; a skipped test is not a pass" >&2
  status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
