using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage.Memory;

namespace JobScheduler.Grains.Tests;

/// <summary>Retries with exponential backoff, dead letters and redrive, on the fake clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RetryClusterTests(ClusterFixture fixture)
{
    private const string User = "retry-user";

    [Fact]
    public async Task FlakyTarget_RetriesAtBackoffDelaysThenSucceeds()
    {
        var jobId = await CreateAsync(FlakyHandler.Name, new RetryPolicy { MaxRetries = 3, RetryInterval = 10, Jitter = 0 });
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        var start = ClusterFixture.Time.GetUtcNow();

        var first = (await job.ExecuteNow(User)).Value!;
        await WaitForAttemptsAsync(job, 2);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(10));
        await WaitForAttemptsAsync(job, 3);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(20));
        await Eventually.HoldsAsync(async () => (await HistoryAsync(job)).Any(e => e.Status == ExecutionStatus.Succeeded), "third attempt succeeded");

        var runs = ClusterFixture.Flaky.RunsOf(jobId);
        Assert.Equal([1, 2, 3], runs.Select(r => r.Context.AttemptNumber).ToList());
        Assert.Equal([start, start.AddSeconds(10), start.AddSeconds(30)], runs.Select(r => r.StartedAt).ToList());
        Assert.All(runs, r => Assert.Equal($"{jobId}:manual:{first}", r.Context.IdempotencyKey));
        var history = await HistoryAsync(job);
        Assert.Equal(
            [(3, ExecutionStatus.Succeeded), (2, ExecutionStatus.Failed), (1, ExecutionStatus.Failed)],
            history.Select(e => (e.AttemptNumber, e.Status)).ToList());
        Assert.Equal("System.Net.Http.HttpRequestException: The service answered 503 on call 1.", history[2].Error);
    }

    [Fact]
    public async Task FailingTarget_IsDeadLetteredThenRedriven()
    {
        var jobId = await CreateAsync(FailingHandler.Name, new RetryPolicy { MaxRetries = 1, RetryInterval = 5, Jitter = 0 });
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);

        var first = (await job.ExecuteNow(User)).Value!;
        await WaitForAttemptsAsync(job, 2);
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.HoldsAsync(async () => (await DeadLettersAsync(jobId)).Count == 1, "dead letter stored");

        var deadLetter = Assert.Single(await DeadLettersAsync(jobId));
        Assert.Equal(2, deadLetter.Attempts);
        Assert.Equal($"{jobId}:manual:{first}", deadLetter.IdempotencyKey);
        Assert.Equal("System.InvalidOperationException: The report service is down.", deadLetter.LastError);
        Assert.Equal(0, deadLetter.Chain);

        var redriven = await job.RedriveDeadLetter(User, deadLetter.DeadLetterId);
        Assert.True(redriven.IsSuccess, redriven.Error?.Message);
        await Eventually.HoldsAsync(
            async () => (await job.GetExecution(User, redriven.Value!)).Value?.Status == ExecutionStatus.Failed,
            "redriven attempt ran");
        var execution = (await job.GetExecution(User, redriven.Value!)).Value!;
        Assert.Equal(ExecutionTrigger.Redrive, execution.Trigger);
        Assert.Equal(1, execution.AttemptNumber);
        Assert.Equal(deadLetter.IdempotencyKey, execution.IdempotencyKey);
        Assert.Null((await job.GetDeadLetter(User, deadLetter.DeadLetterId)).Value);
        Assert.Equal(Abstractions.ApiErrorKind.NotFound, (await job.RedriveDeadLetter("mallory", deadLetter.DeadLetterId)).Error?.Kind);
    }

    private async Task<string> CreateAsync(string handler, RetryPolicy retryPolicy)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var definition = JobDefinitions.Recurring("0 0 1 1 *", handler) with { RetryPolicy = retryPolicy };
        var created = await fixture.Grains.GetGrain<IJobGrain>(jobId).Create(User, definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return jobId;
    }

    /// <summary>Waits until the job's history holds <paramref name="count"/> attempts: the last one is a scheduled retry.</summary>
    private static Task WaitForAttemptsAsync(IJobGrain job, int count) =>
        Eventually.HoldsAsync(async () => (await HistoryAsync(job)).Count == count, $"{count} attempts recorded");

    private static async Task<IReadOnlyList<ExecutionInfo>> HistoryAsync(IJobGrain job) =>
        (await job.ListExecutions(User, 50, null)).Value!.Items;

    private static async Task<IReadOnlyList<DeadLetterInfo>> DeadLettersAsync(string jobId) =>
        (await MemoryStores.DeadLetters.ListAsync(User, 100, null)).Items.Where(d => d.JobId == jobId).ToList();
}
