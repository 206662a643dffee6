using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Handlers;
using JobScheduler.Grains.Ids;
using JobScheduler.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests.Shards;

/// <summary>
/// A job created while its shard reads the next part of the horizon still fires, although its due-index
/// row was written after the read took its rows.
/// </summary>
public sealed class HorizonReadRaceTests : IsolatedCluster<HorizonReadRaceTests.SiloConfigurator>
{
    private const string User = "horizon-user";
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero));
    private static readonly GatedDueIndex DueIndex = new();
    private static readonly RecordingHandler Handler = new();

    [Fact]
    public async Task JobCreatedDuringHorizonRead_Fires()
    {
        var jobId = JobIds.NewJobId(DateTimeOffset.UtcNow);
        var shard = ShardMap.ShardOf(jobId, 64);
        await Grains.GetGrain<ISchedulerShardGrain>(shard).Ping();

        // The shard loaded [start, start + 60 s). Past the half-way mark its timer reads up to now + 60 s.
        var start = Time.GetUtcNow();
        DueIndex.HoldNextRead(shard);
        Time.Advance(TimeSpan.FromSeconds(31));
        await DueIndex.ReadStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Due beyond the old bound and within the new one, written after the held read took its rows.
        var due = start.AddSeconds(70);
        var created = await Grains.GetGrain<IJobGrain>(jobId).Create(User, JobDefinitions.OneTime(due));
        Assert.True(created.IsSuccess, created.Error?.Message);
        DueIndex.ReleaseRead();

        await Task.Delay(500);
        Time.Advance(TimeSpan.FromSeconds(40));
        await Eventually.HoldsAsync(() => Handler.RunsOf(jobId).Count == 1, "the job created during the read ran");

        var run = Assert.Single(Handler.RunsOf(jobId));
        Assert.Equal(due, run.ScheduledAt);
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            IsolatedSilo.Configure(siloBuilder, Time, new Dictionary<string, IJobHandler> { [RecordingHandler.Name] = Handler }, DueIndex);
    }
}
