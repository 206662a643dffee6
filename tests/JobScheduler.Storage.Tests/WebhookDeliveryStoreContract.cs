using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Postgres.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobScheduler.Storage.Tests;

/// <summary>The webhook delivery log contract; every implementation runs the same tests.</summary>
public abstract class WebhookDeliveryStoreContract
{
    // Delivery ids embed the job's ULID and a ULID of their own, which sorts by start time.
    private const string JobUlid = "01KBJ0000000000000000000JB";
    private const string JobId = "job_" + JobUlid;

    protected abstract IWebhookDeliveryStore Create();

    private static string DeliveryId(int n, string jobUlid = JobUlid) => $"whd_{jobUlid}_01KBJ{n:D5}0000000000000000";

    /// <summary>Attempt <paramref name="n"/>: succeeded with 204, or failed with 503 (odd n) or a timeout (even n).</summary>
    private static WebhookDelivery Delivery(int n, bool succeeded = false, string jobUlid = JobUlid)
    {
        int? statusCode = 204;
        string? error = null;
        if (!succeeded && n % 2 == 0)
        {
            statusCode = null;
            error = "The receiver did not respond within 10 s.";
        }
        else if (!succeeded)
        {
            statusCode = 503;
            error = "The receiver responded with HTTP 503.";
        }

        return Delivery(n, succeeded, jobUlid, statusCode, error);
    }

    private static WebhookDelivery Delivery(int n, bool succeeded, string jobUlid, int? statusCode, string? error) => new()
    {
        DeliveryId = DeliveryId(n, jobUlid),
        EventId = "evt_01KBJ000000000000000000EVT",
        EventType = "DEAD_LETTERED",
        JobId = "job_" + jobUlid,
        UserId = "alice",
        ExecutionId = $"exe_{jobUlid}_01KBJ000000000000000000EXE",
        Url = "https://hooks.example/jobs?team=sales",
        AttemptNumber = n,
        StatusCode = statusCode,
        Error = error,
        Succeeded = succeeded,
        StartedAt = Samples.Now.AddMinutes(n),
        FinishedAt = Samples.Now.AddMinutes(n).AddMilliseconds(250),
        DurationMs = 250,
    };

    [Fact]
    public async Task Add_RoundTripsEveryField()
    {
        var store = Create();
        await store.AddAsync(Delivery(1));
        await store.AddAsync(Delivery(2));
        await store.AddAsync(Delivery(3, succeeded: true));

        var page = await store.ListByJobAsync(JobId, 10, null);

        Assert.Equal([Delivery(3, succeeded: true), Delivery(2), Delivery(1)], page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Add_SameIdTwiceKeepsOne()
    {
        var store = Create();
        await store.AddAsync(Delivery(4));

        await store.AddAsync(Delivery(4) with { Error = "changed" });

        var stored = Assert.Single((await store.ListByJobAsync(JobId, 10, null)).Items);
        Assert.Equal(Delivery(4), stored);
    }

    [Fact]
    public async Task List_PagesNewestFirst()
    {
        var store = Create();
        for (var n = 10; n < 15; n++)
        {
            await store.AddAsync(Delivery(n));
        }

        var first = await store.ListByJobAsync(JobId, 2, null);
        var second = await store.ListByJobAsync(JobId, 2, first.NextCursor);
        var third = await store.ListByJobAsync(JobId, 2, second.NextCursor);

        Assert.Equal([DeliveryId(14), DeliveryId(13)], first.Items.Select(d => d.DeliveryId).ToList());
        Assert.Equal([DeliveryId(12), DeliveryId(11)], second.Items.Select(d => d.DeliveryId).ToList());
        Assert.Equal([DeliveryId(10)], third.Items.Select(d => d.DeliveryId).ToList());
        Assert.Equal(DeliveryId(13), first.NextCursor);
        Assert.Null(third.NextCursor);
    }

    [Fact]
    public async Task List_ReturnsOnlyThatJob()
    {
        var store = Create();
        const string otherJob = "01KBJ0000000000000000000OT";
        await store.AddAsync(Delivery(1));
        await store.AddAsync(Delivery(2, jobUlid: otherJob));

        var page = await store.ListByJobAsync(JobId, 10, null);

        Assert.Equal([DeliveryId(1)], page.Items.Select(d => d.DeliveryId).ToList());
        Assert.Empty((await store.ListByJobAsync("job_01KBJ0000000000000000000NO", 10, null)).Items);
    }

    [Fact]
    public async Task Delete_RemovesOnlyOlderAttempts()
    {
        var store = Create();
        for (var n = 1; n <= 4; n++)
        {
            await store.AddAsync(Delivery(n));
        }

        var deleted = await store.DeleteStartedBeforeAsync(Samples.Now.AddMinutes(3));

        Assert.Equal(2, deleted);
        Assert.Equal([DeliveryId(4), DeliveryId(3)], (await store.ListByJobAsync(JobId, 10, null)).Items.Select(d => d.DeliveryId).ToList());
    }
}

public sealed class MemoryWebhookDeliveryStoreTests : WebhookDeliveryStoreContract
{
    protected override IWebhookDeliveryStore Create() => new MemoryWebhookDeliveryStore();
}

public sealed class PostgresWebhookDeliveryStoreTests(SchemaDatabase database)
    : WebhookDeliveryStoreContract, IClassFixture<SchemaDatabase>, IAsyncLifetime
{
    private readonly List<PostgresWebhookDeliveryStore> _created = [];

    protected override IWebhookDeliveryStore Create()
    {
        var store = new PostgresWebhookDeliveryStore(database.DataSource, NullLogger<PostgresWebhookDeliveryStore>.Instance);
        _created.Add(store);
        return store;
    }

    public async Task InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE js_webhook_deliveries");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _created)
        {
            await store.DisposeAsync();
        }
    }
}
