using System.Data.Common;
using System.Globalization;
using Lute.Contracts;
using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

/// <summary>The current row of a query over <c>runs</c>, read by column name: each column's place is looked up once per query.</summary>
internal sealed class RunRow
{
    private readonly DbDataReader _reader;
    private readonly Dictionary<RunColumn, int> _ordinals;

    /// <summary>Reads <paramref name="reader"/>'s rows; every column of <see cref="RunColumns.All"/> must be selected.</summary>
    public RunRow(DbDataReader reader)
    {
        _reader = reader;
        _ordinals = RunColumns.All.ToDictionary(c => c, c => reader.GetOrdinal(c.Name));
    }

    /// <summary>The column's text (NOT NULL columns).</summary>
    public string Text(RunColumn column) => _reader.GetString(_ordinals[column]);

    /// <summary>The column's text, or null.</summary>
    public string? TextOrNull(RunColumn column) => IsNull(column) ? null : Text(column);

    /// <summary>The column's integer (NOT NULL columns).</summary>
    public long Integer(RunColumn column) => _reader.GetInt64(_ordinals[column]);

    /// <summary>The column's 32-bit integer (NOT NULL columns).</summary>
    public int Int32(RunColumn column) => _reader.GetInt32(_ordinals[column]);

    /// <summary>The column's integer, or null.</summary>
    public int? Int32OrNull(RunColumn column) => IsNull(column) ? null : _reader.GetInt32(_ordinals[column]);

    private bool IsNull(RunColumn column) => _reader.IsDBNull(_ordinals[column]);

    /// <summary>The current row as a run; the JSON columns as <see cref="StoredJson"/> reads them.</summary>
    public RunRecord ToRecord() => new()
    {
        Id = Integer(C.Id),
        Task = Text(C.Task),
        TaskFullName = TextOrNull(C.TaskFullName),
        Description = TextOrNull(C.Description),
        LastSeenAt = TextOrNull(C.LastSeenAt) is { } seen ? StoredTime.Parse(seen) : null,
        TaskFile = TextOrNull(C.TaskFile),
        Executor = Text(C.Executor),
        Experiment = TextOrNull(C.Experiment),
        ExperimentRun = TextOrNull(C.ExperimentRun),
        Status = StoredTime.Status(Text(C.Status)),
        ExitCode = Int32OrNull(C.ExitCode),
        Signal = Int32OrNull(C.Signal),
        Reason = TextOrNull(C.Reason),
        LaunchFailed = Integer(C.LaunchFailed) != 0,
        StartedAt = StoredTime.Parse(Text(C.StartedAt)),
        EndedAt = TextOrNull(C.EndedAt) is { } ended ? StoredTime.Parse(ended) : null,
        Host = Text(C.Host),
        RunnerPid = Int32(C.RunnerPid),
        TaskPid = Int32OrNull(C.TaskPid),
        Command = StoredJson.ReadList(TextOrNull(C.Command)),
        Parameters = StoredJson.ReadMap(TextOrNull(C.Parameters)),
        Environment = StoredJson.ReadEnvironment(TextOrNull(C.Environment)),
        Summary = StoredJson.ReadMap(TextOrNull(C.Summary)),
        Payload = StoredJson.ReadValue(TextOrNull(C.Payload)),
        Metadata = StoredJson.ReadValues(TextOrNull(C.Metadata)),
        Details = StoredJson.ReadMap(TextOrNull(C.Details)),
        Communicators = StoredJson.ReadList(TextOrNull(C.Communicators)),
        LogPath = TextOrNull(C.LogPath),
        WorkDirectory = TextOrNull(C.WorkDirectory),
        ReportPath = TextOrNull(C.ReportPath),
        Undelivered = StoredJson.ReadUndelivered(TextOrNull(C.Undelivered)),
        HookErrors = StoredJson.ReadHookErrors(TextOrNull(C.HookErrors)),
    };
}
