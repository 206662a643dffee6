using System.Globalization;
using Npgsql;

namespace JobScheduler.Failover.Hosting;

/// <summary>
/// The database of one run, created on the server and dropped at the end, so jobs of earlier runs never
/// fire during a measurement.
/// </summary>
public sealed class RunDatabase : IAsyncDisposable
{
    private readonly string _maintenance;

    private RunDatabase(string maintenance, string name, string connectionString)
    {
        _maintenance = maintenance;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Creates the database; throws <see cref="HarnessException"/> when the server cannot be reached.</summary>
    public static async Task<RunDatabase> CreateAsync(string serverConnectionString)
    {
        NpgsqlConnectionStringBuilder server;
        try
        {
            server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        }
        catch (ArgumentException exception)
        {
            throw new HarnessException($"The PostgreSQL connection string is invalid: {exception.Message}");
        }

        var maintenance = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false };
        var name = string.Create(CultureInfo.InvariantCulture, $"jsfailover_{DateTime.UtcNow:yyyyMMdd_HHmmss}_{Environment.ProcessId}");
        try
        {
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new HarnessException($"Could not create a database on {server.Host}:{server.Port} as {server.Username}: {exception.Message}");
        }

        var run = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name };
        return new RunDatabase(maintenance.ConnectionString, name, run.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
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
