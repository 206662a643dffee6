using JobScheduler.Abstractions.Executions;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Postgres.Stores;

namespace JobScheduler.Storage.Tests;

/// <summary>The dead letter contract; every implementation runs the same tests.</summary>
public abstract class DeadLetterStoreContract
{
    private const string JobUlid = "01KBJ0000000000000000000JB";

    protected abstract IDeadLetterStore Create();

    private static DeadLetterInfo DeadLetter(int n, string user = "alice") => new()
    {
        DeadLetterId = $"dlq_{JobUlid}_01KBJ{n:D5}0000000000000000",
        JobId = "job_" + JobUlid,
        UserId = user,
        ExecutionId = $"exe_{JobUlid}_01KBJ{n:D5}000000000000000E",
        IdempotencyKey = $"job_{JobUlid}:1796378400000",
        ScheduledAt = Samples.Now,
        Attempts = 4,
        LastError = "The target answered HTTP 503: busy",
        Trigger = ExecutionTrigger.Schedule,
        DeadLetteredAt = Samples.Now.AddMinutes(n),
        Chain = 1,
    };

    [Fact]
    public async Task Add_RoundTripsEveryField()
    {
        var store = Create();

        await store.AddAsync(DeadLetter(1));

        Assert.Equal(DeadLetter(1), await store.GetAsync(DeadLetter(1).DeadLetterId));
    }

    [Fact]
    public async Task List_PagesOneUsersNewestFirst()
    {
        var store = Create();
        for (var n = 1; n <= 3; n++)
        {
            await store.AddAsync(DeadLetter(n));
        }

        await store.AddAsync(DeadLetter(9, user: "bob"));

        var first = await store.ListAsync("alice", 2, null);
        var second = await store.ListAsync("alice", 2, first.NextCursor);

        Assert.Equal([DeadLetter(3).DeadLetterId, DeadLetter(2).DeadLetterId], first.Items.Select(d => d.DeadLetterId).ToList());
        Assert.Equal([DeadLetter(1).DeadLetterId], second.Items.Select(d => d.DeadLetterId).ToList());
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task Remove_DeletesOnce()
    {
        var store = Create();
        await store.AddAsync(DeadLetter(5));

        Assert.True(await store.RemoveAsync(DeadLetter(5).DeadLetterId));
        Assert.False(await store.RemoveAsync(DeadLetter(5).DeadLetterId));
        Assert.Null(await store.GetAsync(DeadLetter(5).DeadLetterId));
    }
}

public sealed class MemoryDeadLetterStoreTests : DeadLetterStoreContract
{
    protected override IDeadLetterStore Create() => new MemoryDeadLetterStore();
}

public sealed class PostgresDeadLetterStoreTests(SchemaDatabase database) : DeadLetterStoreContract, IClassFixture<SchemaDatabase>, IAsyncLifetime
{
    protected override IDeadLetterStore Create() => new PostgresDeadLetterStore(database.DataSource);

    public async Task InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE js_dead_letters");
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
