using Npgsql;

namespace Lute.Host.Store;

/// <summary>The requests other hosts make of the run: claimed on each wake, handed to the runner's listener.</summary>
internal sealed partial class PostgresRunPresence
{
    /// <summary>On each wake, marks the run's open requests answered and hands them to the listener, oldest first.</summary>
    private async Task ClaimAsync()
    {
        var token = _ending.Token;
        try
        {
            await foreach (var _ in _wakes.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                if (Current() is not { } listener)
                {
                    continue;
                }

                IReadOnlyList<RunControlRequest> requests;
                try
                {
                    requests = await ClaimOpenAsync(token).ConfigureAwait(false);
                }
                catch (Exception e) when (!token.IsCancellationRequested && e is NpgsqlException or IOException or TimeoutException)
                {
                    Problem($"the requests for this run cannot be read from the result store: {e.Message}");
                    continue;
                }

                foreach (var request in requests)
                {
                    try
                    {
                        await listener.HandleAsync(request).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or IOException)
                    {
                        Problem($"'{request.Verb}' from {request.AskedBy} could not be applied: {e.Message}");
                    }
                }
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // the run ended
        }
    }

    private async Task<IReadOnlyList<RunControlRequest>> ClaimOpenAsync(CancellationToken token)
    {
        await using var connection = await _pool.OpenConnectionAsync(token).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "UPDATE run_requests SET answered_at = @now WHERE run_id = @id AND answered_at IS NULL RETURNING id, verb, asked_by, asked_at;", connection);
        command.Parameters.AddWithValue("now", StoredTime.Format(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("id", RunId);
        var claimed = new List<(long Id, RunControlRequest Request)>();
        await using (var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                claimed.Add((reader.GetInt64(0), new RunControlRequest(reader.GetString(1), reader.GetString(2), StoredTime.Parse(reader.GetString(3)))));
            }
        }

        return [.. claimed.OrderBy(c => c.Id).Select(c => c.Request)];
    }

    private Listener? Current()
    {
        lock (_gate)
        {
            return _listener;
        }
    }

    private void Problem(string what) => Current()?.Problem(what);

    private void Detach(Listener listener)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_listener, listener))
            {
                _listener = null;
            }
        }
    }

    /// <summary>The runner's side of <see cref="Listen"/>.</summary>
    private sealed class Listener(PostgresRunPresence presence, Func<RunControlRequest, ValueTask> onRequest, Action<string> onProblem) : IDisposable
    {
        public ValueTask HandleAsync(RunControlRequest request) => onRequest(request);

        public void Problem(string what) => onProblem(what);

        public void Dispose() => presence.Detach(this);
    }
}
