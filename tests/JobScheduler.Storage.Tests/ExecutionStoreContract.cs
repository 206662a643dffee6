using JobScheduler.Abstractions.Executions;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Postgres.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobScheduler.Storage.Tests;

/// <summary>The execution history contract; every implementation runs the same tests.</summary>
public abstract class ExecutionStoreContract
{
    // Execution ids embed the job's ULID and a ULID of their own, which sorts by creation time.
    private const string JobUlid = "01KBJ0000000000000000000JB";

    protected abstract IExecutionStore Create();

    private static string ExecutionId(int n) => $"exe_{JobUlid}_01KBJ{n:D5}0000000000000000";

    [Fact]
    public async Task Save_RoundTripsEveryField()
    {
        var store = Create();
        var execution = Samples.Execution(ExecutionId(1), ExecutionStatus.Failed);

        await store.SaveAsync(execution);

        Assert.Equal(execution, await store.GetAsync(execution.ExecutionId));
    }

    [Fact]
    public async Task Save_NeverLowersStatus()
    {
        var store = Create();
        var id = ExecutionId(2);
        await store.SaveAsync(Samples.Execution(id, ExecutionStatus.Succeeded));

        await store.SaveAsync(Samples.Execution(id, ExecutionStatus.Running));

        Assert.Equal(ExecutionStatus.Succeeded, (await store.GetAsync(id))!.Status);
    }

    [Fact]
    public async Task Get_UnknownReturnsNull()
    {
        var store = Create();

        Assert.Null(await store.GetAsync(ExecutionId(99)));
    }

    [Fact]
    public async Task FindScheduledKeys_ReturnsKeysWithFirstScheduledAttempt()
    {
        var store = Create();
        var jobId = "job_" + JobUlid;
        await store.SaveAsync(Samples.Execution(ExecutionId(20), ExecutionStatus.Running) with { IdempotencyKey = jobId + ":1000", AttemptNumber = 1 });
        await store.SaveAsync(Samples.Execution(ExecutionId(21), ExecutionStatus.Failed) with { IdempotencyKey = jobId + ":2000", AttemptNumber = 2 });
        await store.SaveAsync(Samples.Execution(ExecutionId(22), ExecutionStatus.Succeeded) with
        {
            IdempotencyKey = jobId + ":3000", AttemptNumber = 1, Trigger = ExecutionTrigger.Manual,
        });

        var found = await store.FindScheduledKeysAsync([jobId + ":1000", jobId + ":2000", jobId + ":3000", jobId + ":4000"]);

        Assert.Equal([jobId + ":1000"], found.ToList());
    }

    [Fact]
    public async Task List_PagesNewestFirst()
    {
        var store = Create();
        for (var n = 10; n < 15; n++)
        {
            await store.SaveAsync(Samples.Execution(ExecutionId(n), ExecutionStatus.Succeeded));
        }

        var jobId = "job_" + JobUlid;
        var first = await store.ListByJobAsync(jobId, 2, null);
        var second = await store.ListByJobAsync(jobId, 2, first.NextCursor);
        var third = await store.ListByJobAsync(jobId, 2, second.NextCursor);

        Assert.Equal([ExecutionId(14), ExecutionId(13)], first.Items.Select(e => e.ExecutionId).ToList());
        Assert.Equal([ExecutionId(12), ExecutionId(11)], second.Items.Select(e => e.ExecutionId).ToList());
        Assert.Equal([ExecutionId(10)], third.Items.Select(e => e.ExecutionId).ToList());
        Assert.Equal(ExecutionId(13), first.NextCursor);
        Assert.Null(third.NextCursor);
    }
}

public sealed class MemoryExecutionStoreTests : ExecutionStoreContract
{
    protected override IExecutionStore Create() => new MemoryExecutionStore();
}

public sealed class PostgresExecutionStoreTests(SchemaDatabase database) : ExecutionStoreContract, IClassFixture<SchemaDatabase>, IAsyncLifetime
{
    private readonly List<PostgresExecutionStore> _created = [];

    protected override IExecutionStore Create()
    {
        var store = new PostgresExecutionStore(database.DataSource, NullLogger<PostgresExecutionStore>.Instance);
        _created.Add(store);
        return store;
    }

    public async Task InitializeAsync()
    {
        await using var command = database.DataSource.CreateCommand("TRUNCATE js_executions");
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
