using Lute.Contracts;

namespace Lute.Tests.Support;

/// <summary>A run control that remembers what hooks asked of it.</summary>
internal sealed class FakeRunControl : IRunControl
{
    public Dictionary<string, string> Summary { get; } = [];

    public List<string> Requests { get; } = [];

    public ValueTask StopAsync(string reason, CancellationToken cancellationToken = default)
    {
        Requests.Add("stop");
        return ValueTask.CompletedTask;
    }

    public ValueTask ContinueAsync(string reason, CancellationToken cancellationToken = default)
    {
        Requests.Add("continue");
        return ValueTask.CompletedTask;
    }

    public void Cancel(string reason) => Requests.Add("cancel");

    public void AddSummary(string key, string value) => Summary[key] = value;

    public static HookContext Context(FakeRunControl control) => new(
        new RunInfo { RunId = 1, TaskName = "T", Executor = "local", WorkDirectory = "/tmp", Host = "test" },
        PluginSettings.Empty,
        control);
}
