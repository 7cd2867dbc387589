using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Lute.Hooks.Support;
using Microsoft.Extensions.Configuration;

namespace Lute.Hooks.WorkflowManager;

/// <summary>The settings of <c>workflow.manager</c>.</summary>
internal sealed class WorkflowManagerOptions
{
    [Description("The manager's address; when absent, the environment variable named by url_env gives it.")]
    [HttpUrl]
    public string? Url { get; set; }

    [Description("The environment variable with the manager's address (host:port or a URL), as LUTE reads it.")]
    [ConfigurationKeyName("url_env")]
    [Required]
    public string UrlEnv { get; set; } = "LUTE_MANAGER_URL";

    [Description("The name the manager knows the task by; the task's name when absent.")]
    [ConfigurationKeyName("managed_task")]
    public string? ManagedTask { get; set; }

    [Description("The environment variable with the executor's host name reported to the manager; the runner's host when unset.")]
    [ConfigurationKeyName("hostname_env")]
    public string HostnameEnv { get; set; } = "LUTE_EXECUTOR_HOST";

    [Description("Time limits and retries.")]
    public HttpDeliveryOptions Http { get; set; } = new();
}
