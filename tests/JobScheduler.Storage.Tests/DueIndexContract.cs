using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Postgres.Stores;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobScheduler.Storage.Tests;

/// <summary>The due-index contract; every implementation runs the same tests.</summary>
public abstract class DueIndexContract
{
    private const int Shard = 7;

    protected abstract IDueIndex Create();

    [Fact]
    public async Task Claim_ReturnsIncreasingEpochs()
    {
        var index = Create();

        var first = await index.ClaimShardAsync(Shard, "silo-a");
        var second = await index.ClaimShardAsync(Shard, "silo-b");

        Assert.Equal(first + 1, second);
    }

    [Fact]
    public async Task ReadDue_ReturnsRangeInDueOrder()
    {
        var index = Create();
        var epoch = await index.ClaimShardAsync(Shard, "silo-a");
        await index.UpsertAsync(Shard, epoch, Samples.Job("job_B", Samples.Now.AddSeconds(20)));
        await index.UpsertAsync(Shard, epoch, Samples.Job("job_A", Samples.Now.AddSeconds(10)));
        await index.UpsertAsync(Shard, epoch, Samples.Job("job_C", Samples.Now.AddSeconds(90)));

        var due = await index.ReadDueAsync(Shard, DateTimeOffset.MinValue, Samples.Now.AddSeconds(60));

        Assert.Equal(["job_A", "job_B"], due.Select(j => j.JobId).ToList());
        Assert.Empty(await index.ReadDueAsync(Shard + 1, DateTimeOffset.MinValue, Samples.Now.AddYears(1)));
    }

    [Fact]
    public async Task ReadJob_ReturnsOneJobsRowOrNull()
    {
        var index = Create();
        var epoch = await index.ClaimShardAsync(Shard, "silo-a");
        await index.UpsertAsync(Shard, epoch, Samples.Job("job_J", Samples.Now.AddDays(40)));

        var stored = await index.ReadJobAsync(Shard, "job_J");

        Assert.Equal("job_J", stored?.JobId);
        Assert.Equal(Samples.Now.AddDays(40), stored?.NextDue);
        Assert.Null(await index.ReadJobAsync(Shard, "job_missing"));
        Assert.Null(await index.ReadJobAsync(Shard + 1, "job_J"));
    }

    [Fact]
    public async Task Upsert_RoundTripsEverySnapshotField()
    {
        var index = Create();
        var epoch = await index.ClaimShardAsync(Shard, "silo-a");
        var job = Samples.Job("job_R", Samples.Now);

        await index.UpsertAsync(Shard, epoch, job);
        var stored = Assert.Single(await index.ReadDueAsync(Shard, Samples.Now, Samples.Now.AddSeconds(1)));

        Assert.Equal(job with { Target = stored.Target }, stored);
        Assert.Equal(job.Target with { Headers = stored.Target.Headers }, stored.Target);
        Assert.Equal("sales", stored.Target.Headers!["X-Team"]);
    }

    [Fact]
    public async Task Upsert_KeepsNewerVersion()
    {
        var index = Create();
        var epoch = await index.ClaimShardAsync(Shard, "silo-a");
        await index.UpsertAsync(Shard, epoch, Samples.Job("job_V", Samples.Now.AddSeconds(5), version: 3));

        await index.UpsertAsync(Shard, epoch, Samples.Job("job_V", Samples.Now.AddSeconds(1), version: 2));

        var stored = Assert.Single(await index.ReadDueAsync(Shard, DateTimeOffset.MinValue, Samples.Now.AddDays(1)));
        Assert.Equal(3, stored.Version);
        Assert.Equal(Samples.Now.AddSeconds(5), stored.NextDue);
    }

    [Fact]
    public async Task Remove_DeletesOnlyUpToVersion()
    {
        var index = Create();
        var epoch = await index.ClaimShardAsync(Shard, "silo-a");
        await index.UpsertAsync(Shard, epoch, Samples.Job("job_D", Samples.Now, version: 2));

        await index.RemoveAsync(Shard, epoch, "job_D", 1);
        Assert.Single(await index.ReadDueAsync(Shard, DateTimeOffset.MinValue, Samples.Now.AddDays(1)));
        await index.RemoveAsync(Shard, epoch, "job_D", 2);
        Assert.Empty(await index.ReadDueAsync(Shard, DateTimeOffset.MinValue, Samples.Now.AddDays(1)));
    }

    [Fact]
    public async Task StaleEpoch_IsFencedAndChangesNothing()
    {
        var index = Create();
        var old = await index.ClaimShardAsync(Shard, "silo-a");
        await index.UpsertAsync(Shard, old, Samples.Job("job_F", Samples.Now));
        var current = await index.ClaimShardAsync(Shard, "silo-b");

        var upsert = await Assert.ThrowsAsync<ShardFencedException>(
            async () => await index.UpsertAsync(Shard, old, Samples.Job("job_F", Samples.Now.AddSeconds(9), version: 5)));
        var remove = await Assert.ThrowsAsync<ShardFencedException>(
            async () => await index.RemoveAsync(Shard, old, "job_F", 5));

        Assert.Equal(old, upsert.Epoch);
        Assert.Equal(Shard, remove.Shard);
        var stored = Assert.Single(await index.ReadDueAsync(Shard, DateTimeOffset.MinValue, Samples.Now.AddDays(1)));
        Assert.Equal(1, stored.Version);
        await index.UpsertAsync(Shard, current, Samples.Job("job_F", Samples.Now, version: 6));
    }
}

public abstract class DueIndexRetryContract : DueIndexContract
{
    private const int Shard = 9;

    [Fact]
    public async Task Retry_RoundTripsAndDeletes()
    {
        var index = Create();
        var epoch = await index.ClaimShardAsync(Shard, "silo-a");
        var attempt = new AttemptRequest
        {
            ExecutionId = "exe_01KBJ0000000000000000000JB_01KBJ0000200000000000000RT",
            JobId = "job_01KBJ0000000000000000000JB",
            UserId = "alice",
            Shard = Shard,
            ScheduledAt = Samples.Now,
            AttemptNumber = 3,
            Trigger = ExecutionTrigger.Manual,
            IdempotencyKey = "job_01KBJ0000000000000000000JB:manual:exe_x",
            Target = Samples.Job("job_R", Samples.Now).Target,
            Payload = """{"a":1}""",
            Priority = JobPriority.Low,
            Chain = 2,
        };

        await index.UpsertRetryAsync(Shard, epoch, new RetryEntry(attempt, Samples.Now.AddMinutes(5)));
        var stored = Assert.Single(await index.ReadDueRetriesAsync(Shard, Samples.Now, Samples.Now.AddMinutes(10)));
        Assert.Empty(await index.ReadDueRetriesAsync(Shard, Samples.Now, Samples.Now.AddMinutes(4)));
        Assert.Equal(Samples.Now.AddMinutes(5), stored.Due);
        Assert.Equal(attempt with { Target = stored.Attempt.Target }, stored.Attempt);
        Assert.Equal(attempt.Target.Url, stored.Attempt.Target.Url);

        await index.RemoveRetryAsync(Shard, epoch, attempt.ExecutionId);
        Assert.Empty(await index.ReadDueRetriesAsync(Shard, DateTimeOffset.MinValue, Samples.Now.AddYears(1)));
    }

    [Fact]
    public async Task RemoveRetriesOfJob_DeletesOnlyThatJob()
    {
        var index = Create();
        var epoch = await index.ClaimShardAsync(Shard, "silo-a");
        var mine = new AttemptRequest { ExecutionId = "exe_mine", JobId = "job_M", UserId = "alice" };
        var lease = mine with { ExecutionId = "exe_lease" };
        var other = new AttemptRequest { ExecutionId = "exe_other", JobId = "job_O", UserId = "alice" };
        await index.UpsertRetryAsync(Shard, epoch, new RetryEntry(mine, Samples.Now.AddHours(1)));
        await index.UpsertRetryAsync(Shard, epoch, new RetryEntry(lease, Samples.Now, IsLease: true));
        await index.UpsertRetryAsync(Shard, epoch, new RetryEntry(other, Samples.Now.AddHours(1)));

        var removed = await index.RemoveRetriesOfJobAsync(Shard, epoch, "job_M");

        Assert.Equal(["exe_lease", "exe_mine"], removed.Select(r => r.Attempt.ExecutionId).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["exe_other"], (await index.ReadDueRetriesAsync(Shard, DateTimeOffset.MinValue, Samples.Now.AddYears(1))).Select(r => r.Attempt.ExecutionId).ToList());
    }

    [Fact]
    public async Task Retry_StaleEpochIsFenced()
    {
        var index = Create();
        var old = await index.ClaimShardAsync(Shard, "silo-a");
        await index.ClaimShardAsync(Shard, "silo-b");
        var attempt = new AttemptRequest { ExecutionId = "exe_fenced", JobId = "job_F", UserId = "alice" };

        await Assert.ThrowsAsync<ShardFencedException>(
            async () => await index.UpsertRetryAsync(Shard, old, new RetryEntry(attempt, Samples.Now)));

        Assert.Empty(await index.ReadDueRetriesAsync(Shard, DateTimeOffset.MinValue, Samples.Now.AddYears(1)));
    }
}

public sealed class MemoryDueIndexTests : DueIndexRetryContract
{
    protected override IDueIndex Create() => new MemoryDueIndex();
}

public sealed class PostgresDueIndexTests(SchemaDatabase database) : DueIndexRetryContract, IClassFixture<SchemaDatabase>, IAsyncLifetime
{
    private readonly List<PostgresDueIndex> _created = [];

    protected override IDueIndex Create()
    {
        var index = new PostgresDueIndex(database.DataSource, NullLogger<PostgresDueIndex>.Instance);
        _created.Add(index);
        return index;
    }

    public async Task InitializeAsync()
    {
        // Each test starts from empty tables, as a new memory store does.
        await using var command = database.DataSource.CreateCommand("TRUNCATE js_due_index, js_due_retries, js_shard_epochs");
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var index in _created)
        {
            await index.DisposeAsync();
        }
    }
}
