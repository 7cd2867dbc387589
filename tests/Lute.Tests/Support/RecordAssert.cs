using System.Text.Json;
using Lute.Host.Store;

namespace Lute.Tests.Support;

/// <summary>Compares run records field by field: collections in order, JSON values by their content.</summary>
internal static class RecordAssert
{
    public static void Same(RunRecord expected, RunRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Task, actual.Task);
        Assert.Equal(expected.TaskFullName, actual.TaskFullName);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.LastSeenAt, actual.LastSeenAt);
        Assert.Equal(expected.TaskFile, actual.TaskFile);
        Assert.Equal(expected.Executor, actual.Executor);
        Assert.Equal(expected.Experiment, actual.Experiment);
        Assert.Equal(expected.ExperimentRun, actual.ExperimentRun);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
        Assert.Equal(expected.Signal, actual.Signal);
        Assert.Equal(expected.Reason, actual.Reason);
        Assert.Equal(expected.LaunchFailed, actual.LaunchFailed);
        Assert.Equal(expected.StartedAt, actual.StartedAt);
        Assert.Equal(expected.EndedAt, actual.EndedAt);
        Assert.Equal(expected.Host, actual.Host);
        Assert.Equal(expected.RunnerPid, actual.RunnerPid);
        Assert.Equal(expected.TaskPid, actual.TaskPid);
        Assert.Equal(expected.Command, actual.Command);
        Assert.Equal(expected.Parameters.ToArray(), actual.Parameters.ToArray());
        Assert.Equal(expected.Environment.ToArray(), actual.Environment.ToArray());
        Assert.Equal(expected.Summary.ToArray(), actual.Summary.ToArray());
        SameJson(expected.Payload, actual.Payload);
        Assert.Equal(expected.Metadata.Keys.ToArray(), actual.Metadata.Keys.ToArray());
        foreach (var (key, value) in expected.Metadata)
        {
            SameJson(value, actual.Metadata[key]);
        }

        Assert.Equal(expected.Details.ToArray(), actual.Details.ToArray());
        Assert.Equal(expected.Communicators, actual.Communicators);
        Assert.Equal(expected.LogPath, actual.LogPath);
        Assert.Equal(expected.WorkDirectory, actual.WorkDirectory);
        Assert.Equal(expected.ReportPath, actual.ReportPath);
        Assert.Equal(expected.Undelivered, actual.Undelivered);
        Assert.Equal(expected.HookErrors, actual.HookErrors);
    }

    public static void SameJson(JsonElement? expected, JsonElement? actual)
    {
        Assert.Equal(expected is null, actual is null);
        if (expected is { } e && actual is { } a)
        {
            Assert.True(JsonElement.DeepEquals(e, a), $"expected {e.GetRawText()}, got {a.GetRawText()}");
            // Numbers keep their text (1.50 stays 1.50).
            Assert.Equal(JsonSerializer.Serialize(e), JsonSerializer.Serialize(a));
        }
    }
}
