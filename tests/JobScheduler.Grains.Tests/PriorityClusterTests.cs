using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;
using JobScheduler.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// Backpressure: with one attempt in flight per shard, waiting attempts start by priority (HIGH, NORMAL,
/// LOW), and in the order of their instants within a priority.
/// </summary>
public sealed class PriorityClusterTests : IAsyncLifetime
{
    private const string User = "priority-user";
    private static readonly BlockingHandler Handler = new();

    private TestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task WaitingAttempts_StartByPriority()
    {
        // Four jobs on one shard, so they share its in-flight bound.
        var ids = JobIdsOnOneShard(4);
        var blocker = await CreateAsync(ids[0], JobPriority.Normal);
        var low = await CreateAsync(ids[1], JobPriority.Low);
        var normal = await CreateAsync(ids[2], JobPriority.Normal);
        var high = await CreateAsync(ids[3], JobPriority.High);

        var blocking = (await blocker.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(() => Handler.StartedOf(ids[0]).Count == 1, "first attempt holds the only slot");
        var lowRun = (await low.ExecuteNow(User)).Value!;
        var normalRun = (await normal.ExecuteNow(User)).Value!;
        var highRun = (await high.ExecuteNow(User)).Value!;
        await Task.Delay(200);
        Assert.Empty(Handler.StartedOf(ids[1]).Concat(Handler.StartedOf(ids[2])).Concat(Handler.StartedOf(ids[3])));

        Handler.Release(blocking);
        foreach (var expected in new[] { highRun, normalRun, lowRun })
        {
            await Eventually.HoldsAsync(() => Handler.Started.Count(c => c.ExecutionId == expected) == 1, $"{expected} started");
            Handler.Release(expected);
        }

        Assert.Equal(new[] { highRun, normalRun, lowRun }, Handler.Started.Skip(Handler.Started.Count - 3).Select(c => c.ExecutionId).ToArray());
    }

    private async Task<IJobGrain> CreateAsync(string jobId, JobPriority priority)
    {
        var job = _cluster.GrainFactory.GetGrain<IJobGrain>(jobId);
        var definition = JobDefinitions.Recurring("0 0 1 1 *", BlockingHandler.Name) with { Priority = priority };
        var created = await job.Create(User, definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return job;
    }

    private static List<string> JobIdsOnOneShard(int count)
    {
        var ids = new List<string>();
        var shard = -1;
        while (ids.Count < count)
        {
            var id = JobIds.NewJobId(DateTimeOffset.UtcNow);
            var idShard = ShardMap.ShardOf(id, 64);
            if (shard < 0 || idShard == shard)
            {
                shard = idShard;
                ids.Add(id);
            }
        }

        return ids;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Scheduler:MaxInFlightPerShard"] = "1" })
                .Build();
            siloBuilder.Services.AddJobHandler(BlockingHandler.Name, Handler);
            siloBuilder.AddJobSchedulerMemoryStorage();

            // Stores of its own: the process-wide ones belong to the shared cluster, whose shard epochs these would fence.
            siloBuilder.Services.AddSingleton<IDueIndex>(new MemoryDueIndex());
            siloBuilder.Services.AddSingleton<IJobIndex>(new MemoryJobIndex());
            siloBuilder.Services.AddSingleton<IExecutionStore>(new MemoryExecutionStore());
            siloBuilder.Services.AddSingleton<IDeadLetterStore>(new MemoryDeadLetterStore());
            siloBuilder.AddJobScheduler(configuration);
        }
    }
}
