using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Handlers;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests.Shards;

/// <summary>
/// An attempt that fired but waits for dispatch capacity is in the due-index, not only in memory: its job's row
/// has already moved to the next instant, so a silo that died now would otherwise lose the instant. The shard
/// here dispatches one attempt at a time.
/// </summary>
public sealed class WaitingAttemptRowTests : IsolatedCluster<WaitingAttemptRowTests.SiloConfigurator>
{
    private const string User = "waiting-row-user";
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 8, 3, 7, 0, 0, TimeSpan.Zero));
    private static readonly MemoryDueIndex DueIndex = new();
    private static readonly BlockingHandler Handler = new();

    [Fact]
    public async Task AttemptWaitingForCapacity_HasDueIndexRow()
    {
        var start = Time.GetUtcNow();
        var jobId = JobIds.NewJobId(start);
        var shard = ShardMap.ShardOf(jobId, 64);
        var definition = JobDefinitions.Recurring("*/1 * * * * *", BlockingHandler.Name) with
        {
            Target = new TargetDefinition { Type = TargetType.Handler, Name = BlockingHandler.Name, TimeoutSeconds = 3600 },
        };
        Assert.True((await Grains.GetGrain<IJobGrain>(jobId).Create(User, definition)).IsSuccess);

        // The first instant runs and takes the only slot; the second fires and waits.
        Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => Handler.StartedOf(jobId).Count == 1, "the first instant runs");
        Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(async () => (await RetryRowsAsync(shard)).Count == 2, "the waiting attempt is written");

        var rows = await RetryRowsAsync(shard);
        var lease = Assert.Single(rows, row => row.IsLease);
        var waiting = Assert.Single(rows, row => !row.IsLease);
        Assert.Equal(start.AddSeconds(1), lease.Attempt.ScheduledAt);
        Assert.Equal(start.AddSeconds(2), waiting.Attempt.ScheduledAt);
        Assert.Equal(start.AddSeconds(2), waiting.Due);
        var job = Assert.Single(await DueIndex.ReadDueAsync(shard, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Equal(start.AddSeconds(3), job.NextDue);

        // Once dispatched, the waiting row becomes the attempt's lease.
        Handler.Release(Handler.StartedOf(jobId)[0].ExecutionId);
        await Eventually.HoldsAsync(() => Handler.StartedOf(jobId).Count == 2, "the waiting attempt runs");
        await Eventually.HoldsAsync(async () => (await RetryRowsAsync(shard)).All(row => row.IsLease), "the waiting row is replaced by a lease");
        var running = Assert.Single(await RetryRowsAsync(shard));
        Assert.Equal(waiting.Attempt.ExecutionId, running.Attempt.ExecutionId);
    }

    private static async Task<IReadOnlyList<RetryEntry>> RetryRowsAsync(int shard) =>
        await DueIndex.ReadDueRetriesAsync(shard, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            IsolatedSilo.Configure(
                siloBuilder,
                Time,
                new Dictionary<string, IJobHandler> { [BlockingHandler.Name] = Handler },
                DueIndex,
                settings: new Dictionary<string, string?> { ["Scheduler:MaxInFlightPerShard"] = "1" });
    }
}
