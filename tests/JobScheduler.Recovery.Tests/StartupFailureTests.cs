using System.Diagnostics;
using JobScheduler.Postgres.Schema;

namespace JobScheduler.Recovery.Tests;

/// <summary>Start-up failures an operator can fix end the silo with exit code 1 and one line naming the setting.</summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task UnparsableSetting_NamesIt()
    {
        var (exitCode, output) = await RunSiloAsync("--Scheduler:ShardCount=abc");

        Assert.Equal(1, exitCode);
        Assert.Contains(
            "JobScheduler silo did not start: invalid configuration: Failed to convert configuration value 'abc' at 'Scheduler:ShardCount'",
            output);
    }

    [Fact]
    public async Task InvalidSettings_AreAllNamed()
    {
        var (exitCode, output) = await RunSiloAsync("--Execution:LeaseDuration=-00:00:01", "--Scheduler:MaxInFlightPerShard=0");

        Assert.Equal(1, exitCode);
        Assert.Contains("JobScheduler silo did not start: invalid configuration:", output);
        Assert.Contains("Execution:LeaseDuration must be longer than Execution:HeartbeatInterval (00:00:10); got -00:00:01.", output);
        Assert.Contains("Scheduler:MaxInFlightPerShard must be at least 1; got 0.", output);
    }

    [Fact]
    public async Task ChangedShardCount_IsRejected()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await new SchemaMigrator(Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance)
            .MigrateAsync(database.ConnectionString, CancellationToken.None);
        await ShardCountSetting.EnsureAsync(database.ConnectionString, 64, CancellationToken.None);

        var (exitCode, output) = await RunSiloAsync(
            $"--ConnectionStrings:JobScheduler={database.ConnectionString}", $"--Auth:SigningKey={SiloProcess.SigningKey}", "--Scheduler:ShardCount=32");

        Assert.Equal(1, exitCode);
        Assert.Contains(
            "JobScheduler silo did not start: Scheduler:ShardCount is 32, but this database was set up with 64 shards. "
            + "Jobs are placed by the shard count, so another count would stop some of them. Set Scheduler:ShardCount=64.",
            output);
    }

    [Fact]
    public async Task DurableWithoutAuthentication_LeavesDatabaseUntouched()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();

        var (exitCode, output) = await RunSiloAsync($"--ConnectionStrings:JobScheduler={database.ConnectionString}");

        Assert.Equal(1, exitCode);
        Assert.Contains("JobScheduler silo did not start: Durable mode requires authentication: set Auth:SigningKey", output);
        await using var tables = database.DataSource.CreateCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'");
        Assert.Equal(0L, (long)(await tables.ExecuteScalarAsync())!);
    }

    /// <summary>Runs the silo on free loopback ports until it exits, and returns its exit code and output.</summary>
    private static async Task<(int ExitCode, string Output)> RunSiloAsync(params string[] settings)
    {
        var ports = SiloPorts.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            SiloProcess.AssemblyPath(), "--urls", $"http://127.0.0.1:{ports.Http}",
            $"--Orleans:SiloPort={ports.Silo}", $"--Orleans:GatewayPort={ports.Gateway}", .. settings,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }
}
