using Lute.Tests.Support;
using Npgsql;

namespace Lute.Tests.Store;

/// <summary>
/// The PostgreSQL test cluster itself (scripts/postgres-up.sh): its version, its roles' privileges in a fresh
/// database, password authentication and the libpq password file.
/// </summary>
public sealed class PostgresServerSpecs
{
    [Fact]
    public async Task The_server_is_PostgreSQL_15()
    {
        await using var connection = await PostgresServer.OpenAsync(PostgresServer.Reader, "lute");
        await using var command = new NpgsqlCommand("SHOW server_version", connection);

        var version = (string?)await command.ExecuteScalarAsync();

        Assert.NotNull(version);
        Assert.StartsWith("15.", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_fresh_database_the_writer_writes_the_owners_table_and_the_reader_only_reads_it()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using (var owner = await database.OpenAsync(PostgresServer.Owner))
        {
            await PostgresServer.ExecuteAsync(owner, "CREATE TABLE results (id bigserial PRIMARY KEY, task text NOT NULL, status text NOT NULL)");
        }

        await using (var writer = await database.OpenAsync(PostgresServer.Writer))
        {
            await PostgresServer.ExecuteAsync(writer, """
                INSERT INTO results (task, status) VALUES ('FindPeaks', 'Running'), ('Index', 'Running');
                UPDATE results SET status = 'Completed' WHERE task = 'FindPeaks';
                DELETE FROM results WHERE task = 'Index';
                """);
        }

        await using var reader = await database.OpenAsync(PostgresServer.Reader);
        await using (var select = new NpgsqlCommand("SELECT task || ' ' || status FROM results ORDER BY id", reader))
        {
            Assert.Equal("FindPeaks Completed", (string?)await select.ExecuteScalarAsync());
        }

        var denied = await Assert.ThrowsAsync<PostgresException>(() =>
            PostgresServer.ExecuteAsync(reader, "INSERT INTO results (task, status) VALUES ('Sneaky', 'Completed')"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Equal("42501", denied.SqlState);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_as_an_invalid_password()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString(PostgresServer.Writer, "lute"))
        {
            Password = "not-" + PostgresServer.Password(PostgresServer.Writer),
        }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal("28P01", refused.SqlState);
    }

    [Fact]
    public async Task The_password_file_gives_the_writers_password()
    {
        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = PostgresServer.Host,
            Port = PostgresServer.Port,
            Username = PostgresServer.Writer,
            Database = "lute",
            Passfile = PostgresServer.PassFile,
            Pooling = false,
            Timeout = 10,
        }.ConnectionString;
        Assert.DoesNotContain("Password=", connectionString, StringComparison.OrdinalIgnoreCase);
        await using var connection = new NpgsqlConnection(connectionString);

        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_user", connection);

        Assert.Equal(PostgresServer.Writer, (string?)await command.ExecuteScalarAsync());
    }
}
