using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage.Memory;

namespace JobScheduler.Grains.Tests;

/// <summary>
/// Two activations of a shard can both report one failed execution while the shard moves between silos, and a
/// report is repeated to a new activation of the job grain when the grain's silo died mid-call. The job grain
/// schedules one retry for it, or writes one dead letter, not two.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepeatedFailureReportTests(ClusterFixture fixture)
{
    private const string User = "repeated-failure-user";

    [Fact]
    public async Task FailureReportedTwice_SchedulesOneRetry()
    {
        var (job, attempt, outcome) = await FailedAttemptAsync(maxRetries: 3);

        await job.OnAttemptFailed(attempt, outcome);
        await job.OnAttemptFailed(attempt, outcome);

        await Eventually.HoldsAsync(async () => (await RetriesAsync(job)).Count > 0, "the retry is recorded");
        await Task.Delay(200);
        var retry = Assert.Single(await RetriesAsync(job));
        Assert.Equal(ExecutionStatus.Pending, retry.Status);
        Assert.Equal(attempt.IdempotencyKey, retry.IdempotencyKey);
    }

    [Fact]
    public async Task FailureReportedToNewActivation_SchedulesOneRetry()
    {
        var (job, attempt, outcome) = await FailedAttemptAsync(maxRetries: 3);

        await job.OnAttemptFailed(attempt, outcome);
        await Activations.DeactivateAsync(fixture.Grains, job);
        await job.OnAttemptFailed(attempt, outcome);

        await Task.Delay(200);
        var retry = Assert.Single(await RetriesAsync(job));
        Assert.Equal(ExecutionStatus.Pending, retry.Status);
        Assert.Equal(JobIds.RetryExecutionId(attempt.JobId, attempt.ExecutionId, outcome.FinishedAt), retry.ExecutionId);
    }

    [Fact]
    public async Task LastFailureToNewActivation_DeadLettersOnce()
    {
        var (job, attempt, outcome) = await FailedAttemptAsync(maxRetries: 0);

        await job.OnAttemptFailed(attempt, outcome);
        await Activations.DeactivateAsync(fixture.Grains, job);
        await job.OnAttemptFailed(attempt, outcome);

        var deadLetters = (await MemoryStores.DeadLetters.ListAsync(User, 100, null)).Items.Where(d => d.JobId == attempt.JobId).ToList();
        Assert.Equal(attempt.ExecutionId, Assert.Single(deadLetters).ExecutionId);
        Assert.Empty(await RetriesAsync(job));
    }

    /// <summary>A new job, and a failure report of its first manual attempt that ended a second ago.</summary>
    private async Task<(IJobGrain Job, AttemptRequest Attempt, AttemptOutcome Outcome)> FailedAttemptAsync(int maxRetries)
    {
        var now = ClusterFixture.Time.GetUtcNow();
        var jobId = JobIds.NewJobId(now);
        var definition = JobDefinitions.Recurring("0 0 1 1 *") with { RetryPolicy = new RetryPolicy { MaxRetries = maxRetries, RetryInterval = 600 } };
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        Assert.True((await job.Create(User, definition)).IsSuccess);
        var attempt = ManualAttempts.For(jobId, now, User, definition.Target!);
        var outcome = new AttemptOutcome(attempt.ExecutionId, jobId, ExecutionStatus.Failed, "target returned 500", now.AddSeconds(-1));
        return (job, attempt, outcome);
    }

    private static async Task<List<ExecutionInfo>> RetriesAsync(IJobGrain job) =>
        (await job.ListExecutions(User, 10, null)).Value!.Items.Where(record => record.AttemptNumber == 2).ToList();
}
