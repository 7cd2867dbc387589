using Lute.Host.Configuration;
using Npgsql;

namespace Lute.Host.Store;

/// <summary>Opens the result store a configuration names: its SQLite file, or its PostgreSQL server.</summary>
public static class RunStores
{
    /// <summary>True when the store can be read now without creating it (a SQLite file that exists, or a server).</summary>
    /// <param name="config">The configuration.</param>
    public static bool Exists(HostConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.StoreConnection is not null || File.Exists(config.StorePath);
    }

    /// <summary>Opens the store; a SQLite store is created when <paramref name="create"/>, with the configured mode.</summary>
    /// <param name="config">The configuration.</param>
    /// <param name="create">Create a missing SQLite store (and its folders).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="StoreException">The store cannot be opened.</exception>
    public static async Task<IRunRecorder> OpenAsync(HostConfiguration config, bool create, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.StoreConnection is { } connection
            ? await OpenPostgresAsync(config, connection, cancellationToken).ConfigureAwait(false)
            : await SqliteRunRecorder.OpenAsync(config.StorePath, create ? config.StoreMode : null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Only this method names Npgsql's types: a SQLite run never loads it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task<IRunRecorder> OpenPostgresAsync(HostConfiguration config, string connection, CancellationToken cancellationToken)
    {
        if (config.StorePasswordFile is { } file)
        {
            string password;
            try
            {
                password = (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot read the password of the result store {config.StorePath} from '{file}' ('password_file' under 'store:'): {e.Message}", e);
            }

            connection = new NpgsqlConnectionStringBuilder(connection) { Password = password }.ConnectionString;
        }

        return await PostgresRunRecorder.OpenAsync(connection, cancellationToken).ConfigureAwait(false);
    }
}
