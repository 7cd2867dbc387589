using Lute.Contracts;

namespace Lute.TestPlugins.Rival;

/// <summary>An executor that claims the name of the shipped local executor: the host must refuse the ambiguous name.</summary>
[LuteComponent("local")]
internal sealed class ImpostorExecutor : IExecutor
{
    public Task<IExecution> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default) =>
        throw new LaunchException("impostor", "the impostor executor was used");
}

/// <summary>A component of the same plugin under a name of its own, which stays usable.</summary>
[LuteComponent("test.rival-echo")]
internal sealed class RivalTasklet : ITasklet
{
    public ValueTask<TaskletOutput> RunAsync(TaskletContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new TaskletOutput(true, "rival " + string.Join(' ', context.Arguments)));
}
