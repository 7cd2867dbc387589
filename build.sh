#!/usr/bin/env bash
# Builds everything into out/: the lute command line (out/lute), the shipped plugins (out/plugins/NAME/), the
# test plugins (out/test-plugins/NAME/), the NuGet packages for plugin authors (out/packages/, a folder usable as a
# NuGet source: Lute.Contracts, Lute.Hooks.Support, Lute.Client, Lute.Templates) and the Python client's wheel
# (out/python/). Needs only the .NET SDK and python3. Afterwards ./lute runs the command line.
# LUTE_REPOSITORY_URL, when set, is written into the packages' metadata (the commit always is).
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
# Packages: every project that sets IsPackable, with the commit they were built from.
rm -rf out/packages
commit=$(git rev-parse HEAD 2>/dev/null || true)
dotnet pack Lute.Plugins.sln -c Release --no-build -nologo -v quiet -clp:ErrorsOnly \
  ${commit:+-p:RepositoryCommit=$commit} ${LUTE_REPOSITORY_URL:+-p:LuteRepositoryUrl=$LUTE_REPOSITORY_URL}
# The command line as a .NET tool (ReadyToRun for linux-x64, with the shipped plugins): packages lute and lute.linux-x64.
dotnet pack src/Lute.Cli/Lute.Cli.csproj -c Release -p:LuteTool=true -o out/packages -nologo -v quiet -clp:ErrorsOnly \
  ${commit:+-p:RepositoryCommit=$commit} ${LUTE_REPOSITORY_URL:+-p:LuteRepositoryUrl=$LUTE_REPOSITORY_URL}
python3 scripts/build-wheel.py src/clients/python out/python
echo "Built: ./lute (out/lute), plugins in out/plugins/, packages in out/packages/, the Python wheel in out/python/"
