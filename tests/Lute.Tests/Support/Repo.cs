namespace Lute.Tests.Support;

/// <summary>Where the repository and its build outputs are.</summary>
internal static class Repo
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Lute.Plugins.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find Lute.Plugins.sln above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string Out => Path.Combine(Root, "out");

    /// <summary>The built command line (an apphost).</summary>
    public static string Lute => Path.Combine(Out, "lute", "lute");

    public static string LuteDirectory => Path.Combine(Out, "lute");

    public static string Plugin(string name) => Path.Combine(Out, "plugins", name);

    public static string TestPlugin(string name) => Path.Combine(Out, "test-plugins", name);

    public static string TestTask => Path.Combine(Out, "test-task", "Lute.TestTask");

    public static string PythonClient => Path.Combine(Root, "src", "clients", "python");
}
