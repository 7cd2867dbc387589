using Microsoft.Extensions.Logging;

namespace Lute.Contracts;

/// <summary>What a communicator needs to serve one run.</summary>
/// <param name="Run">The run.</param>
/// <param name="Events">Where the communicator publishes what the task says.</param>
/// <param name="Settings">The settings of the plugin that provides the communicator.</param>
/// <param name="Logger">Where the communicator reports malformed or refused input.</param>
public sealed record CommunicatorContext(RunInfo Run, ITaskEventSink Events, PluginSettings Settings, ILogger Logger);
