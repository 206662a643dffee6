using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Tests;

/// <summary>Attempt timeouts: the token is cancelled, the attempt is TIMED_OUT and retried; a handler that ignores it is abandoned.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TimeoutClusterTests(ClusterFixture fixture)
{
    private const string User = "timeout-user";

    [Fact]
    public async Task SlowAttempt_TimesOutAndIsRetried()
    {
        var (jobId, job) = await CreateAsync(BlockingHandler.Name);
        var executionId = (await job.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(() => ClusterFixture.Blocking.StartedOf(jobId).Count == 1, "attempt running");

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.HoldsAsync(async () => (await job.GetExecution(User, executionId)).Value?.Status == ExecutionStatus.TimedOut, "attempt timed out");
        await Eventually.HoldsAsync(async () => (await HistoryAsync(job)).Count == 2, "retry scheduled");

        Assert.True(ClusterFixture.Blocking.WasCancelled(executionId));
        Assert.Equal("The attempt did not finish within its timeout of 2 s.", (await job.GetExecution(User, executionId)).Value!.Error);
        var retry = (await HistoryAsync(job))[0];
        Assert.Equal((2, ExecutionStatus.Pending), (retry.AttemptNumber, retry.Status));
        await job.Delete(User, null);
    }

    [Fact]
    public async Task HandlerIgnoringCancellation_IsAbandonedAfterGrace()
    {
        var (jobId, job) = await CreateAsync(StubbornHandler.Name);
        var executionId = (await job.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(() => ClusterFixture.Stubborn.StartedOf(jobId).Count == 1, "attempt running");

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(300);
        Assert.Equal(ExecutionStatus.Running, (await job.GetExecution(User, executionId)).Value!.Status);

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.HoldsAsync(async () => (await job.GetExecution(User, executionId)).Value?.Status == ExecutionStatus.TimedOut, "attempt abandoned");
        Assert.EndsWith("The handler ignored cancellation for 5 s and was abandoned.", (await job.GetExecution(User, executionId)).Value!.Error);
        await job.Delete(User, null);
        ClusterFixture.Stubborn.ReleaseAll();
    }

    private async Task<(string JobId, IJobGrain Job)> CreateAsync(string handler)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var definition = JobDefinitions.Recurring("0 0 1 1 *", handler) with
        {
            Target = new TargetDefinition { Type = TargetType.Handler, Name = handler, TimeoutSeconds = 2 },
            RetryPolicy = new RetryPolicy { MaxRetries = 1, RetryInterval = 3600, Jitter = 0 },
        };
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        var created = await job.Create(User, definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return (jobId, job);
    }

    private static async Task<IReadOnlyList<ExecutionInfo>> HistoryAsync(IJobGrain job) =>
        (await job.ListExecutions(User, 50, null)).Value!.Items;
}
