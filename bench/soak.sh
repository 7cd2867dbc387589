#!/usr/bin/env bash
# Soak test (not part of the test suite): a mixed workload of lute runs for a set time; prints what ran, what was
# recorded, what was left behind and every failure; exits 1 on any failure.
#   bench/soak.sh [SECONDS] [PARALLEL] [SEED]      (defaults: 300 s, 4 at once, seed 1)
# Needs ./build.sh first; runs tasks with the local executor only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x out/lute/lute ] || { echo "soak: run ./build.sh first" >&2; exit 2; }
exec python3 bench/tools/soak.py --lute out/lute/lute --seconds "${1:-300}" --parallel "${2:-4}" --seed "${3:-1}"
