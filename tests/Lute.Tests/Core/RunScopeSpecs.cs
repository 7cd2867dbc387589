using Lute.Host.Running;

namespace Lute.Tests.Core;

public sealed class RunScopeSpecs
{
    [Fact]
    public async Task What_a_run_acquired_is_released_in_reverse_order()
    {
        var released = new List<string>();
        var scope = new RunScope();
        foreach (var name in new[] { "log", "bus", "hooks", "sessions", "execution" })
        {
            scope.Own(name, n => Note(released, n));
        }

        await scope.DisposeAsync();

        Assert.Equal(["execution", "sessions", "hooks", "bus", "log"], released);
    }

    [Fact]
    public async Task Every_release_is_attempted_when_some_fail_and_the_failures_are_thrown_together()
    {
        var released = new List<string>();
        var scope = new RunScope();
        scope.Own("first", n => Note(released, n));
        scope.Own("second", _ => throw new IOException("disk gone"));
        scope.Own("third", n => Note(released, n));
        scope.Own("fourth", _ => throw new InvalidOperationException("already closed"));

        var error = await Assert.ThrowsAsync<AggregateException>(async () => await scope.DisposeAsync());

        Assert.Equal(["third", "first"], released);
        Assert.Equal(["already closed", "disk gone"], error.InnerExceptions.Select(e => e.Message));
    }

    [Fact]
    public async Task A_resource_released_early_is_not_released_again()
    {
        var released = new List<string>();
        var scope = new RunScope();
        var execution = scope.Own("execution", n => Note(released, n));
        scope.Own("pin", n => Note(released, n));

        await execution.ReleaseAsync();
        await execution.ReleaseAsync();
        await scope.DisposeAsync();

        Assert.Equal(["execution", "pin"], released);
    }

    private static ValueTask Note(List<string> released, string name)
    {
        released.Add(name);
        return ValueTask.CompletedTask;
    }
}
