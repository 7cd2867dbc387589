using Lute.Contracts;

namespace Lute.Tests.Core;

/// <summary>An executor that launches <see cref="FakeExecution"/>s running a script, or refuses to launch.</summary>
internal sealed class FakeExecutor(FakeScript script) : IExecutor
{
    private readonly List<LaunchRequest> _requests = [];

    /// <summary>When set, every launch fails with this message.</summary>
    public string? Refusal { get; init; }

    /// <summary>When set, the launch throws this (a runner error, not a launch failure).</summary>
    public Exception? Throws { get; init; }

    /// <summary>Details the executor gives each execution at launch.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string> { ["fake"] = "yes" };

    /// <summary>When set, the task's output stays open after its exit (a child holds it), until the execution is disposed.</summary>
    public bool HoldsOutputOpen { get; init; }

    /// <summary>The launches asked for.</summary>
    public IReadOnlyList<LaunchRequest> Requests => _requests;

    /// <summary>The last execution launched.</summary>
    public FakeExecution? Last { get; private set; }

    public Task<IExecution> LaunchAsync(LaunchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        _requests.Add(request);
        if (Throws is not null)
        {
            throw Throws;
        }

        if (Refusal is not null)
        {
            throw new LaunchException("fake", Refusal);
        }

        Last = new FakeExecution(script, request.Environment, Details, HoldsOutputOpen);
        return Task.FromResult<IExecution>(Last);
    }
}
