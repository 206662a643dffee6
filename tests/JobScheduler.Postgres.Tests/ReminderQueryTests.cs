using JobScheduler.Postgres.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace JobScheduler.Postgres.Tests;

/// <summary>
/// The reminder query texts, called through Orleans' own ADO.NET <see cref="IReminderTable"/> (its class is
/// internal, so the tests resolve it from a service collection). Each test uses a service id of its own,
/// because the table is scoped by service id.
/// </summary>
public sealed class ReminderQueryTests(MigratedDatabaseFixture fixture) : IClassFixture<MigratedDatabaseFixture>
{
    private static readonly DateTime StartAt = new(2026, 3, 2, 10, 0, 0, 250, DateTimeKind.Utc);

    [Fact]
    public async Task Upsert_InsertsThenIncrementsVersion()
    {
        var table = await CreateTableAsync(NewServiceId());
        var entry = Reminder("grain-a", "tick", TimeSpan.FromMinutes(1));

        var inserted = await table.UpsertRow(entry);
        entry.Period = TimeSpan.FromMinutes(2);
        var updated = await table.UpsertRow(entry);
        var read = await table.ReadRow(entry.GrainId, "tick");

        Assert.NotNull(read);
        Assert.NotEqual(inserted, updated);
        Assert.Equal(updated, read.ETag);
        Assert.Equal(TimeSpan.FromMinutes(2), read.Period);
    }

    [Fact]
    public async Task ReadRow_RoundTripsEntry()
    {
        var table = await CreateTableAsync(NewServiceId());
        var entry = Reminder("grain-a", "tick", TimeSpan.FromMinutes(1));
        var etag = await table.UpsertRow(entry);

        var read = await table.ReadRow(entry.GrainId, "tick");

        Assert.NotNull(read);
        Assert.Equal(entry.GrainId, read.GrainId);
        Assert.Equal("tick", read.ReminderName);
        Assert.Equal(StartAt, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), read.Period);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task ReadRow_PeriodBeyondInt32Milliseconds_RoundTrips()
    {
        // 30 days is 2,592,000,000 ms, more than int.MaxValue, so the provider sends the period as int8.
        var table = await CreateTableAsync(NewServiceId());
        var entry = Reminder("grain-a", "monthly", TimeSpan.FromDays(30));
        await table.UpsertRow(entry);

        var read = await table.ReadRow(entry.GrainId, "monthly");

        Assert.NotNull(read);
        Assert.Equal(TimeSpan.FromDays(30), read.Period);
    }

    [Fact]
    public async Task ReadRow_Missing_ReturnsNull()
    {
        var table = await CreateTableAsync(NewServiceId());

        var read = await table.ReadRow(GrainId.Create("test-reminder", "nobody"), "tick");

        Assert.Null(read);
    }

    [Fact]
    public async Task ReadRows_ByGrain_ReturnsThatGrainsReminders()
    {
        var table = await CreateTableAsync(NewServiceId());
        await table.UpsertRow(Reminder("grain-a", "one", TimeSpan.FromMinutes(1)));
        await table.UpsertRow(Reminder("grain-a", "two", TimeSpan.FromMinutes(1)));
        await table.UpsertRow(Reminder("grain-b", "one", TimeSpan.FromMinutes(1)));

        var rows = await table.ReadRows(GrainId.Create("test-reminder", "grain-a"));

        Assert.Equal(["one", "two"], rows.Reminders.Select(reminder => reminder.ReminderName).Order());
    }

    [Theory]
    [InlineData(0x1000_0000u, 0x9000_0000u)] // begin < end, crossing the signed boundary
    [InlineData(0x1000_0000u, 0x6000_0000u)] // begin < end, both positive as signed integers
    [InlineData(0x9000_0000u, 0xF000_0000u)] // begin < end, both negative as signed integers
    [InlineData(0x9000_0000u, 0x1000_0000u)] // wraps around zero
    [InlineData(0xF000_0000u, 0x9000_0000u)] // wraps, both negative as signed integers
    [InlineData(0x6000_0000u, 0x1000_0000u)] // wraps, both positive as signed integers
    [InlineData(0x4000_0000u, 0x4000_0000u)] // begin == end: the whole ring
    public async Task ReadRows_ByHashRange_MatchesRingRange(uint begin, uint end)
    {
        var table = await CreateTableAsync(NewServiceId());
        var grains = Enumerable.Range(0, 60).Select(i => GrainId.Create("test-reminder", $"grain-{i}")).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "tick", StartAt = StartAt, Period = TimeSpan.FromMinutes(1) });
        }

        var rows = await table.ReadRows(begin, end);

        var expected = grains.Where(grain => InRingRange(grain.GetUniformHashCode(), begin, end)).Select(grain => grain.ToString()).Order();
        var actual = rows.Reminders.Select(reminder => reminder.GrainId.ToString()).Order();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task RemoveRow_RequiresCurrentETag()
    {
        var table = await CreateTableAsync(NewServiceId());
        var entry = Reminder("grain-a", "tick", TimeSpan.FromMinutes(1));
        var staleEtag = await table.UpsertRow(entry);
        var currentEtag = await table.UpsertRow(entry);

        var removedWithStale = await table.RemoveRow(entry.GrainId, "tick", staleEtag!);
        var removedWithCurrent = await table.RemoveRow(entry.GrainId, "tick", currentEtag!);

        Assert.False(removedWithStale);
        Assert.True(removedWithCurrent);
        Assert.Null(await table.ReadRow(entry.GrainId, "tick"));
    }

    [Fact]
    public async Task ClearTable_RemovesOnlyThisServicesRows()
    {
        var cleared = await CreateTableAsync(NewServiceId());
        var kept = await CreateTableAsync(NewServiceId());
        var entry = Reminder("grain-a", "tick", TimeSpan.FromMinutes(1));
        await cleared.UpsertRow(entry);
        await kept.UpsertRow(entry);

        await cleared.TestOnlyClearTable();

        Assert.Null(await cleared.ReadRow(entry.GrainId, "tick"));
        Assert.NotNull(await kept.ReadRow(entry.GrainId, "tick"));
    }

    /// <summary>Whether <paramref name="hash"/> lies in the ring range (begin, end]. With begin == end the range is the whole ring.</summary>
    private static bool InRingRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    private async Task<IReminderTable> CreateTableAsync(string serviceId)
    {
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = "test";
            options.ServiceId = serviceId;
        });
        services.UseAdoNetReminderService(builder => builder.Configure(options =>
        {
            options.Invariant = PostgresOrleansExtensions.Invariant;
            options.ConnectionString = fixture.Database.ConnectionString;
        }));
        var table = services.BuildServiceProvider().GetRequiredService<IReminderTable>();
        await table.StartAsync();
        return table;
    }

    private static ReminderEntry Reminder(string grainKey, string name, TimeSpan period) => new()
    {
        GrainId = GrainId.Create("test-reminder", grainKey),
        ReminderName = name,
        StartAt = StartAt,
        Period = period,
    };

    private static string NewServiceId() => "service-" + Guid.NewGuid().ToString("N")[..12];
}
