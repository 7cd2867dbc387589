#!/usr/bin/env bash
# Builds everything into out/: the lute command line (out/lute), the shipped plugins (out/plugins/NAME/) and the
# test plugins (out/test-plugins/NAME/). Needs only the .NET SDK. Afterwards ./lute runs the command line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Lute.Plugins.sln -c Release -nologo -v quiet -clp:ErrorsOnly "$@"
echo "Built: ./lute (out/lute), plugins in out/plugins/"
