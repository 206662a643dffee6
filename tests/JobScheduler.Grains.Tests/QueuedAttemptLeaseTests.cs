using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Handlers;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// An attempt that waits in the executor's queue behind a long-running one keeps its lease: the silo still holds
/// it, so its shard must not declare it lost and retry it. The silo runs one attempt at a time.
/// </summary>
public sealed class QueuedAttemptLeaseTests : IsolatedCluster<QueuedAttemptLeaseTests.SiloConfigurator>
{
    private const string User = "queued-lease-user";
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private static readonly BlockingHandler Handler = new();

    [Fact]
    public async Task QueuedPastLease_RunsOnce()
    {
        var (blockerId, blocker) = await CreateAsync();
        var blockerExecution = (await blocker.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(() => Handler.StartedOf(blockerId).Count == 1, "the first attempt runs");
        var (queuedId, queued) = await CreateAsync();
        var queuedExecution = (await queued.ExecuteNow(User)).Value!;

        // Two minutes of fake time, four leases of 30 s, while the second attempt waits for the only slot.
        for (var step = 0; step < 24; step++)
        {
            Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(60);
        }

        Assert.Empty(Handler.StartedOf(queuedId));
        Handler.Release(blockerExecution);
        await Eventually.HoldsAsync(() => Handler.StartedOf(queuedId).Count == 1, "the queued attempt runs");
        Handler.Release(queuedExecution);
        await Eventually.HoldsAsync(async () => (await queued.GetExecution(User, queuedExecution)).Value?.Status == ExecutionStatus.Succeeded, "the queued attempt succeeded");

        // A lapsed lease would have recorded the attempt lost and queued attempt 2 one second later.
        Time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(500);
        var run = Assert.Single(Handler.StartedOf(queuedId));
        Assert.Equal(queuedExecution, run.ExecutionId);
        var record = Assert.Single((await queued.ListExecutions(User, 10, null)).Value!.Items);
        Assert.Equal(1, record.AttemptNumber);
        Assert.Equal(ExecutionStatus.Succeeded, record.Status);
    }

    private async Task<(string JobId, IJobGrain Job)> CreateAsync()
    {
        var jobId = JobIds.NewJobId(Time.GetUtcNow());
        var definition = JobDefinitions.Recurring("0 0 1 1 *", BlockingHandler.Name) with
        {
            RetryPolicy = new RetryPolicy { MaxRetries = 3, RetryInterval = 1 },
            Target = new TargetDefinition { Type = TargetType.Handler, Name = BlockingHandler.Name, TimeoutSeconds = 3600 },
        };
        var job = Grains.GetGrain<IJobGrain>(jobId);
        var created = await job.Create(User, definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return (jobId, job);
    }

    public sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            IsolatedSilo.Configure(
                siloBuilder,
                Time,
                new Dictionary<string, IJobHandler> { [BlockingHandler.Name] = Handler },
                settings: new Dictionary<string, string?> { ["Execution:MaxConcurrency"] = "1" });
    }
}
