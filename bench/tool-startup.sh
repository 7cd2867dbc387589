#!/usr/bin/env bash
# Compares the start-up of lute installed as a .NET tool (from out/packages, ReadyToRun for linux-x64) with the
# build's own out/lute/lute: hyperfine (-N, 3 warm-ups, 30 runs) of `lute --version` and of `lute run` of a no-op
# task (/bin/true, local executor, each program's own shipped plugins, a store in a temporary folder), and of the
# tool through a local manifest (`dotnet lute`). Needs ./build.sh first and hyperfine (apt-get install hyperfine).
# Prints hyperfine's tables; BENCH_RUNS=N changes the count.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=${BENCH_RUNS:-30}
work="$(mktemp -d /tmp/lute-tool-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT
export DOTNET_CLI_HOME="$work/home" NUGET_PACKAGES="$work/nuget-packages" XDG_DATA_HOME="$work/data"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$work/task" "$work/manifest"
dotnet tool install lute --tool-path "$work/tools" --source "$repo/out/packages" >/dev/null
(cd "$work/manifest" && dotnet new tool-manifest >/dev/null && dotnet tool install lute --source "$repo/out/packages" >/dev/null)
printf 'tasks:\n  Noop: { command: [/bin/true] }\n' > "$work/task/noop.yaml"
cd "$work/task"
hyperfine -N --warmup 3 --runs "$runs" \
  -n "out/lute/lute --version" "$repo/out/lute/lute --version" \
  -n "tool lute --version" "$work/tools/lute --version"
hyperfine -N --warmup 3 --runs "$runs" \
  -n "out/lute/lute run noop" "$repo/out/lute/lute run noop.yaml" \
  -n "tool lute run noop" "$work/tools/lute run noop.yaml"
cd "$work/manifest"
hyperfine -N --warmup 3 --runs "$runs" -n "dotnet lute --version (local manifest)" "dotnet lute --version"
