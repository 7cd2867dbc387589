using Lute.Cli;

return await LuteCommandLine.RunAsync(args).ConfigureAwait(false);
