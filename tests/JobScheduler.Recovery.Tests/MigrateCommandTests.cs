using System.Diagnostics;

namespace JobScheduler.Recovery.Tests;

/// <summary>The silo binary's <c>migrate</c> command, run as an operator runs it.</summary>
public sealed class MigrateCommandTests
{
    [Fact]
    public async Task Migrate_CreatesSchemaAndExits()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();

        var (exitCode, output) = await RunAsync("migrate", $"--ConnectionStrings:JobScheduler={database.ConnectionString}");

        Assert.True(exitCode == 0, output);
        await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM jobscheduler_schema_version");
        Assert.True((long)(await command.ExecuteScalarAsync())! >= 5);
    }

    [Fact]
    public async Task Migrate_UnreachableDatabaseFailsWithOneLine()
    {
        var (exitCode, output) = await RunAsync("migrate", "--ConnectionStrings:JobScheduler=Host=127.0.0.1;Port=1;Username=postgres;Database=none");

        Assert.Equal(1, exitCode);
        Assert.Contains("Cannot connect to PostgreSQL at 127.0.0.1:1", output);
        Assert.DoesNotContain("   at ", output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(SiloProcess.AssemblyPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + error);
    }
}
