using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lute.Contracts;
using Lute.Hooks.Support;
using Microsoft.Extensions.Logging;

namespace Lute.Hooks.WorkflowManager;

/// <summary>
/// Reports to a workflow manager, as LUTE does: status changes to <c>POST /status</c>
/// (<c>{"managed_task", "task", "status", "executor_hostname"}</c>), log lines to <c>POST /log</c>, and a task's
/// <c>RUNNING_TASKS</c> request answered with the manager's <c>GET /tasks</c>. Does nothing when no manager is
/// configured (no <c>url</c> setting and no <c>LUTE_MANAGER_URL</c>).
/// </summary>
[LuteComponent("workflow.manager", Description = "reports status and log lines to the workflow manager (LUTE_MANAGER_URL) and answers RUNNING_TASKS", Settings = typeof(WorkflowManagerOptions))]
internal sealed partial class WorkflowManagerHook : IHook, IRequestHandler, IDisposable
{
    private const string RunningTasks = "RUNNING_TASKS";
    private readonly WorkflowManagerOptions _options;
    private readonly Uri? _manager;
    private readonly HttpDelivery _http;

    // Hooks are built for one run and called one event at a time.
    private bool _runningPosted;

    public WorkflowManagerHook(PluginSettings settings, ILogger<WorkflowManagerHook> logger)
    {
        _options = HookSettings.Bind<WorkflowManagerOptions>(settings);
        _manager = ManagerAddress(_options);
        _http = new HttpDelivery(_options.Http, logger, $"lute-workflow-manager/{typeof(WorkflowManagerHook).Assembly.GetName().Version}");
        if (_manager is null)
        {
            LogNoManager(logger, _options.UrlEnv);
        }
    }

    public async ValueTask OnEventAsync(TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken = default)
    {
        if (_manager is null)
        {
            return;
        }

        switch (taskEvent)
        {
            case TaskLaunchedEvent:
                // As LUTE's executor and its default "task_started" hook: STARTED when submitted, then RUNNING, once
                // (a plain command never sends TASK_STARTED).
                await StatusAsync("STARTED", taskEvent, context, null, cancellationToken).ConfigureAwait(false);
                _runningPosted = true;
                await StatusAsync("RUNNING", taskEvent, context, null, cancellationToken).ConfigureAwait(false);
                break;
            case TaskMessageEvent { Message.Signal: TaskSignals.Started } when !_runningPosted:
                // Only when the binding does not receive "launched".
                _runningPosted = true;
                await StatusAsync("RUNNING", taskEvent, context, null, cancellationToken).ConfigureAwait(false);
                break;
            case TaskMessageEvent { Message: { Signal: TaskSignals.Metadata, Contents: { ValueKind: JsonValueKind.Object } metadata } }:
                // The manager updates a task's metadata with any status report that carries it.
                await StatusAsync("RUNNING", taskEvent, context, metadata, cancellationToken).ConfigureAwait(false);
                break;
            case TaskMessageEvent { Message.Signal: TaskSignals.Stopped }:
                await StatusAsync("STOPPED", taskEvent, context, null, cancellationToken).ConfigureAwait(false);
                break;
            case TaskMessageEvent { Message: { Signal: TaskSignals.Result, Contents: var contents } }:
                await LogAsync(contents.GetRawText(), taskEvent, context, cancellationToken).ConfigureAwait(false);
                break;
            case TaskStatusEvent status:
                await StatusAsync(EventJson.Status(status.Status), taskEvent, context, null, cancellationToken).ConfigureAwait(false);
                break;
            case LogLineEvent line:
                await LogAsync(line.Text, taskEvent, context, cancellationToken).ConfigureAwait(false);
                break;
            case RunEndedEvent ended:
                await StatusAsync(EventJson.Status(ended.Result.Status), taskEvent, context, null, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    public async ValueTask<TaskReply?> HandleAsync(TaskMessage request, HookContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var asked = request.Contents switch
        {
            { ValueKind: JsonValueKind.String } text => text.GetString(),
            { ValueKind: JsonValueKind.Object } map when map.TryGetProperty("request", out var name) && name.ValueKind == JsonValueKind.String => name.GetString(),
            _ => null,
        };
        if (asked != RunningTasks)
        {
            return null; // not a question for the manager: another hook may answer it
        }

        if (_manager is null)
        {
            return TaskReply.Refuse($"no workflow manager is configured (set {_options.UrlEnv} or the 'url' setting)");
        }

        var reply = await _http.SendAsync(
            new DeliveryRequest { Method = HttpMethod.Get, Url = new Uri(_manager, "tasks"), Event = HookEvents.Request },
            context,
            cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(reply.Body);
            return TaskReply.Answer(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            return TaskReply.Answer(JsonSerializer.SerializeToElement(reply.Body, ManagerJson.Default.String));
        }
    }

    private Task StatusAsync(string status, TaskEvent taskEvent, HookContext context, JsonElement? metadata, CancellationToken cancellationToken)
    {
        var host = System.Environment.GetEnvironmentVariable(_options.HostnameEnv);
        var body = new JsonObject
        {
            ["managed_task"] = _options.ManagedTask ?? context.Run.TaskName,
            ["task"] = context.Run.TaskName,
            ["status"] = status,
            ["executor_hostname"] = string.IsNullOrEmpty(host) ? context.Run.Host : host,
        };
        if (metadata is { } values)
        {
            foreach (var property in values.EnumerateObject())
            {
                body[property.Name] ??= JsonNode.Parse(property.Value.GetRawText());
            }
        }

        return PostAsync("status", body, taskEvent, context, cancellationToken);
    }

    private Task LogAsync(string message, TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken) =>
        PostAsync("log", new JsonObject { ["managed_task"] = _options.ManagedTask ?? context.Run.TaskName, ["message"] = message }, taskEvent, context, cancellationToken);

    private async Task PostAsync(string endpoint, JsonObject body, TaskEvent taskEvent, HookContext context, CancellationToken cancellationToken)
    {
        var text = body.ToJsonString();
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        await _http.SendAsync(
            new DeliveryRequest
            {
                Url = new Uri(_manager!, endpoint),
                Content = content,
                RecordedBody = text,
                RecordedContentType = "application/json",
                Event = taskEvent.Name,
            },
            context,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The manager's base address with a trailing slash; LUTE's variable holds <c>host:port</c> without a scheme.</summary>
    private static Uri? ManagerAddress(WorkflowManagerOptions options)
    {
        var text = options.Url;
        var key = "url";
        if (string.IsNullOrEmpty(text))
        {
            text = System.Environment.GetEnvironmentVariable(options.UrlEnv);
            key = "url_env";
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (!text.Contains("://", StringComparison.Ordinal))
            {
                text = "http://" + text;
            }
        }

        if (!HttpUrlAttribute.IsValidUrl(text))
        {
            throw new HookSettingsException(key, $"gives '{text}', which is not an http address (host:port or http://host:port)");
        }

        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "No workflow manager configured ({Variable} is not set and there is no 'url' setting): workflow.manager does nothing")]
    private static partial void LogNoManager(ILogger logger, string variable);
}

/// <summary>Source-generated JSON for the few values this pack serialises.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class ManagerJson : System.Text.Json.Serialization.JsonSerializerContext;
