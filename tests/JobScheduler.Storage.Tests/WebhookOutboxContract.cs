using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Postgres.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobScheduler.Storage.Tests;

/// <summary>The webhook outbox contract; every implementation runs the same tests.</summary>
public abstract class WebhookOutboxContract
{
    private static readonly DateTimeOffset LeaseEnd = Samples.Now.AddMinutes(10);

    protected abstract IWebhookOutbox Create();

    private static OutboxEvent Item(int n) => new($"evt_01KBJ{n:D5}000000000000000EV", new ExecutionEvent(
        WebhookEventType.DeadLettered,
        "job_01KBJ0000000000000000000JB",
        "alice",
        $"exe_01KBJ0000000000000000000JB_01KBJ{n:D5}000000000000000E",
        Samples.Now,
        4,
        ExecutionStatus.Failed,
        null,
        "The target answered HTTP 503: busy",
        "job_01KBJ0000000000000000000JB:1796378400000",
        Samples.Now.AddSeconds(n),
        new WebhookDefinition { Url = "https://hooks.example/jobs" },
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

    [Fact]
    public async Task LeasedEvent_IsNotClaimedBeforeLeaseEnds()
    {
        var outbox = Create();
        await outbox.AddAsync(Item(1), "silo-a", LeaseEnd);

        var claimed = await outbox.ClaimExpiredAsync("silo-b", LeaseEnd, LeaseEnd.AddMinutes(10), 10);

        Assert.Empty(claimed);
    }

    [Fact]
    public async Task ExpiredEvent_IsClaimedWithEveryField()
    {
        var outbox = Create();
        await outbox.AddAsync(Item(1), "silo-a", LeaseEnd);

        var claimed = await outbox.ClaimExpiredAsync("silo-b", LeaseEnd.AddMilliseconds(1), LeaseEnd.AddMinutes(10), 10);

        Assert.Equal(Item(1), Assert.Single(claimed));
    }

    [Fact]
    public async Task WebhookEventList_RoundTrips()
    {
        var outbox = Create();
        var item = Item(1);
        var events = new[] { WebhookEventType.Failed, WebhookEventType.DeadLettered };
        await outbox.AddAsync(item with { Event = item.Event with { Webhook = item.Event.Webhook with { Events = events } } }, "silo-a", LeaseEnd);

        var claimed = await outbox.ClaimExpiredAsync("silo-b", LeaseEnd.AddMilliseconds(1), LeaseEnd.AddMinutes(10), 10);

        Assert.Equal(events, Assert.Single(claimed).Event.Webhook.Events);
    }

    [Fact]
    public async Task ClaimedEvent_IsLeasedToClaimer()
    {
        var outbox = Create();
        await outbox.AddAsync(Item(1), "silo-a", LeaseEnd);
        await outbox.ClaimExpiredAsync("silo-b", LeaseEnd.AddMilliseconds(1), LeaseEnd.AddMinutes(10), 10);

        var second = await outbox.ClaimExpiredAsync("silo-c", LeaseEnd.AddMinutes(5), LeaseEnd.AddMinutes(15), 10);

        Assert.Empty(second);
    }

    [Fact]
    public async Task Claim_TakesLimitInEventOrder()
    {
        var outbox = Create();
        foreach (var n in new[] { 3, 1, 2 })
        {
            await outbox.AddAsync(Item(n), "silo-a", LeaseEnd);
        }

        var claimed = await outbox.ClaimExpiredAsync("silo-b", LeaseEnd.AddMilliseconds(1), LeaseEnd.AddMinutes(10), 2);

        Assert.Equal(2, claimed.Count);
        Assert.True(string.CompareOrdinal(claimed[0].EventId, claimed[1].EventId) < 0);
    }

    [Fact]
    public async Task RemovedEvent_IsNeverClaimed()
    {
        var outbox = Create();
        await outbox.AddAsync(Item(1), "silo-a", LeaseEnd);
        await outbox.AddAsync(Item(2), "silo-a", LeaseEnd);

        await outbox.RemoveAsync(Item(1).EventId);
        var claimed = await outbox.ClaimExpiredAsync("silo-b", LeaseEnd.AddMilliseconds(1), LeaseEnd.AddMinutes(10), 10);

        Assert.Equal(Item(2).EventId, Assert.Single(claimed).EventId);
    }

    [Fact]
    public async Task Release_EndsOnlyOwnersLeases()
    {
        var outbox = Create();
        await outbox.AddAsync(Item(1), "silo-a", LeaseEnd);
        await outbox.AddAsync(Item(2), "silo-b", LeaseEnd);

        var released = await outbox.ReleaseAsync("silo-a", Samples.Now);
        var claimed = await outbox.ClaimExpiredAsync("silo-c", Samples.Now.AddMilliseconds(1), LeaseEnd.AddMinutes(10), 10);

        Assert.Equal(1, released);
        Assert.Equal(Item(1).EventId, Assert.Single(claimed).EventId);
    }
}

public sealed class MemoryWebhookOutboxTests : WebhookOutboxContract
{
    protected override IWebhookOutbox Create() => new MemoryWebhookOutbox();
}

public sealed class PostgresWebhookOutboxTests(SchemaDatabase database) : WebhookOutboxContract, IClassFixture<SchemaDatabase>, IAsyncLifetime
{
    protected override IWebhookOutbox Create() => new PostgresWebhookOutbox(database.DataSource, NullLogger<PostgresWebhookOutbox>.Instance);

    public async Task InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE js_webhook_outbox");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
