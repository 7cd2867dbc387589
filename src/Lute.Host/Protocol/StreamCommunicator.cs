using System.Text;
using Lute.Contracts;

namespace Lute.Host.Protocol;

/// <summary>Turns the task's standard output and error into log events, line by line, losing none.</summary>
internal sealed class StreamCommunicator : ICommunicator
{
    public ValueTask<ICommunicatorSession> OpenAsync(CommunicatorContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ICommunicatorSession>(new Session(context));

    private sealed class Session(CommunicatorContext context) : ICommunicatorSession
    {
        private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
        private readonly CancellationTokenSource _stop = new();
        private Task _readers = Task.CompletedTask;

        public string Description => "standard output and error";

        public IReadOnlyDictionary<string, string> TaskEnvironment { get; } = new Dictionary<string, string>();

        public ValueTask AttachAsync(IExecution execution, CancellationToken cancellationToken = default)
        {
            var labels = RankLabels.Of(execution);
            _readers = Task.WhenAll(
                ReadAsync(execution.StandardOutput, LogSource.StandardOutput, labels),
                ReadAsync(execution.StandardError, LogSource.StandardError, labels));
            return ValueTask.CompletedTask;
        }

        private Task ReadAsync(Stream stream, LogSource source, RankLabels labels) =>
            Task.Run(async () =>
            {
                try
                {
                    await LineReader.ReadAsync(
                        stream,
                        ProtocolConstants.MaxLineBytes,
                        OversizedLines.Split,
                        line =>
                        {
                            var (rank, text) = labels.Parse(Utf8.GetString(line));
                            return context.Events.PublishAsync(new LogLineEvent(DateTimeOffset.UtcNow, source, text, rank), _stop.Token);
                        },
                        onOversized: null,
                        _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException)
                {
                    // The run is being torn down (a leftover process kept the pipe open past the drain limit).
                }
            });

        public Task DrainAsync(CancellationToken cancellationToken = default) => _readers.WaitAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _readers.ConfigureAwait(false);
            _stop.Dispose();
        }
    }
}
