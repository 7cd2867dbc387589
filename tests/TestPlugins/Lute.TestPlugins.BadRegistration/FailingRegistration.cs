using Lute.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Lute.TestPlugins.BadRegistration;

/// <summary>A plugin whose registration entry point throws: the host must report it and load the others.</summary>
public sealed class FailingRegistration : ILutePlugin
{
    public void ConfigureServices(IServiceCollection services, PluginSettings settings) =>
        throw new InvalidDataException("the facility database is not configured");
}

/// <summary>A component that is never offered, since its plugin's registration fails.</summary>
[LuteComponent("test.never")]
internal sealed class NeverTasklet : ITasklet
{
    public ValueTask<TaskletOutput> RunAsync(TaskletContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new TaskletOutput(true, "never"));
}
