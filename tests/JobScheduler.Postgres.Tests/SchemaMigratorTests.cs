using System.Net;
using System.Net.Sockets;
using JobScheduler.Postgres.Schema;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace JobScheduler.Postgres.Tests;

/// <summary>The migrator against real databases. Each test creates its own database.</summary>
public sealed class SchemaMigratorTests
{
    private static readonly IReadOnlyList<string> OrleansQueryKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private static SchemaMigrator Embedded() => new(NullLogger<SchemaMigrator>.Instance);

    private static SchemaMigrator WithScripts(params (string Name, string Text)[] scripts) =>
        new(NullLogger<SchemaMigrator>.Instance, scripts.Select(script => SchemaScript.FromText(script.Name, script.Text)).ToList());

    [Fact]
    public void EmbeddedScripts_StartWithOrleansInOrdinalOrder()
    {
        var names = Embedded().ScriptNames;

        Assert.Equal("001_orleans.sql", names[0]);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task MigrateTwice_SecondRunAppliesNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        var migrator = Embedded();

        var first = await migrator.MigrateAsync(database.ConnectionString, CancellationToken.None);
        var second = await migrator.MigrateAsync(database.ConnectionString, CancellationToken.None);

        Assert.Equal(migrator.ScriptNames.Count, first);
        Assert.Equal(0, second);
        Assert.Equal(migrator.ScriptNames.Count, await database.ScalarAsync<int>("SELECT count(*) FROM jobscheduler_schema_version"));
    }

    [Fact]
    public async Task Migrate_InstallsEveryOrleansQueryKey()
    {
        await using var database = await TestDatabase.CreateAsync();
        await Embedded().MigrateAsync(database.ConnectionString, CancellationToken.None);

        foreach (var key in OrleansQueryKeys)
        {
            var count = await database.ScalarAsync<int>("SELECT count(*) FROM OrleansQuery WHERE QueryKey = @key", ("key", key));
            Assert.True(count == 1, $"OrleansQuery has no row for {key}");
        }
    }

    [Fact]
    public async Task ConcurrentMigrations_ApplyEachScriptOnce()
    {
        await using var database = await TestDatabase.CreateAsync();
        var migrators = Enumerable.Range(0, 3).Select(_ => Embedded()).ToList();

        var applied = await Task.WhenAll(migrators.Select(migrator => migrator.MigrateAsync(database.ConnectionString, CancellationToken.None)));

        Assert.Equal(migrators[0].ScriptNames.Count, applied.Sum());
        Assert.Equal(migrators[0].ScriptNames.Count, await database.ScalarAsync<int>("SELECT count(*) FROM jobscheduler_schema_version"));
    }

    [Fact]
    public async Task OrleansScript_AppliesTwiceWithoutError()
    {
        await using var database = await TestDatabase.CreateAsync();
        var orleans = SchemaScript.LoadEmbedded().Single(script => script.Name == "001_orleans.sql");

        await database.ExecuteAsync(orleans.Text);
        await database.ExecuteAsync("UPDATE OrleansQuery SET QueryText = 'outdated' WHERE QueryKey = 'WriteToStorageKey'");
        await database.ExecuteAsync(orleans.Text);

        Assert.True(orleans.IsRerunnable);
        Assert.Equal(OrleansQueryKeys.Count, await database.ScalarAsync<int>("SELECT count(*) FROM OrleansQuery"));
        Assert.NotEqual("outdated", await database.ScalarAsync<string>("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'"));
    }

    [Fact]
    public async Task ChangedOneTimeScript_IsRejected()
    {
        await using var database = await TestDatabase.CreateAsync();
        await WithScripts(("100_table.sql", "CREATE TABLE t (a int);")).MigrateAsync(database.ConnectionString, CancellationToken.None);

        var changed = WithScripts(("100_table.sql", "CREATE TABLE t (a int, b int);"));
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => changed.MigrateAsync(database.ConnectionString, CancellationToken.None));

        Assert.Contains("100_table.sql", exception.Message);
        Assert.Contains("new numbered script", exception.Message);
    }

    [Fact]
    public async Task RerunnableScript_HigherRevisionIsReapplied()
    {
        await using var database = await TestDatabase.CreateAsync();
        const string first = "-- migrator: rerunnable revision=1\nCREATE TABLE IF NOT EXISTS t1 (a int);";
        const string second = "-- migrator: rerunnable revision=2\nCREATE TABLE IF NOT EXISTS t1 (a int);\nCREATE TABLE IF NOT EXISTS t2 (a int);";
        await WithScripts(("100_rerun.sql", first)).MigrateAsync(database.ConnectionString, CancellationToken.None);

        var applied = await WithScripts(("100_rerun.sql", second)).MigrateAsync(database.ConnectionString, CancellationToken.None);

        Assert.Equal(1, applied);
        Assert.Equal(1, await database.ScalarAsync<int>("SELECT count(*) FROM pg_tables WHERE tablename = 't2'"));
        Assert.Equal(2, await database.ScalarAsync<int>("SELECT revision FROM jobscheduler_schema_version WHERE script = '100_rerun.sql'"));
    }

    [Fact]
    public async Task RerunnableScript_OlderRevisionIsSkipped()
    {
        await using var database = await TestDatabase.CreateAsync();
        const string newer = "-- migrator: rerunnable revision=2\nCREATE TABLE IF NOT EXISTS t2 (a int);";
        const string older = "-- migrator: rerunnable revision=1\nCREATE TABLE IF NOT EXISTS t1 (a int);";
        await WithScripts(("100_rerun.sql", newer)).MigrateAsync(database.ConnectionString, CancellationToken.None);

        var applied = await WithScripts(("100_rerun.sql", older)).MigrateAsync(database.ConnectionString, CancellationToken.None);

        Assert.Equal(0, applied);
        Assert.Equal(0, await database.ScalarAsync<int>("SELECT count(*) FROM pg_tables WHERE tablename = 't1'"));
        Assert.Equal(2, await database.ScalarAsync<int>("SELECT revision FROM jobscheduler_schema_version WHERE script = '100_rerun.sql'"));
    }

    [Fact]
    public async Task RerunnableScript_ChangedWithSameRevisionIsRejected()
    {
        await using var database = await TestDatabase.CreateAsync();
        await WithScripts(("100_rerun.sql", "-- migrator: rerunnable revision=1\nSELECT 1;"))
            .MigrateAsync(database.ConnectionString, CancellationToken.None);

        var changed = WithScripts(("100_rerun.sql", "-- migrator: rerunnable revision=1\nSELECT 2;"));
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => changed.MigrateAsync(database.ConnectionString, CancellationToken.None));

        Assert.Contains("Raise its revision above 1", exception.Message);
    }

    [Fact]
    public async Task FailingScript_IsRolledBackAndNamed()
    {
        await using var database = await TestDatabase.CreateAsync();
        var migrator = WithScripts(
            ("100_good.sql", "CREATE TABLE good (a int);"),
            ("200_bad.sql", "CREATE TABLE half (a int);\nSELECT * FROM missing_table;"));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => migrator.MigrateAsync(database.ConnectionString, CancellationToken.None));

        Assert.Contains("200_bad.sql", exception.Message);
        Assert.Contains("missing_table", exception.Message);
        Assert.Equal(1, await database.ScalarAsync<int>("SELECT count(*) FROM pg_tables WHERE tablename = 'good'"));
        Assert.Equal(0, await database.ScalarAsync<int>("SELECT count(*) FROM pg_tables WHERE tablename = 'half'"));
        Assert.Equal(0, await database.ScalarAsync<int>("SELECT count(*) FROM jobscheduler_schema_version WHERE script = '200_bad.sql'"));
    }

    [Fact]
    public async Task Migrate_ReleasesAdvisoryLock()
    {
        await using var database = await TestDatabase.CreateAsync();
        await Embedded().MigrateAsync(database.ConnectionString, CancellationToken.None);

        var locked = await database.ScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", ("key", SchemaMigrator.AdvisoryLockKey));

        Assert.True(locked);
    }

    [Fact]
    public async Task UnreachableServer_MessageNamesHostAndPort()
    {
        var port = ClosedLoopbackPort();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=jobscheduler;Timeout=5";

        var exception = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => Embedded().MigrateAsync(connectionString, CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port}", exception.Message);
        Assert.Contains("ConnectionStrings:JobScheduler", exception.Message);
        Assert.Contains("refused", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal($"127.0.0.1:{port}", exception.Server);
    }

    [Fact]
    public async Task MissingDatabase_MessageNamesDatabase()
    {
        var builder = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString()) { Database = "jobscheduler_test_does_not_exist" };

        var exception = await Assert.ThrowsAsync<PostgresConnectionException>(
            () => Embedded().MigrateAsync(builder.ConnectionString, CancellationToken.None));

        Assert.Contains("jobscheduler_test_does_not_exist", exception.Message);
        Assert.Contains("3D000", exception.Message);
    }

    [Fact]
    public async Task InvalidConnectionString_IsReported()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Embedded().MigrateAsync("Host=127.0.0.1;NoSuchSetting=1", CancellationToken.None));

        Assert.Contains("connection string is invalid", exception.Message);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=5433", "127.0.0.1:5433")]
    [InlineData("Host=db.example", "db.example:5432")]
    [InlineData("Host=db1,db2:5434;Port=5433", "db1:5433,db2:5434")]
    [InlineData("Host=::1;Port=5433", "[::1]:5433")]
    [InlineData("Host=[::1]:5434", "[::1]:5434")]
    [InlineData("Host=127.0.0.1;Port=5433;Password=secret", "127.0.0.1:5433")]
    public void DescribeServer_FormatsHostAndPort(string connectionString, string expected)
    {
        Assert.Equal(expected, SchemaMigrator.DescribeServer(connectionString));
    }

    /// <summary>Returns a loopback port that nothing listens on (bound and released at once).</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
