using System.Net;
using Lute.Contracts;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Lute.Hooks.Support;

/// <summary>
/// The one resilient HTTP client of a hook: each request gets a time limit per attempt, retries with exponential
/// backoff for transient failures (no connection, timeouts, 408, 429, 5xx; Retry-After is honoured) and a bound on
/// its total time; after repeated failures the service is taken as down for a while and requests fail at once. A
/// request that is not delivered is recorded with the run through <see cref="HookContext.Undelivered"/>, and a
/// <see cref="DeliveryException"/> tells the hook. Never logs headers or bodies.
/// </summary>
public sealed partial class HttpDelivery : IDisposable
{
    private static readonly HttpRequestOptionsKey<int[]> AttemptsKey = new("lute.attempts");
    private readonly HttpClient _client;
    private readonly ILogger _logger;
    private readonly HttpDeliveryOptions _options;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Time limits and retries.</param>
    /// <param name="logger">Where retries and failures are logged.</param>
    /// <param name="userAgent">The User-Agent header, for example the pack's name and version.</param>
    public HttpDelivery(HttpDeliveryOptions options, ILogger logger, string userAgent = "lute")
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.TotalTimeout.Value });
        if (options.Retries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryDelay.Value,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    LogRetry(_logger, args.AttemptNumber + 1, options.Retries, Describe(args.Outcome), args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = 1.0,
            MinimumThroughput = options.BreakAfter,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = options.BreakDuration.Value,
        });
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout.Value });
        var pipeline = builder.Build();
        var sockets = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = options.AttemptTimeout.Value };
        _client = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = new AttemptCounter { InnerHandler = sockets } })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
    }

    /// <summary>Sends a request; on failure records it as undelivered and throws.</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The hook's context: where an undelivered request is recorded.</param>
    /// <param name="cancellationToken">The hook's time limit.</param>
    /// <returns>The answer (any 2xx status).</returns>
    /// <exception cref="DeliveryException">It could not be delivered, or the service answered with an error status.</exception>
    public async Task<DeliveryResponse> SendAsync(DeliveryRequest request, HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var attempts = new int[1];
        using var message = new HttpRequestMessage(request.Method, request.Url) { Content = request.Content };
        message.Options.Set(AttemptsKey, attempts);
        foreach (var (name, value) in request.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        string error;
        Exception? cause = null;
        try
        {
            using var response = await _client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return new DeliveryResponse(response.StatusCode, body, attempts[0]);
            }

            error = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{Excerpt(body)}";
        }
        catch (BrokenCircuitException e)
        {
            cause = e;
            error = $"not sent: the service failed {_options.BreakAfter} attempts in a row and is taken as down for {_options.BreakDuration}";
        }
        catch (TimeoutRejectedException e)
        {
            cause = e;
            error = $"no answer in time (each attempt may take {_options.AttemptTimeout}, the request with its retries {_options.TotalTimeout})";
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            cause = e;
            error = "abandoned: the hook's time limit was reached";
        }
        catch (HttpRequestException e)
        {
            cause = e;
            error = $"cannot reach the service: {e.Message}";
        }

        Record(request, context, error, attempts[0]);
        if (cause is OperationCanceledException)
        {
            throw cause;
        }

        throw new DeliveryException($"{request.Method} {Redact(request.Url)} failed after {attempts[0]} attempt(s): {error}", cause);
    }

    /// <summary>Records a request that was delivered but whose answer the hook refuses (for example <c>success: false</c>).</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The hook's context.</param>
    /// <param name="error">Why the answer is refused.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <returns>An exception for the hook to throw.</returns>
    public static DeliveryException Refused(DeliveryRequest request, HookContext context, string error, int attempts)
    {
        ArgumentNullException.ThrowIfNull(request);
        Record(request, context, error, attempts);
        return new DeliveryException($"{request.Method} {Redact(request.Url)} was refused: {error}");
    }

    /// <summary>Records a request that could not even be attempted (for example a missing address in the environment).</summary>
    /// <param name="request">The request.</param>
    /// <param name="context">The hook's context.</param>
    /// <param name="error">Why it was not attempted.</param>
    public static void RecordNotSent(DeliveryRequest request, HookContext context, string error)
    {
        ArgumentNullException.ThrowIfNull(request);
        Record(request, context, error, 0);
    }

    /// <summary>The URL without credentials, as it may be logged and recorded.</summary>
    /// <param name="url">A URL.</param>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.IsNullOrEmpty(url.UserInfo))
        {
            return url.ToString();
        }

        return new UriBuilder(url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();
    }

    private static void Record(DeliveryRequest request, HookContext context, string error, int attempts)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Undelivered?.Record(new UndeliveredPost
        {
            Timestamp = DateTimeOffset.UtcNow,
            Event = request.Event,
            Method = request.Method.Method,
            Destination = Redact(request.Url),
            ContentType = request.RecordedContentType,
            Body = request.RecordedBody,
            Error = error,
            Attempts = attempts,
        });
    }

    private static string Excerpt(string body)
    {
        var text = body.ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? string.Empty : $": {(text.Length > 200 ? text[..200] + "..." : text)}";
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e ? e.Message : $"HTTP {(int)outcome.Result!.StatusCode}";

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Retry {Attempt} of {Retries} after {Outcome}, in {Seconds:0.###}s")]
    private static partial void LogRetry(ILogger logger, int attempt, int retries, string outcome, double seconds);

    /// <summary>Counts the attempts of one request (it sits under the retry strategy).</summary>
    private sealed class AttemptCounter : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Options.TryGetValue(AttemptsKey, out var attempts))
            {
                Interlocked.Increment(ref attempts[0]);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
