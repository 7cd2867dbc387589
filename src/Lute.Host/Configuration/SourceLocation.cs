namespace Lute.Host.Configuration;

/// <summary>A place in a configuration file, for error messages.</summary>
/// <param name="File">The file's path as the user gave it.</param>
/// <param name="Line">The line, from 1.</param>
/// <param name="Column">The column, from 1.</param>
public sealed record SourceLocation(string File, long Line, long Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
