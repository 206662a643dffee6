using System.Net;
using JobScheduler.Postgres.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Membership;
using Orleans.Runtime.MembershipService;

namespace JobScheduler.Postgres.Tests;

/// <summary>
/// The clustering query texts, called through Orleans' own <see cref="AdoNetClusteringTable"/> and
/// <see cref="AdoNetGatewayListProvider"/>. Each test uses a cluster id of its own.
/// </summary>
public sealed class ClusteringQueryTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly IServiceProvider EmptyServices = new ServiceCollection().BuildServiceProvider();

    private readonly DateTime _now = TruncateToMilliseconds(DateTime.UtcNow);

    private TestDatabase Database => fixture.Database;

    [Fact]
    public async Task ReadAll_WithOnlyVersionRow_ReturnsVersion()
    {
        var table = await CreateTableAsync(NewClusterId());

        var all = await table.ReadAllAsync();
        var row = await table.ReadRowAsync(Silo(11111));

        Assert.Empty(all.Members);
        Assert.Equal(0, all.Version.Version);
        Assert.Equal("0", all.Version.VersionEtag);
        Assert.Empty(row.Members);
        Assert.Equal(0, row.Version.Version);
    }

    [Fact]
    public async Task InitializeAgain_KeepsVersionAndRows()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);
        Assert.True(await table.InsertRowAsync(Entry(11111, SiloStatus.Active), new TableVersion(0, "0").Next()));

        var again = await CreateTableAsync(clusterId);
        var all = await again.ReadAllAsync();

        Assert.Equal(1, all.Version.Version);
        Assert.Single(all.Members);
    }

    [Fact]
    public async Task InsertRow_RoundTripsEntry()
    {
        var table = await CreateTableAsync(NewClusterId());
        var entry = Entry(11111, SiloStatus.Joining);

        var inserted = await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next());
        var read = await table.ReadRowAsync(entry.SiloAddress);

        Assert.True(inserted);
        var (stored, etag) = Assert.Single(read.Members);
        Assert.Equal(entry.SiloAddress, stored.SiloAddress);
        Assert.Equal(entry.SiloName, stored.SiloName);
        Assert.Equal(entry.HostName, stored.HostName);
        Assert.Equal(entry.Status, stored.Status);
        Assert.Equal(entry.ProxyPort, stored.ProxyPort);
        Assert.Equal(entry.StartTime, stored.StartTime);
        Assert.Equal(entry.IAmAliveTime, stored.IAmAliveTime);
        Assert.Null(stored.SuspectTimes);
        Assert.Equal(1, read.Version.Version);
        Assert.Equal("1", etag);
    }

    [Fact]
    public async Task InsertRow_StoresTimesAsUtcInstants()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);
        var entry = Entry(11111, SiloStatus.Active);

        await table.InsertRowAsync(entry, new TableVersion(0, "0").Next());

        // Read back through SQL's epoch, independent of the provider and of the session time zone.
        var startEpoch = await Database.ScalarAsync<double>(
            "SELECT extract(epoch FROM start_time)::float8 FROM orleans_membership WHERE cluster_id = @c", ("c", clusterId));
        Assert.Equal(new DateTimeOffset(entry.StartTime).ToUnixTimeMilliseconds() / 1000.0, startEpoch, precision: 3);
    }

    [Fact]
    public async Task InsertRow_WithStaleVersion_ReturnsFalse()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);
        var initial = (await table.ReadAllAsync()).Version;
        Assert.True(await table.InsertRowAsync(Entry(11111, SiloStatus.Active), initial.Next()));

        var inserted = await table.InsertRowAsync(Entry(22222, SiloStatus.Active), initial.Next());
        var all = await table.ReadAllAsync();

        Assert.False(inserted);
        Assert.Single(all.Members);
        Assert.Equal(1, all.Version.Version);
    }

    [Fact]
    public async Task InsertRow_ExistingSilo_ReturnsFalse()
    {
        var table = await CreateTableAsync(NewClusterId());
        var entry = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        var inserted = await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next());
        var all = await table.ReadAllAsync();

        Assert.False(inserted);
        Assert.Equal(1, all.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_CurrentVersion_StoresChanges()
    {
        var table = await CreateTableAsync(NewClusterId());
        var entry = Entry(11111, SiloStatus.Active);
        await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next());
        var version = (await table.ReadAllAsync()).Version;

        entry.Status = SiloStatus.Dead;
        entry.IAmAliveTime = _now.AddSeconds(5);
        entry.AddSuspector(Silo(22222), _now.AddSeconds(3));
        var updated = await table.UpdateRowAsync(entry, version.VersionEtag, version.Next());
        var read = await table.ReadRowAsync(entry.SiloAddress);

        Assert.True(updated);
        var (stored, _) = Assert.Single(read.Members);
        Assert.Equal(SiloStatus.Dead, stored.Status);
        Assert.Equal(entry.IAmAliveTime, stored.IAmAliveTime);
        var (suspecter, votedAt) = Assert.Single(stored.SuspectTimes!);
        Assert.Equal(Silo(22222), suspecter);
        Assert.Equal(_now.AddSeconds(3), votedAt);
        Assert.Equal(2, read.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_WithStaleVersion_ReturnsFalse()
    {
        var table = await CreateTableAsync(NewClusterId());
        var entry = Entry(11111, SiloStatus.Active);
        var initial = (await table.ReadAllAsync()).Version;
        await table.InsertRowAsync(entry, initial.Next());

        entry.Status = SiloStatus.Dead;
        var updated = await table.UpdateRowAsync(entry, initial.VersionEtag, initial.Next());
        var read = await table.ReadRowAsync(entry.SiloAddress);

        Assert.False(updated);
        Assert.Equal(SiloStatus.Active, Assert.Single(read.Members).Item1.Status);
        Assert.Equal(1, read.Version.Version);
    }

    [Fact]
    public async Task UpdateRow_MissingSilo_ReturnsFalse()
    {
        var table = await CreateTableAsync(NewClusterId());
        var version = (await table.ReadAllAsync()).Version;

        var updated = await table.UpdateRowAsync(Entry(11111, SiloStatus.Dead), version.VersionEtag, version.Next());

        Assert.False(updated);
        Assert.Equal(0, (await table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task UpdateIAmAlive_ChangesHeartbeatOnly()
    {
        var table = await CreateTableAsync(NewClusterId());
        var entry = Entry(11111, SiloStatus.Active);
        await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next());

        entry.IAmAliveTime = _now.AddMinutes(1);
        entry.Status = SiloStatus.Dead;
        await table.UpdateIAmAliveAsync(entry);
        var read = await table.ReadRowAsync(entry.SiloAddress);

        var (stored, _) = Assert.Single(read.Members);
        Assert.Equal(_now.AddMinutes(1), stored.IAmAliveTime);
        Assert.Equal(SiloStatus.Active, stored.Status);
        Assert.Equal(1, read.Version.Version);
    }

    [Fact]
    public async Task Gateways_ListActiveSilosWithProxyPortOnly()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);
        var active = Entry(11111, SiloStatus.Active);
        var noGateway = Entry(22222, SiloStatus.Active);
        noGateway.ProxyPort = 0;
        var joining = Entry(33333, SiloStatus.Joining);
        foreach (var entry in new[] { active, noGateway, joining })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        var provider = new AdoNetGatewayListProvider(
            NullLogger<AdoNetGatewayListProvider>.Instance,
            EmptyServices,
            Options.Create(new AdoNetClusteringClientOptions { Invariant = PostgresOrleansExtensions.Invariant, ConnectionString = Database.ConnectionString }),
            Options.Create(new GatewayOptions()),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "test" }));
        await provider.InitializeGatewayListProviderAsync();
        var gateways = await provider.GetGatewaysAsync();

        var gateway = Assert.Single(gateways);
        Assert.Equal(active.ProxyPort, gateway.Port);
        Assert.Equal("127.0.0.1", gateway.Host);
    }

    [Fact]
    public async Task CleanupDefunct_DeletesOnlyOldDeadSilos()
    {
        var clusterId = NewClusterId();
        var table = await CreateTableAsync(clusterId);

        await AssertCleanupKeepsLiveAndRecentSilosAsync(table);
    }

    [Fact]
    public async Task CleanupDefunct_BulkQueryFallback()
    {
        await using var database = await TestDatabase.CreateMigratedAsync();
        await database.ExecuteAsync("DELETE FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntryKey'");
        var table = await CreateTableAsync(NewClusterId(), database.ConnectionString);

        await AssertCleanupKeepsLiveAndRecentSilosAsync(table);
    }

    [Fact]
    public async Task DeleteMembershipTableEntries_RemovesOnlyThatCluster()
    {
        var removedCluster = NewClusterId();
        var keptCluster = NewClusterId();
        var removed = await CreateTableAsync(removedCluster);
        var kept = await CreateTableAsync(keptCluster);
        await removed.InsertRowAsync(Entry(11111, SiloStatus.Active), new TableVersion(0, "0").Next());
        await kept.InsertRowAsync(Entry(11111, SiloStatus.Active), new TableVersion(0, "0").Next());

        await removed.DeleteMembershipTableEntriesAsync(removedCluster);

        Assert.Equal(0, await CountAsync("orleans_membership", removedCluster));
        Assert.Equal(0, await CountAsync("orleans_membership_version", removedCluster));
        Assert.Single((await kept.ReadAllAsync()).Members);
    }

    private async Task AssertCleanupKeepsLiveAndRecentSilosAsync(AdoNetClusteringTable table)
    {
        var cutoff = _now.AddMinutes(-10);
        var oldDead = Entry(11111, SiloStatus.Dead, start: cutoff.AddHours(-1), alive: cutoff.AddMinutes(-1));
        oldDead.AddSuspector(Silo(44444), cutoff.AddMinutes(-2));
        var recentDead = Entry(22222, SiloStatus.Dead, start: cutoff.AddHours(-1), alive: cutoff.AddMinutes(1));
        var oldActive = Entry(33333, SiloStatus.Active, start: cutoff.AddHours(-1), alive: cutoff.AddMinutes(-1));
        foreach (var entry in new[] { oldDead, recentDead, oldActive })
        {
            var version = (await table.ReadAllAsync()).Version;
            Assert.True(await table.InsertRowAsync(entry, version.Next()));
        }

        // InsertRow does not store suspect times, so record the vote with an update.
        var current = (await table.ReadAllAsync()).Version;
        Assert.True(await table.UpdateRowAsync(oldDead, current.VersionEtag, current.Next()));

        await table.CleanupDefunctSiloEntriesAsync(new DateTimeOffset(cutoff));
        var remaining = (await table.ReadAllAsync()).Members.Select(member => member.Item1.SiloAddress).ToList();

        Assert.DoesNotContain(oldDead.SiloAddress, remaining);
        Assert.Contains(recentDead.SiloAddress, remaining);
        Assert.Contains(oldActive.SiloAddress, remaining);
    }

    private async Task<AdoNetClusteringTable> CreateTableAsync(string clusterId, string? connectionString = null)
    {
        var table = new AdoNetClusteringTable(
            EmptyServices,
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "test" }),
            Options.Create(new AdoNetClusteringSiloOptions
            {
                Invariant = PostgresOrleansExtensions.Invariant,
                ConnectionString = connectionString ?? Database.ConnectionString,
            }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private Task<long> CountAsync(string table, string clusterId) =>
        Database.ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE cluster_id = @c", ("c", clusterId));

    private MembershipEntry Entry(int port, SiloStatus status, DateTime? start = null, DateTime? alive = null) => new()
    {
        SiloAddress = Silo(port),
        SiloName = $"silo-{port}",
        HostName = "test-host",
        Status = status,
        ProxyPort = port + 1,
        StartTime = start ?? _now.AddMinutes(-1),
        IAmAliveTime = alive ?? _now,
    };

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 7);

    private static string NewClusterId() => "cluster-" + Guid.NewGuid().ToString("N")[..12];

    private static DateTime TruncateToMilliseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
}
