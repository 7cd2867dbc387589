using System.Threading.Channels;
using Lute.Contracts;

namespace Lute.Host.Running;

/// <summary>
/// The one channel every communicator writes into and the runner's dispatcher reads from. It is bounded: a task that
/// floods waits for the runner (back-pressure) rather than the runner's memory growing; nothing is dropped.
/// </summary>
internal sealed class RunEventBus : ITaskEventSink
{
    private readonly Channel<Item> _channel = Channel.CreateBounded<Item>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Events published after the bus was completed (a process that outlived the drain limit).</summary>
    public long Late => Interlocked.Read(ref _late);

    private long _late;

    public ValueTask PublishAsync(TaskEvent taskEvent, CancellationToken cancellationToken = default)
    {
        // Most events find room at once: no state machine for them.
        var written = WriteAsync(new Item(taskEvent, null), cancellationToken);
        if (written.IsCompletedSuccessfully)
        {
            if (!written.Result)
            {
                Interlocked.Increment(ref _late);
            }

            return ValueTask.CompletedTask;
        }

        return CountLateAsync(written);
    }

    private async ValueTask CountLateAsync(ValueTask<bool> written)
    {
        if (!await written.ConfigureAwait(false))
        {
            Interlocked.Increment(ref _late);
        }
    }

    public async Task<TaskReply> RequestAsync(TaskMessage request, CancellationToken cancellationToken = default)
    {
        var reply = new TaskCompletionSource<TaskReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!await WriteAsync(new Item(new TaskMessageEvent(DateTimeOffset.UtcNow, request), reply), cancellationToken).ConfigureAwait(false))
        {
            return TaskReply.Refuse("the run has ended");
        }

        return await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<bool> WriteAsync(Item item, CancellationToken cancellationToken) =>
        _channel.Writer.TryWrite(item) ? ValueTask.FromResult(true) : WaitAndWriteAsync(item, cancellationToken);

    private async ValueTask<bool> WaitAndWriteAsync(Item item, CancellationToken cancellationToken)
    {
        while (await _channel.Writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_channel.Writer.TryWrite(item))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Feeds every event to <paramref name="handler"/>, in order, until the bus is completed and empty.</summary>
    public async Task ConsumeAsync(Func<TaskEvent, TaskCompletionSource<TaskReply>?, ValueTask> handler)
    {
        await foreach (var item in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await handler(item.Event, item.Reply).ConfigureAwait(false);
        }
    }

    /// <summary>No more events will be accepted.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private readonly record struct Item(TaskEvent Event, TaskCompletionSource<TaskReply>? Reply);
}
