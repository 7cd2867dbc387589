namespace Lute.Contracts;

/// <summary>What a tasklet needs to run.</summary>
/// <param name="Run">The run.</param>
/// <param name="Arguments">The tasklet's arguments, with every <c>{{ }}</c> reference rendered.</param>
/// <param name="Environment">The task's environment.</param>
/// <param name="Settings">The settings of the plugin that provides the tasklet.</param>
public sealed record TaskletContext(
    RunInfo Run,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    PluginSettings Settings);
