#!/usr/bin/env bash
# Installs, from Debian's packages, what the test suite needs beyond the .NET SDK. Idempotent: installs only what
# is missing. Needs root (or sudo) when something is missing.
set -euo pipefail
# python3-venv: the wheel test installs the Python client into a fresh venv (python3 -m venv needs ensurepip).
# zsh: the completion tests drive the generated zsh script; prometheus: the run-metrics test scrapes a live run;
# util-linux's script gives the status-line test a pseudo-terminal.
# chromium, chromium-driver: the dashboard's browser tests drive headless Chromium through ChromeDriver.
# postgresql-15, postgresql-client-15: the result store's PostgreSQL tests run against a private cluster of their own
# (scripts/postgres-up.sh; never Debian's default cluster 15/main).
needed=(python3 python3-venv util-linux coreutils procps zsh prometheus chromium chromium-driver postgresql-15
  postgresql-client-15)
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for program in python3 setsid taskset seq script zsh prometheus chromium chromedriver; do
  command -v "$program" >/dev/null || { echo "install-test-deps: $program is still missing" >&2; exit 1; }
done
# PostgreSQL's server programs are not on PATH; scripts/postgres-up.sh runs them from here.
for program in /usr/lib/postgresql/15/bin/initdb /usr/lib/postgresql/15/bin/pg_ctl; do
  [ -x "$program" ] || { echo "install-test-deps: $program is still missing (package postgresql-15)" >&2; exit 1; }
done
