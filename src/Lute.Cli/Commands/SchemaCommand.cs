using System.CommandLine;
using Lute.Host.Running;

namespace Lute.Cli.Commands;

/// <summary>
/// <c>lute schema task|config</c>: prints the JSON Schema of task files or of plugins.yaml, for editors
/// (yaml-language-server: <c># yaml-language-server: $schema=PATH</c>) and checkers. The same files ship in
/// <c>schemas/</c> beside the program.
/// </summary>
internal static class SchemaCommand
{
    /// <summary>The schemas by the name the command takes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Resources = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["task"] = "lute.schemas.task.schema.json",
        ["config"] = "lute.schemas.config.schema.json",
    };

    public static Command Create()
    {
        var which = new Argument<string>("kind") { Description = "task (task files) or config (plugins.yaml)" };
        which.AcceptOnlyFromAmong([.. Resources.Keys]);
        var command = new Command("schema", "Prints the JSON Schema of task files (task) or of plugins.yaml (config), for editors and checkers")
        {
            which,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await Console.Out.WriteAsync(await ReadAsync(parsed.GetValue(which)!, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            return ExitCodes.Completed;
        });
        return command;
    }

    /// <summary>The text of a schema.</summary>
    public static async Task<string> ReadAsync(string kind, CancellationToken cancellationToken)
    {
        await using var stream = typeof(SchemaCommand).Assembly.GetManifestResourceStream(Resources[kind])
            ?? throw new InvalidOperationException($"the {kind} schema is not embedded in lute");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
