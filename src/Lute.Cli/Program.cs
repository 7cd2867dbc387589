using Lute.Cli;
using Lute.Host.Diagnostics;

StartupTrace.Mark("runtime started, Main entered");

return await LuteCommandLine.RunAsync(args).ConfigureAwait(false);
