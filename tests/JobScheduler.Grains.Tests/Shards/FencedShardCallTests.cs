using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Handlers;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests.Shards;

/// <summary>
/// A call that reaches a shard activation replaced by a newer one (its epoch was claimed elsewhere) fails with
/// <see cref="ShardMovedException"/>, which crosses the wire, and the stale activation stops, so the repeated
/// call reaches a new activation and succeeds.
/// </summary>
public sealed class FencedShardCallTests : IsolatedCluster<FencedShardCallTests.SiloConfigurator>
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 9, 7, 6, 0, 0, TimeSpan.Zero));
    private static readonly MemoryDueIndex DueIndex = new();

    [Fact]
    public async Task UpsertToReplacedActivation_ThrowsThenSucceeds()
    {
        var now = Time.GetUtcNow();
        var jobId = JobIds.NewJobId(now);
        var shardId = ShardMap.ShardOf(jobId, 64);
        var shard = Grains.GetGrain<ISchedulerShardGrain>(shardId);
        var job = new ShardJob
        {
            JobId = jobId,
            UserId = "fenced-user",
            Version = 1,
            Type = JobType.Recurring,
            ScheduleExpression = "0 0 1 1 *",
            Anchor = now,
            Target = new TargetDefinition { Type = TargetType.Handler, Name = RecordingHandler.Name },
            NextDue = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        await shard.Ping();
        await DueIndex.ClaimShardAsync(shardId, "another-silo");

        var moved = await Assert.ThrowsAsync<ShardMovedException>(() => shard.Upsert(job));
        Assert.Equal(shardId, moved.Shard);

        await Eventually.HoldsAsync(async () => await TryUpsertAsync(shard, job), "a repeated call reaches a new activation");
        var row = Assert.Single(await DueIndex.ReadDueAsync(shardId, DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Equal(jobId, row.JobId);
        Assert.Equal(job.NextDue, row.NextDue);
    }

    private static async Task<bool> TryUpsertAsync(ISchedulerShardGrain shard, ShardJob job)
    {
        try
        {
            await shard.Upsert(job);
            return true;
        }
        catch (ShardMovedException)
        {
            return false;
        }
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            IsolatedSilo.Configure(siloBuilder, Time, new Dictionary<string, IJobHandler> { [RecordingHandler.Name] = new RecordingHandler() }, DueIndex);
    }
}
