using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace Lute.Tests.Support;

/// <summary>
/// The private PostgreSQL 15 cluster the result store's PostgreSQL tests run against, which scripts/postgres-up.sh
/// starts (./test.sh runs it) on 127.0.0.1 with the roles <see cref="Owner"/>, <see cref="Writer"/> and
/// <see cref="Reader"/>. Its state directory is $LUTE_POSTGRES_DIR (default /var/tmp/lute-postgres). When the cluster is
/// not there or does not answer, these tests fail with that instruction; they never skip.
/// </summary>
internal static class PostgresServer
{
    /// <summary>Owns the test databases and may create databases.</summary>
    public const string Owner = "lute_owner";

    /// <summary>Reads and writes the rows of the tables the owner creates.</summary>
    public const string Writer = "lute_writer";

    /// <summary>Only reads them.</summary>
    public const string Reader = "lute_reader";

    /// <summary>The address the cluster listens on (TCP; password authentication, scram-sha-256).</summary>
    public const string Host = "127.0.0.1";

    private const string DefaultDirectory = "/var/tmp/lute-postgres";
    private const string StartIt = "run scripts/postgres-up.sh as root (./test.sh does)";
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Settings = new(ReadSettings);

    /// <summary>The state directory scripts/postgres-up.sh wrote.</summary>
    public static string Directory =>
        System.Environment.GetEnvironmentVariable("LUTE_POSTGRES_DIR") is { Length: > 0 } dir ? dir : DefaultDirectory;

    /// <summary>The TCP port, as the cluster's env file gives it.</summary>
    public static int Port
    {
        get
        {
            var text = Setting("LUTE_POSTGRES_PORT");
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                ? port
                : throw NotThere($"{EnvFile} gives LUTE_POSTGRES_PORT as '{text}', not a port number");
        }
    }

    /// <summary>A libpq password file (lines <c>127.0.0.1:PORT:*:ROLE:PASSWORD</c>) with every role's password.</summary>
    public static string PassFile
    {
        get
        {
            var path = Path.Combine(Directory, "pgpass");
            return File.Exists(path) ? path : throw NotThere($"there is no password file {path}");
        }
    }

    private static string EnvFile => Path.Combine(Directory, "env");

    /// <summary>The password of one of the cluster's roles.</summary>
    public static string Password(string role)
    {
        var path = Path.Combine(Directory, role + ".password");
        if (!File.Exists(path))
        {
            throw NotThere($"there is no password file {path} for the role {role}");
        }

        var password = File.ReadAllText(path).Trim();
        return password.Length > 0 ? password : throw NotThere($"the password file {path} is empty");
    }

    /// <summary>An Npgsql connection string for a role and a database, over TCP, with the role's password, unpooled.</summary>
    public static string ConnectionString(string role, string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = role,
            Password = Password(role),
            Database = database,
            Pooling = false,
            Timeout = 10,
            CommandTimeout = 30,
        }.ConnectionString;

    /// <summary>
    /// Creates a fresh database <c>lute_test_HEX</c> owned by <see cref="Owner"/>: the writer may connect, create
    /// temporary tables and use and create in schema public; the reader may connect and use schema public. Tables the
    /// owner creates later in schema public are readable by the reader and readable and writable by the writer; its
    /// sequences are usable by the writer. Dispose the result to drop the database.
    /// </summary>
    public static async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var name = "lute_test_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        await using (var server = await OpenAsync(Owner, "lute"))
        {
            await ExecuteAsync(server, $"CREATE DATABASE \"{name}\" OWNER {Owner} ENCODING 'UTF8'");
        }

        var database = new PostgresDatabase(name);
        try
        {
            await using var connection = await OpenAsync(Owner, name);
            await ExecuteAsync(connection, $"""
                REVOKE ALL ON DATABASE "{name}" FROM PUBLIC;
                GRANT CONNECT, TEMPORARY ON DATABASE "{name}" TO {Writer};
                GRANT CONNECT ON DATABASE "{name}" TO {Reader};
                GRANT USAGE, CREATE ON SCHEMA public TO {Writer};
                GRANT USAGE ON SCHEMA public TO {Reader};
                ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} IN SCHEMA public GRANT SELECT ON TABLES TO {Reader};
                ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {Writer};
                ALTER DEFAULT PRIVILEGES FOR ROLE {Owner} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {Writer};
                """);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>An open connection as a role to a database; a cluster that does not answer fails with what to do.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string role, string database)
    {
        var connection = new NpgsqlConnection(ConnectionString(role, database));
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            await connection.DisposeAsync();
            throw NotThere($"the cluster does not answer on {Host}:{Port} ({e.Message})", e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs SQL that returns no rows.</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Setting(string name) =>
        Settings.Value.TryGetValue(name, out var value) ? value : throw NotThere($"{EnvFile} does not set {name}");

    // The env file is one line: export NAME=VALUE NAME=VALUE ... (values without spaces).
    private static IReadOnlyDictionary<string, string> ReadSettings()
    {
        if (!File.Exists(EnvFile))
        {
            throw NotThere($"there is no {EnvFile}");
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in File.ReadAllText(EnvFile).Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                settings[word[..equals]] = word[(equals + 1)..];
            }
        }

        return settings;
    }

    private static InvalidOperationException NotThere(string what, Exception? inner = null) =>
        new($"The PostgreSQL test cluster in {Directory} is not ready: {what}; {StartIt}.", inner);
}

/// <summary>A database of the test cluster made for one test; disposing it drops it, ending its open sessions.</summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private int _disposed;

    public PostgresDatabase(string name) => Name = name;

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>An Npgsql connection string to this database for a role (<see cref="PostgresServer.Owner"/>, ...).</summary>
    public string ConnectionString(string role) => PostgresServer.ConnectionString(role, Name);

    /// <summary>An open connection to this database as a role.</summary>
    public Task<NpgsqlConnection> OpenAsync(string role) => PostgresServer.OpenAsync(role, Name);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await using var server = await PostgresServer.OpenAsync(PostgresServer.Owner, "lute");
        await PostgresServer.ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }
}
