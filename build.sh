#!/usr/bin/env bash
# Builds everything into out/: the lute command line (out/lute), the shipped plugins (out/plugins/NAME/) and the
# test plugins (out/test-plugins/NAME/). Needs only the .NET SDK. Afterwards ./lute runs the command line.
# The command line is then published ReadyToRun (precompiled), which saves about a third of a short run's start-up;
# LUTE_NO_READY_TO_RUN=1 skips that step.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Lute.Plugins.sln -c Release -nologo -v quiet -clp:ErrorsOnly "$@"
if [ "${LUTE_NO_READY_TO_RUN:-0}" != 1 ]; then
  dotnet publish src/Lute.Cli/Lute.Cli.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o out/lute -nologo -v quiet -clp:ErrorsOnly
fi
echo "Built: ./lute (out/lute), plugins in out/plugins/"
