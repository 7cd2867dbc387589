namespace Lute.Host.Protocol;

/// <summary>
/// The Python client that ships with lute (<c>python/lute_task.py</c> beside the program): its folder is handed to
/// every task in <see cref="Variable"/> and is the template value <c>{{ lute.python_client }}</c>, so that a task
/// file can put it on <c>PYTHONPATH</c> without knowing where lute is installed.
/// </summary>
internal static class ShippedPythonClient
{
    /// <summary>The variable that names the client's folder in the task's environment.</summary>
    public const string Variable = "LUTE_PYTHON_CLIENT";

    /// <summary>The name of the built-in template value (<c>{{ lute.python_client }}</c>).</summary>
    public const string TemplateName = "python_client";

    /// <summary>The folder that holds <c>lute_task.py</c>.</summary>
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "python");
}
