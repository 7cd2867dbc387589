using Npgsql;

namespace Lute.Host.Configuration;

/// <summary>
/// <c>store: postgresql://USER@HOST:PORT/DATABASE</c> or <c>store: { postgresql: "Host=...;Database=..." }</c>: the
/// PostgreSQL result store. The password is never in plugins.yaml: it comes from PGPASSWORD, a passfile (PGPASSFILE or
/// ~/.pgpass, as libpq reads them), or <c>password_file:</c> beside the address; a password written in the address is
/// refused.
/// </summary>
internal static class PostgresStoreSetting
{
    private const string Fix =
        "write store: postgresql://USER@HOST:PORT/DATABASE (the password in PGPASSWORD, ~/.pgpass or store: { postgresql: ..., password_file: FILE })";

    /// <summary>True when <paramref name="text"/> names a PostgreSQL server rather than a file.</summary>
    public static bool IsAddress(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Npgsql connection string of an address or connection string; a problem is a <see cref="FormatException"/> saying why.</summary>
    public static string ConnectionString(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        if (IsAddress(text))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                throw new FormatException($"'{text}' is not a PostgreSQL address");
            }

            var user = Uri.UnescapeDataString(uri.UserInfo);
            if (user.Contains(':', StringComparison.Ordinal))
            {
                throw new FormatException("the address holds a password, and plugins.yaml must hold none");
            }

            builder = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host.Trim('[', ']'),
                Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : null,
                Username = user.Length > 0 ? user : null,
            };
            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = pair.Split('=', 2) is [var k, var v] ? (Uri.UnescapeDataString(k), Uri.UnescapeDataString(v)) : (pair, string.Empty);
                switch (key)
                {
                    case "sslmode":
                        builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var mode)
                            ? mode
                            : throw new FormatException($"sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full");
                        break;
                    case "application_name":
                        builder.ApplicationName = value;
                        break;
                    default:
                        throw new FormatException($"the address option '{key}' is not one lute reads (sslmode, application_name)");
                }
            }
        }
        else
        {
            try
            {
                builder = new NpgsqlConnectionStringBuilder(text);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"'{text}' is not an Npgsql connection string: {e.Message}", e);
            }

            if (!string.IsNullOrEmpty(builder.Password))
            {
                throw new FormatException("the connection string holds a password, and plugins.yaml must hold none");
            }
        }

        builder.ApplicationName ??= "lute";
        return builder.ConnectionString;
    }

    /// <summary>The fix to show with a problem of the setting.</summary>
    public static string FixText => Fix;
}
