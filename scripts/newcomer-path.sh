#!/usr/bin/env bash
# Times the newcomer's path on this machine: from the packages in out/packages (./build.sh makes them) to a plugin
# that lute loads, with a NuGet cache and a .NET home that have never seen the Lute packages:
#   dotnet new install Lute.Templates, dotnet new lute-hookpack, dotnet build -p:LutePluginDirectory, lute plugins.
# Usage: scripts/newcomer-path.sh [TEMPLATE]   (lute-hookpack by default). Prints one line per step and the total.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="${1:-lute-hookpack}"
work="$(mktemp -d /tmp/lute-newcomer-XXXXXX)"
trap 'rm -rf "$work"' EXIT
export HOME="$work/home" DOTNET_CLI_HOME="$work/home" NUGET_PACKAGES="$work/nuget-packages"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
mkdir -p "$work/feed" "$work/plugins" "$HOME"
cp "$repo"/out/packages/*.nupkg "$work/feed/"
cat > "$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
    <add key="lute" value="$work/feed" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="lute"><package pattern="Lute.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
CONFIG
printf 'directory: plugins\nstore: store/lute.db\nlogs: logs\n' > "$work/plugins.yaml"
ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds() { printf '%d.%d' $(( $1 / 1000 )) $(( $1 % 1000 / 100 )); }
step() { local name="$1"; shift; local t0; t0=$(ms); "$@" >"$work/step.log" 2>&1 || { cat "$work/step.log"; exit 1; }
  printf '%-46s %6s s\n' "$name" "$(seconds $(( $(ms) - t0 )))"; }
start=$(ms)
cd "$work"
step "dotnet new install Lute.Templates" dotnet new install "$(ls "$work"/feed/Lute.Templates.*.nupkg)"
step "dotnet new $template -n Acme.Plugin" dotnet new "$template" -n Acme.Plugin -o "$work/Acme.Plugin" --no-update-check
step "dotnet build -p:LutePluginDirectory (restore)" dotnet build "$work/Acme.Plugin/Acme.Plugin/Acme.Plugin.csproj" -c Release \
  --disable-build-servers -p:LutePluginDirectory="$work/plugins"
step "lute plugins" "$repo/out/lute/lute" plugins --config "$work/plugins.yaml"
grep -q "^Acme.Plugin .*: loaded" "$work/step.log" || { echo "Acme.Plugin is not loaded:"; cat "$work/step.log"; exit 1; }
printf '%-46s %6s s\n' "total: template to loaded plugin" "$(seconds $(( $(ms) - start )))"
step "dotnet test (the generated tests)" dotnet test "$work/Acme.Plugin" --disable-build-servers
