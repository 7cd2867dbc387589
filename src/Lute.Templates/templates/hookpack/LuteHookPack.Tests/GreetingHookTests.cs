using Lute.Contracts;
using Lute.Hooks.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace LuteHookPack.Tests;

public sealed class GreetingHookTests
{
    private static readonly RunInfo Run = new()
    {
        RunId = 1,
        TaskName = "Scan",
        Executor = "local",
        Host = "test-host",
        WorkDirectory = "/tmp",
    };

    [Fact]
    public async Task The_greeting_and_the_outcome_go_into_the_summary_when_the_run_ends()
    {
        var hook = new GreetingHook(Settings(("greeting", "hello")), NullLogger<GreetingHook>.Instance);
        var control = new RecordingRunControl();
        var result = new RunResult
        {
            Run = Run,
            Status = RunStatus.Completed,
            StartedAt = DateTimeOffset.UnixEpoch,
            EndedAt = DateTimeOffset.UnixEpoch.AddSeconds(3),
        };

        await hook.OnEventAsync(new RunEndedEvent(result.EndedAt, result), new HookContext(Run, PluginSettings.Empty, control));

        Assert.Equal(("lute-component-name.greeting", "hello (Completed)"), Assert.Single(control.Summary));
    }

    [Fact]
    public async Task Other_events_leave_the_summary_alone()
    {
        var hook = new GreetingHook(Settings(("greeting", "hello"), ("summary_key", "hi")), NullLogger<GreetingHook>.Instance);
        var control = new RecordingRunControl();

        await hook.OnEventAsync(new RunStartedEvent(DateTimeOffset.UnixEpoch, Run), new HookContext(Run, PluginSettings.Empty, control));

        Assert.Empty(control.Summary);
    }

    [Fact]
    public void A_missing_greeting_is_refused_when_the_hook_is_built()
    {
        var error = Assert.Throws<HookSettingsException>(() => new GreetingHook(PluginSettings.Empty, NullLogger<GreetingHook>.Instance));

        Assert.Contains("greeting", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static PluginSettings Settings(params (string Key, string Value)[] values) =>
        new(values.ToDictionary(v => v.Key, v => v.Value));

    private sealed class RecordingRunControl : IRunControl
    {
        public List<(string Key, string Value)> Summary { get; } = [];

        public void AddSummary(string key, string value) => Summary.Add((key, value));

        public void Cancel(string reason)
        {
        }

        public ValueTask StopAsync(string reason, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask ContinueAsync(string reason, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
