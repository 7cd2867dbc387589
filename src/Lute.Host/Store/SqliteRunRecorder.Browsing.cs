using System.Globalization;
using System.Text;
using Lute.Contracts;
using Microsoft.Data.Sqlite;
using C = Lute.Host.Store.RunColumns;

namespace Lute.Host.Store;

public sealed partial class SqliteRunRecorder : IRunBrowser
{
    /// <inheritdoc />
    public async Task<RunPage> PageAsync(RunFilter filter, long? before, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var (where, parameters) = Where(filter, before is { } id ? ($"{C.Id.Name} < $before", [("$before", id)]) : null);
        // One more than the page: whether there is an older page is then known without counting.
        var runs = await QueryAsync(where, limit + 1, parameters, cancellationToken).ConfigureAwait(false);
        return runs.Count > limit ? new RunPage(runs.Take(limit).ToList(), runs[limit - 1].Id) : new RunPage(runs, null);
    }

    /// <inheritdoc />
    public Task<long> CountAsync(RunFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, parameters) = Where(filter, null);
        return GuardAsync("count runs", async () =>
        {
            await using var command = Command($"SELECT count(*) FROM runs {where};", parameters);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<RunRecord>> NewerOrAsync(RunFilter filter, long after, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(ids);
        var (where, parameters) = Where(filter, ($"({C.Id.Name} > $after{InList(ids)})", [("$after", after)]));
        return QueryAsync(where, 1000, parameters, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutcomeCount>> OutcomesAsync(RunFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, parameters) = Where(filter, null);
        return GuardAsync("count outcomes", async () =>
        {
            await using var command = Command(
                // NOT INDEXED: one pass over the table; through the task index, each row would be a random read (4x slower).
                $"SELECT {C.Task.Name}, {C.Status.Name}, count(*) FROM runs NOT INDEXED {where} GROUP BY {C.Task.Name}, {C.Status.Name} ORDER BY {C.Task.Name}, {C.Status.Name};",
                parameters);
            var list = new List<OutcomeCount>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                list.Add(new OutcomeCount(reader.GetString(0), ParseStatus(reader.GetString(1)), reader.GetInt64(2)));
            }

            return (IReadOnlyList<OutcomeCount>)list;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunDuration>> DurationsAsync(RunFilter filter, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, parameters) = Where(filter, ($"{C.EndedAt.Name} IS NOT NULL", []));
        var list = await ReadDurationsAsync($"{where} ORDER BY {C.Id.Name} DESC LIMIT {limit.ToString(CultureInfo.InvariantCulture)}", parameters, cancellationToken)
            .ConfigureAwait(false);
        return list.Reverse().ToList();
    }

    /// <inheritdoc />
    public Task<RunsSince> SinceAsync(long after, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return GuardAsync("read runs", async () =>
        {
            await using var command = Command(
                $"SELECT {C.Id.Name}, {C.Task.Name}, {C.Status.Name}, {C.StartedAt.Name}, {C.EndedAt.Name} FROM runs WHERE {C.Id.Name} > $after{InList(ids)} ORDER BY {C.Id.Name};",
                [("$after", after)]);
            var ended = new List<RunDuration>();
            var unfinished = new List<long>();
            var newest = after;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetInt64(0);
                newest = Math.Max(newest, id);
                if (reader.IsDBNull(4))
                {
                    unfinished.Add(id);
                    continue;
                }

                var started = Parse(reader.GetString(3));
                ended.Add(new RunDuration(id, reader.GetString(1), ParseStatus(reader.GetString(2)), started, Math.Max(0, (Parse(reader.GetString(4)) - started).TotalSeconds)));
            }

            return new RunsSince(ended, unfinished, newest);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A writer appends its frames to the -wal file (which is what wakes a viewer), then publishes the commit in the
    /// shared-memory index, which no file event shows; a read in between still sees the store without it, and if it
    /// was the last write, nothing would wake the viewer again. Taking the write lock and giving it back at once
    /// waits (busy timeout) for the writer that holds it to finish, so the read that follows sees its commit.
    /// </remarks>
    public Task SettleAsync(CancellationToken cancellationToken) =>
        GuardAsync("read runs", async () =>
        {
            await ExecuteAsync(_connection, "BEGIN IMMEDIATE; ROLLBACK;", cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<RunStatus, long>> StatusCountsAsync(CancellationToken cancellationToken) =>
        GuardAsync("count runs", async () =>
        {
            await using var command = Command($"SELECT {C.Status.Name}, count(*) FROM runs GROUP BY {C.Status.Name};", []);
            var counts = new Dictionary<RunStatus, long>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var status = ParseStatus(reader.GetString(0));
                counts[status] = counts.GetValueOrDefault(status) + reader.GetInt64(1);
            }

            return (IReadOnlyDictionary<RunStatus, long>)counts;
        }, cancellationToken);

    private Task<IReadOnlyList<RunDuration>> ReadDurationsAsync(
        string tail, (string Name, object Value)[] parameters, CancellationToken cancellationToken) =>
        GuardAsync("read durations", async () =>
        {
            await using var command = Command(
                $"SELECT {C.Id.Name}, {C.Task.Name}, {C.Status.Name}, {C.StartedAt.Name}, {C.EndedAt.Name} FROM runs {tail};", parameters);
            var list = new List<RunDuration>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var started = Parse(reader.GetString(3));
                var seconds = Math.Max(0, (Parse(reader.GetString(4)) - started).TotalSeconds);
                list.Add(new RunDuration(reader.GetInt64(0), reader.GetString(1), ParseStatus(reader.GetString(2)), started, seconds));
            }

            return (IReadOnlyList<RunDuration>)list;
        }, cancellationToken);

    /// <summary>The WHERE clause of a filter, with one more condition if given; every value is a parameter.</summary>
    private static (string Where, (string Name, object Value)[] Parameters) Where(
        RunFilter filter, (string Condition, (string Name, object Value)[] Parameters)? more)
    {
        var conditions = new List<string>();
        var parameters = new List<(string Name, object Value)>();
        void Add(string condition, string name, object? value)
        {
            if (value is not null)
            {
                conditions.Add(condition);
                parameters.Add((name, value));
            }
        }

        Add($"({C.Task.Name} = $task OR {C.TaskFullName.Name} = $task)", "$task", filter.Task);
        Add($"{C.Experiment.Name} = $experiment", "$experiment", filter.Experiment);
        Add($"{C.Status.Name} = $status", "$status", filter.Status?.ToString());
        Add($"{C.Host.Name} = $host", "$host", filter.Host);
        Add($"{C.StartedAt.Name} >= $from", "$from", filter.From is { } from ? Format(from) : null);
        Add($"{C.StartedAt.Name} < $to", "$to", filter.To is { } to ? Format(to) : null);
        if (more is { } extra)
        {
            conditions.Add(extra.Condition);
            parameters.AddRange(extra.Parameters);
        }

        return (conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions), parameters.ToArray());
    }

    /// <summary><c> OR id IN (1, 2)</c> for the given ids (numbers, written by this code), or nothing.</summary>
    private static string InList(IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return string.Empty;
        }

        var text = new StringBuilder($" OR {C.Id.Name} IN (");
        text.AppendJoin(", ", ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
        return text.Append(')').ToString();
    }

    private SqliteCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        return command;
    }

    private static RunStatus ParseStatus(string text) => StoredTime.Status(text);
}
