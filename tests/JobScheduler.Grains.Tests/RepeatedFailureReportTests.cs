using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// Two activations of a shard can both report one failed execution while the shard moves between silos. The job
/// grain schedules one retry for it, not two.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepeatedFailureReportTests(ClusterFixture fixture)
{
    private const string User = "repeated-failure-user";

    [Fact]
    public async Task FailureReportedTwice_SchedulesOneRetry()
    {
        var now = ClusterFixture.Time.GetUtcNow();
        var jobId = JobIds.NewJobId(now);
        var definition = JobDefinitions.Recurring("0 0 1 1 *") with { RetryPolicy = new RetryPolicy { MaxRetries = 3, RetryInterval = 600 } };
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        Assert.True((await job.Create(User, definition)).IsSuccess);
        var attempt = ManualAttempts.For(jobId, now, User, definition.Target!);
        var outcome = new AttemptOutcome(attempt.ExecutionId, jobId, ExecutionStatus.Failed, "target returned 500");

        await job.OnAttemptFailed(attempt, outcome);
        await job.OnAttemptFailed(attempt, outcome);

        await Eventually.HoldsAsync(async () => (await RetriesAsync(job)).Count > 0, "the retry is recorded");
        await Task.Delay(200);
        var retry = Assert.Single(await RetriesAsync(job));
        Assert.Equal(ExecutionStatus.Pending, retry.Status);
        Assert.Equal(attempt.IdempotencyKey, retry.IdempotencyKey);
    }

    private static async Task<List<ExecutionInfo>> RetriesAsync(IJobGrain job) =>
        (await job.ListExecutions(User, 10, null)).Value!.Items.Where(record => record.AttemptNumber == 2).ToList();
}
