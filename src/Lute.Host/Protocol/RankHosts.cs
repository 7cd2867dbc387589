using System.Collections.Concurrent;

namespace Lute.Host.Protocol;

/// <summary>
/// The host each rank connects from, as its TCP handshake says, so that the run's log can name the node of a rank's
/// lines. Written by the connections, read by the run's one consumer.
/// </summary>
internal sealed class RankHosts
{
    private readonly ConcurrentDictionary<int, string> _hosts = new();

    /// <summary>Notes the host a rank connected from (the first one it names wins).</summary>
    /// <param name="rank">The rank.</param>
    /// <param name="host">Its host.</param>
    public void Record(int rank, string host)
    {
        if (host.Length > 0)
        {
            _hosts.TryAdd(rank, host);
        }
    }

    /// <summary>The host of a rank, or null when it has not connected (or did not say).</summary>
    /// <param name="rank">The rank.</param>
    public string? Of(int rank) => _hosts.TryGetValue(rank, out var host) ? host : null;

    /// <summary>Every host a rank connected from, sorted.</summary>
    public IReadOnlyList<string> All => [.. _hosts.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
