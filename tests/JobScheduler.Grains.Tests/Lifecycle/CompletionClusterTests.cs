using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Grains.Users;
using JobScheduler.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests.Lifecycle;

/// <summary>
/// Completion of one-time jobs, which their shard records in batches instead of each job grain. The job
/// reads COMPLETED, its quota is released and its due-index row is deleted. This is also true when the
/// shard that fired the job was replaced before it could record the completion.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CompletionClusterTests(ClusterFixture fixture)
{
    private const int ShardCount = 64;

    [Fact]
    public async Task OneTimeBurst_CompletesAndReleasesQuota()
    {
        const string user = "completion-burst";
        var quota = fixture.Grains.GetGrain<IUserGrain>(JobIds.UserKey(user));
        var due = ClusterFixture.Time.GetUtcNow().AddSeconds(2);
        var jobIds = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            jobIds.Add(await CreateAsync(user, JobDefinitions.OneTime(due)));
        }

        Assert.Equal(40, await quota.GetActiveJobCount());
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(2));

        await Eventually.HoldsAsync(async () => await quota.GetActiveJobCount() == 0, "quota released");
        await Eventually.HoldsAsync(async () => await DueRowsLeftAsync(jobIds) == 0, "due-index rows deleted");
        var rows = (await MemoryStores.JobIndex.ListAsync(user, 500, null)).ToList();
        Assert.Equal(40, rows.Count(row => row.Status == JobStatus.Completed && row.Version == 1));
        foreach (var jobId in jobIds)
        {
            var job = (await Grain(jobId).GetJob(user)).Value!;
            Assert.Equal((JobStatus.Completed, 1L, (DateTimeOffset?)null), (job.Status, job.Version, job.NextExecutionAt));
            Assert.Equal([due], RecordingHandler.Instance.RunsOf(jobId).Select(run => run.ScheduledAt).ToList());
        }
    }

    [Fact]
    public async Task FencedShard_CompletesOnNextActivation()
    {
        const string user = "completion-fenced";
        var quota = fixture.Grains.GetGrain<IUserGrain>(JobIds.UserKey(user));
        var due = ClusterFixture.Time.GetUtcNow().AddSeconds(2);
        var jobId = await CreateAsync(user, JobDefinitions.OneTime(due));
        var shard = fixture.Grains.GetGrain<ISchedulerShardGrain>(ShardMap.ShardOf(jobId, ShardCount));

        // A newer claim fences the live activation, so it cannot mark the row exhausted. It may fire the instant
        // before it notices, or leave the instant to the next activation after its epoch check. Either way the
        // instant runs once and the job completes.
        await MemoryStores.DueIndex.ClaimShardAsync(ShardMap.ShardOf(jobId, ShardCount), "test");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.HoldsAsync(
            async () =>
            {
                await shard.Ping();
                return (await Grain(jobId).GetJob(user)).Value!.Status == JobStatus.Completed;
            },
            "completed by the next activation",
            seconds: 30);
        Assert.Equal(1, await SucceededRunsAsync(user, jobId));
        Assert.Equal(0, await quota.GetActiveJobCount());
        Assert.Single(RecordingHandler.Instance.RunsOf(jobId));
        await Eventually.HoldsAsync(async () => await DueRowsLeftAsync([jobId]) == 0, "due-index row deleted");
    }

    [Fact]
    public async Task QuotaReleases_ConcurrentReleasesAllCount()
    {
        const string user = "completion-merged";
        var quota = fixture.Grains.GetGrain<IUserGrain>(JobIds.UserKey(user));
        for (var i = 0; i < 30; i++)
        {
            Assert.True(await quota.TryReserveJob(100));
        }

        var releases = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services.GetRequiredService<QuotaReleases>();
        await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => releases.ReleaseAsync(user, 1)));

        Assert.Equal(5, await quota.GetActiveJobCount());
    }

    private static async Task<int> DueRowsLeftAsync(IReadOnlyList<string> jobIds)
    {
        var left = 0;
        foreach (var shard in jobIds.Select(id => ShardMap.ShardOf(id, ShardCount)).Distinct())
        {
            var rows = await MemoryStores.DueIndex.ReadDueAsync(shard, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
            left += rows.Count(row => jobIds.Contains(row.JobId));
        }

        return left;
    }

    private async Task<int> SucceededRunsAsync(string user, string jobId) =>
        (await Grain(jobId).ListExecutions(user, 10, null)).Value!.Items.Count(e => e.Status == ExecutionStatus.Succeeded);

    private IJobGrain Grain(string jobId) => fixture.Grains.GetGrain<IJobGrain>(jobId);

    private async Task<string> CreateAsync(string user, JobDefinition definition)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var result = await Grain(jobId).Create(user, definition);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return jobId;
    }
}
