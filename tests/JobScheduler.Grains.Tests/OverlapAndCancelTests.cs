using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Tests;

/// <summary>Cancel on request, the FORBID and REPLACE overlap policies, and leases of slow attempts.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OverlapAndCancelTests(ClusterFixture fixture)
{
    private const string User = "overlap-user";

    private static BlockingHandler Handler => ClusterFixture.Blocking;

    [Fact]
    public async Task Cancel_RunningAttemptEndsCancelledWithoutRetry()
    {
        var (jobId, job) = await CreateAsync("0 0 1 1 *", ConcurrencyPolicy.Allow, timeoutSeconds: 30);
        var executionId = (await job.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(() => Handler.StartedOf(jobId).Count == 1, "attempt running");

        var cancelled = await job.CancelExecution(User, executionId);

        Assert.True(cancelled.IsSuccess, cancelled.Error?.Message);
        await Eventually.HoldsAsync(async () => (await job.GetExecution(User, executionId)).Value?.Status == ExecutionStatus.Cancelled, "attempt cancelled");
        Assert.True(Handler.WasCancelled(executionId));
        Assert.Equal("Cancelled on request.", (await job.GetExecution(User, executionId)).Value!.Error);
        ClusterFixture.Time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(300);
        Assert.Single((await job.ListExecutions(User, 10, null)).Value!.Items);
        Assert.Equal(ApiErrorKind.Conflict, (await job.CancelExecution(User, executionId)).Error?.Kind);
        Assert.Equal(ApiErrorKind.NotFound, (await job.CancelExecution("mallory", executionId)).Error?.Kind);
    }

    [Fact]
    public async Task Forbid_SkipsInstantWhilePreviousRuns()
    {
        var (jobId, job) = await CreateAsync("*/1 * * * * *", ConcurrencyPolicy.Forbid, timeoutSeconds: 3600);

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => Handler.StartedOf(jobId).Count == 1, "first run started");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(async () => (await HistoryAsync(job)).Any(e => e.Status == ExecutionStatus.Skipped), "second instant skipped");
        Handler.Release(Handler.StartedOf(jobId)[0].ExecutionId);
        await Eventually.HoldsAsync(async () => (await HistoryAsync(job)).Any(e => e.Status == ExecutionStatus.Succeeded), "first run succeeded");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => Handler.StartedOf(jobId).Count == 2, "third instant ran");
        Handler.Release(Handler.StartedOf(jobId)[1].ExecutionId);
        await job.Delete(User, null);

        var history = (await HistoryAsync(job)).OrderBy(e => e.ScheduledAt).Take(3).ToList();
        Assert.Equal([ExecutionStatus.Succeeded, ExecutionStatus.Skipped], history.Take(2).Select(e => e.Status).ToList());
        Assert.Equal(history[0].ScheduledAt.AddSeconds(1), history[1].ScheduledAt);
        Assert.Equal(history[1].ScheduledAt.AddSeconds(1), Handler.StartedOf(jobId)[1].ScheduledAt);
        Assert.StartsWith("Skipped: the previous run", history[1].Error);
    }

    [Fact]
    public async Task Replace_CancelsRunningAndStartsNew()
    {
        var (jobId, job) = await CreateAsync("*/1 * * * * *", ConcurrencyPolicy.Replace, timeoutSeconds: 3600);

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => Handler.StartedOf(jobId).Count == 1, "first run started");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => Handler.StartedOf(jobId).Count == 2, "second run started");
        var first = Handler.StartedOf(jobId)[0];
        await Eventually.HoldsAsync(async () => (await job.GetExecution(User, first.ExecutionId)).Value?.Status == ExecutionStatus.Cancelled, "first run cancelled");
        await job.Delete(User, null);
        Handler.Release(Handler.StartedOf(jobId)[1].ExecutionId);

        Assert.True(Handler.WasCancelled(first.ExecutionId));
        Assert.StartsWith("Replaced by the run of", (await job.GetExecution(User, first.ExecutionId)).Value!.Error);
        Assert.Equal(first.ScheduledAt.AddSeconds(1), Handler.StartedOf(jobId)[1].ScheduledAt);
    }

    [Fact]
    public async Task SlowLiveAttempt_KeepsLeaseAndRunsOnce()
    {
        var (jobId, job) = await CreateAsync("0 0 1 1 *", ConcurrencyPolicy.Allow, timeoutSeconds: 3600);
        var executionId = (await job.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(() => Handler.StartedOf(jobId).Count == 1, "attempt running");

        // Two minutes of fake time: four leases of 30 s, renewed by heartbeats every 10 s.
        for (var step = 0; step < 24; step++)
        {
            ClusterFixture.Time.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(60);
        }

        Assert.Equal(ExecutionStatus.Running, (await job.GetExecution(User, executionId)).Value!.Status);
        Handler.Release(executionId);
        await Eventually.HoldsAsync(async () => (await job.GetExecution(User, executionId)).Value?.Status == ExecutionStatus.Succeeded, "attempt succeeded");
        Assert.Single(Handler.StartedOf(jobId));
        Assert.Single((await job.ListExecutions(User, 10, null)).Value!.Items);
    }

    private async Task<(string JobId, IJobGrain Job)> CreateAsync(string cron, ConcurrencyPolicy policy, int timeoutSeconds)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var definition = JobDefinitions.Recurring(cron, BlockingHandler.Name) with
        {
            ConcurrencyPolicy = policy,
            RetryPolicy = new RetryPolicy { MaxRetries = 0 },
            Target = new TargetDefinition { Type = TargetType.Handler, Name = BlockingHandler.Name, TimeoutSeconds = timeoutSeconds },
        };
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        var created = await job.Create(User, definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return (jobId, job);
    }

    private static async Task<IReadOnlyList<ExecutionInfo>> HistoryAsync(IJobGrain job) =>
        (await job.ListExecutions(User, 50, null)).Value!.Items;
}
