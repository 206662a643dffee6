using System.Globalization;
using Npgsql;

namespace JobScheduler.Harness;

/// <summary>
/// A database of its own for one harness run, created on a server and dropped at the end, so jobs of earlier
/// runs never fire during a measurement and every run starts from empty tables. Shared by the benchmark and
/// the failover harness.
/// </summary>
public sealed class RunDatabase : IAsyncDisposable
{
    private readonly string _maintenance;
    private readonly bool _keep;

    private RunDatabase(string maintenance, string name, string connectionString, bool keep)
    {
        _maintenance = maintenance;
        Name = name;
        ConnectionString = connectionString;
        _keep = keep;
    }

    /// <summary>The database's name: the prefix, the UTC time and the process id, such as <c>jsbench_20260105_101500_1234</c>.</summary>
    public string Name { get; }

    /// <summary>The connection string of the run's database.</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Creates the run's database; throws <see cref="RunDatabaseException"/> when the connection string is invalid
    /// or the server cannot be reached. With <paramref name="keep"/>, the database is not dropped at the end.
    /// </summary>
    public static async Task<RunDatabase> CreateAsync(string serverConnectionString, string prefix, bool keep = false)
    {
        NpgsqlConnectionStringBuilder server;
        try
        {
            server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        }
        catch (ArgumentException exception)
        {
            throw new RunDatabaseException($"The PostgreSQL connection string is invalid: {exception.Message}");
        }

        var maintenance = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false };
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}_{DateTime.UtcNow:yyyyMMdd_HHmmss}_{Environment.ProcessId}");
        try
        {
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new RunDatabaseException(
                $"Could not create a database on {server.Host}:{server.Port} as {server.Username}: {exception.Message}. "
                + "Check that the server runs and that the user may create databases.");
        }

        var run = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name };
        return new RunDatabase(maintenance.ConnectionString, name, run.ConnectionString, keep);
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep)
        {
            await Console.Error.WriteLineAsync($"Kept the run's database {Name}.");
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(_maintenance);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException exception)
        {
            await Console.Error.WriteLineAsync($"Could not drop the run's database {Name}: {exception.Message}. Drop it by hand.");
        }
    }
}

/// <summary>An error creating the run's database. The message gives the cause and what to check.</summary>
public sealed class RunDatabaseException(string message) : Exception(message);
