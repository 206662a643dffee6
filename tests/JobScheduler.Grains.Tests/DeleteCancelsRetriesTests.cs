using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Tests;

/// <summary>Deleting a job cancels its scheduled retries, whether they are in the shard's wheel or only in the due-index.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DeleteCancelsRetriesTests(ClusterFixture fixture)
{
    private const string User = "delete-user";

    [Theory]
    [InlineData(10)]
    [InlineData(3600)]
    public async Task Delete_CancelsScheduledRetry(int retryInterval)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        var definition = JobDefinitions.Recurring("0 0 1 1 *", FailingHandler.Name) with
        {
            RetryPolicy = new RetryPolicy { MaxRetries = 3, RetryInterval = retryInterval, Jitter = 0 },
        };
        Assert.True((await job.Create(User, definition)).IsSuccess);
        await job.ExecuteNow(User);
        string? retryId = null;
        await Eventually.HoldsAsync(
            async () => (retryId = (await HistoryAsync(job)).FirstOrDefault(e => e.Status == ExecutionStatus.Pending)?.ExecutionId) is not null,
            "retry scheduled");

        Assert.True((await job.Delete(User, null)).IsSuccess);
        await Eventually.HoldsAsync(async () => (await job.GetExecution(User, retryId!)).Value?.Status == ExecutionStatus.Cancelled, "retry cancelled");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(retryInterval + 1));
        await Task.Delay(300);

        var history = await HistoryAsync(job);
        Assert.Equal([(2, ExecutionStatus.Cancelled), (1, ExecutionStatus.Failed)], history.Select(e => (e.AttemptNumber, e.Status)).ToList());
        Assert.Equal($"Cancelled: job {jobId} was deleted.", history[0].Error);
    }

    private static async Task<IReadOnlyList<ExecutionInfo>> HistoryAsync(IJobGrain job) =>
        (await job.ListExecutions(User, 50, null)).Value!.Items;
}
