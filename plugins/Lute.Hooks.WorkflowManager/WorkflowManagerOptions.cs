using System.ComponentModel.DataAnnotations;
using Lute.Hooks.Support;
using Microsoft.Extensions.Configuration;

namespace Lute.Hooks.WorkflowManager;

/// <summary>The settings of <c>workflow.manager</c>.</summary>
internal sealed class WorkflowManagerOptions
{
    /// <summary>The manager's address; when absent, the environment variable named by <see cref="UrlEnv"/> gives it.</summary>
    [HttpUrl]
    public string? Url { get; set; }

    /// <summary>The environment variable with the manager's address (<c>host:port</c> or a URL), as LUTE reads it.</summary>
    [ConfigurationKeyName("url_env")]
    [Required]
    public string UrlEnv { get; set; } = "LUTE_MANAGER_URL";

    /// <summary>The name the manager knows the task by; the task's name when absent.</summary>
    [ConfigurationKeyName("managed_task")]
    public string? ManagedTask { get; set; }

    /// <summary>The environment variable with the executor's host name reported to the manager; the runner's host when unset.</summary>
    [ConfigurationKeyName("hostname_env")]
    public string HostnameEnv { get; set; } = "LUTE_EXECUTOR_HOST";

    /// <summary>Time limits and retries.</summary>
    public HttpDeliveryOptions Http { get; set; } = new();
}
