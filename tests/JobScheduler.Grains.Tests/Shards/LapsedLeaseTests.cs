using JobScheduler.Abstractions.Executions;
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
/// Lapsed leases. A shard whose silo stalls past a lease reports the attempt lost only once it has checked that
/// no newer activation claimed the shard meanwhile, because a newer one reports it itself. An attempt whose outcome went
/// elsewhere but whose final status is in the history ends as recorded. Each test adopts a lease row written
/// before the shard activated, so no executor heartbeats renew it.
/// </summary>
public sealed class LapsedLeaseTests : IsolatedCluster<LapsedLeaseTests.SiloConfigurator>
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 7, 6, 9, 0, 0, TimeSpan.Zero));
    private static readonly MemoryDueIndex DueIndex = new();
    private static readonly MemoryExecutionStore History = new();

    private AttemptRequest _attempt = null!;

    /// <summary>Writes a lease due in 10 s for a job of a fresh shard before the silo starts and activates every shard.</summary>
    protected override async Task BeforeStartAsync() => _attempt = await WriteLeaseAsync();

    [Fact]
    public async Task ClaimedElsewhere_LeaseNotReportedLost()
    {
        var attempt = await AdoptLeaseAsync();

        // A newer activation elsewhere claims the shard while this silo stalls past the lease.
        await DueIndex.ClaimShardAsync(attempt.Shard, "another-silo");
        Time.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(3000);

        Assert.Null(await History.GetAsync(attempt.ExecutionId));
    }

    [Fact]
    public async Task StillOwned_LeaseReportedLost()
    {
        var attempt = await AdoptLeaseAsync();

        Time.Advance(TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(async () => await History.GetAsync(attempt.ExecutionId) is not null, "the lapsed lease is recorded");

        var record = (await History.GetAsync(attempt.ExecutionId))!;
        Assert.Equal(ExecutionStatus.Failed, record.Status);
        Assert.Equal(1, record.AttemptNumber);
    }

    [Fact]
    public async Task FinishedElsewhere_KeepsRecordedOutcome()
    {
        var attempt = await AdoptLeaseAsync();
        var finished = Time.GetUtcNow();
        await History.SaveAsync(new ExecutionInfo
        {
            ExecutionId = attempt.ExecutionId,
            JobId = attempt.JobId,
            UserId = attempt.UserId,
            Status = ExecutionStatus.Succeeded,
            Trigger = attempt.Trigger,
            ScheduledAt = attempt.ScheduledAt,
            FinishedAt = finished,
            AttemptNumber = 1,
            IdempotencyKey = attempt.IdempotencyKey,
        });

        // Past the lease in steps short enough not to count as a stall.
        for (var step = 0; step < 5; step++)
        {
            Time.Advance(TimeSpan.FromSeconds(3));
            await Task.Delay(300);
        }

        await Eventually.HoldsAsync(async () => (await LeaseRowsAsync(attempt.Shard)).Count == 0, "the lapsed lease row is deleted");
        var record = (await History.GetAsync(attempt.ExecutionId))!;
        Assert.Equal(ExecutionStatus.Succeeded, record.Status);
        Assert.Null(record.Error);
        Assert.Equal(finished, record.FinishedAt);
    }

    private static async Task<IReadOnlyList<RetryEntry>> LeaseRowsAsync(int shard) =>
        await DueIndex.ReadDueRetriesAsync(shard, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    private static async Task<AttemptRequest> WriteLeaseAsync()
    {
        var now = Time.GetUtcNow();
        var jobId = JobIds.NewJobId(now);
        var shard = ShardMap.ShardOf(jobId, 64);
        var attempt = new AttemptRequest
        {
            ExecutionId = JobIds.NewExecutionId(jobId, now),
            JobId = jobId,
            UserId = "stall-user",
            Shard = shard,
            ScheduledAt = now,
            AttemptNumber = 1,
            Trigger = ExecutionTrigger.Schedule,
            IdempotencyKey = JobIds.ScheduledKey(jobId, now),
            Target = new TargetDefinition { Type = TargetType.Handler, Name = RecordingHandler.Name },
            DispatchedAt = now,
        };
        var epoch = await DueIndex.ClaimShardAsync(shard, "earlier-silo");
        await DueIndex.UpsertRetryAsync(shard, epoch, new RetryEntry(attempt, now.AddSeconds(10), IsLease: true));
        return attempt;
    }

    /// <summary>Lets the shard, activated at silo start, run a pass with the adopted lease not yet lapsed.</summary>
    private async Task<AttemptRequest> AdoptLeaseAsync()
    {
        await Grains.GetGrain<ISchedulerShardGrain>(_attempt.Shard).Ping();
        Time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(1500);
        return _attempt;
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            IsolatedSilo.Configure(siloBuilder, Time, new Dictionary<string, IJobHandler> { [RecordingHandler.Name] = new RecordingHandler() }, DueIndex, History);
    }
}
