using System.Globalization;
using Npgsql;

namespace JobScheduler.Benchmarks.Hosting;

/// <summary>
/// A database of its own for one run, created on the given server and dropped at the end, so leftover
/// jobs of earlier runs or tests never fire during a measurement and every run starts from empty tables.
/// </summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly string _serverConnectionString;
    private readonly bool _keep;

    private BenchmarkDatabase(string serverConnectionString, string name, string connectionString, bool keep)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = connectionString;
        _keep = keep;
    }

    /// <summary>The database's name, such as <c>jsbench_20260105_101500_1234</c>.</summary>
    public string Name { get; }

    /// <summary>The connection string of the run's database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates the run's database, or throws <see cref="UsageException"/> when the server cannot be reached.</summary>
    public static async Task<BenchmarkDatabase> CreateAsync(string serverConnectionString, bool keep)
    {
        NpgsqlConnectionStringBuilder server;
        try
        {
            server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"The PostgreSQL connection string is invalid: {exception.Message}");
        }

        var maintenance = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false };
        var name = string.Create(CultureInfo.InvariantCulture, $"jsbench_{DateTime.UtcNow:yyyyMMdd_HHmmss}_{Environment.ProcessId}");
        try
        {
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new UsageException(
                $"Could not create the benchmark database on {server.Host}:{server.Port} as {server.Username}: {exception.Message}. "
                + "Check that the server runs and that the user may create databases.");
        }

        var run = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name };
        return new BenchmarkDatabase(maintenance.ConnectionString, name, run.ConnectionString, keep);
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep)
        {
            await Console.Error.WriteLineAsync($"Kept the benchmark database {Name}.");
            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(_serverConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException exception)
        {
            await Console.Error.WriteLineAsync($"Could not drop the benchmark database {Name}: {exception.Message}. Drop it by hand.");
        }
    }
}
