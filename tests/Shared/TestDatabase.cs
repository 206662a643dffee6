using Npgsql;

namespace JobScheduler.Tests;

/// <summary>
/// A fresh PostgreSQL database per test class, created on the <see cref="TestPostgresServer"/> and dropped
/// afterwards.
/// </summary>
public class TestDatabase : IAsyncLifetime
{
    private string _serverConnectionString = "";
    private string _name = "";

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _serverConnectionString = TestPostgresServer.ConnectionString;
        _name = "js_test_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteOnServerAsync($"CREATE DATABASE {_name}");

        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _name }.ConnectionString;
        await OnCreatedAsync();
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    /// <summary>Runs once the empty database exists, before <see cref="DataSource"/> is created.</summary>
    protected virtual Task OnCreatedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (DataSource is null)
        {
            // Set-up failed before the database existed; the set-up error is the one to report.
            return;
        }

        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
