using System.Globalization;
using JobScheduler.Postgres.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobScheduler.Postgres.Tests;

/// <summary>
/// A throwaway database <c>jobscheduler_test_&lt;random&gt;</c>, created on the server that
/// <c>JOBSCHEDULER_TEST_POSTGRES</c> names and dropped on dispose, so test classes can run in parallel.
/// </summary>
/// <remarks>
/// Its session time zone is Pacific/Chatham (UTC+12:45 or +13:45), so a timestamp that is converted
/// through the server's local time instead of UTC shows up as a wrong value in the tests.
/// </remarks>
public sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>Environment variable with the connection string of the test server.</summary>
    public const string EnvironmentVariable = "JOBSCHEDULER_TEST_POSTGRES";

    private const string SessionTimeZone = "Pacific/Chatham";

    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name, string connectionString)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>Connection string of this database.</summary>
    public string ConnectionString { get; }

    /// <summary>Returns the test server's connection string (see <see cref="TestPostgresServer"/>).</summary>
    public static string ServerConnectionString() => TestPostgresServer.ConnectionString;

    /// <summary>Creates an empty database on the test server.</summary>
    public static async Task<TestDatabase> CreateAsync()
    {
        var serverConnectionString = ServerConnectionString();
        var name = "jobscheduler_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, $"CREATE DATABASE {name}");
            await ExecuteAsync(connection, $"ALTER DATABASE {name} SET timezone TO '{SessionTimeZone}'");
        }

        var builder = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name };
        return new TestDatabase(serverConnectionString, name, builder.ConnectionString);
    }

    /// <summary>Creates a database and applies the embedded schema scripts.</summary>
    public static async Task<TestDatabase> CreateMigratedAsync()
    {
        var database = await CreateAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(database.ConnectionString, CancellationToken.None);
        return database;
    }

    /// <summary>Runs a statement in this database.</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = CreateCommand(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Returns the first column of the first row, converted to <typeparamref name="T"/>.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = CreateCommand(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    private static NpgsqlCommand CreateCommand(NpgsqlConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Class fixture: one migrated <see cref="TestDatabase"/> for all tests of a class.</summary>
public sealed class MigratedDatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _database;

    /// <summary>The class's database, available once xunit has initialized the fixture.</summary>
    public TestDatabase Database => _database ?? throw new InvalidOperationException("The database fixture is not initialized.");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateMigratedAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
