using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage.Memory;

namespace JobScheduler.Grains.Tests;

/// <summary>Observers subscribed to execution outcomes through the job grain, on the fake clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ExecutionWatchClusterTests(ClusterFixture fixture)
{
    private const string User = "watch-user";
    private static readonly TimeSpan NotificationTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Watcher_NotifiedOfSucceeded()
    {
        var (job, jobId) = await CreateAsync(BlockingHandler.Name, new RetryPolicy { MaxRetries = 0 });
        var executionId = await StartBlockedAsync(job, jobId);
        var observer = new RecordingObserver();

        var watched = await job.WatchExecution(User, executionId, Reference(observer), TimeSpan.FromMinutes(1));
        ClusterFixture.Blocking.Release(executionId);
        var outcome = await observer.Outcome.WaitAsync(NotificationTimeout);

        Assert.True(watched.Value);
        Assert.Equal(executionId, outcome.ExecutionId);
        Assert.Equal(jobId, outcome.JobId);
        Assert.Equal(ExecutionStatus.Succeeded, outcome.Status);
        Assert.Equal(1, outcome.AttemptNumber);
        Assert.Null(outcome.Error);
        Assert.Equal(ExecutionStatus.Succeeded, (await job.GetExecution(User, executionId)).Value!.Status);
    }

    [Fact]
    public async Task Watcher_NotifiedWhenDeleteCancelsRetry()
    {
        var (job, jobId) = await CreateAsync(FailingHandler.Name, new RetryPolicy { MaxRetries = 1, RetryInterval = 600, Jitter = 0 });
        await job.ExecuteNow(User);
        await Eventually.HoldsAsync(async () => (await job.ListExecutions(User, 10, null)).Value!.Items.Count == 2, "the retry scheduled");
        var retry = (await job.ListExecutions(User, 10, null)).Value!.Items[0];
        var observer = new RecordingObserver();

        await job.WatchExecution(User, retry.ExecutionId, Reference(observer), TimeSpan.FromMinutes(1));
        Assert.True((await job.Delete(User, null)).IsSuccess);
        var outcome = await observer.Outcome.WaitAsync(NotificationTimeout);

        Assert.Equal(retry.ExecutionId, outcome.ExecutionId);
        Assert.Equal(jobId, outcome.JobId);
        Assert.Equal(ExecutionStatus.Cancelled, outcome.Status);
        Assert.Equal(2, outcome.AttemptNumber);
        Assert.Equal(ExecutionStatus.Cancelled, (await job.GetExecution(User, retry.ExecutionId)).Value!.Status);
    }

    [Fact]
    public async Task Watcher_NotifiedOfFinalFailedRetry()
    {
        var (job, jobId) = await CreateAsync(FailingHandler.Name, new RetryPolicy { MaxRetries = 1, RetryInterval = 5, Jitter = 0 });
        var first = (await job.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(async () => (await job.ListExecutions(User, 10, null)).Value!.Items.Count == 2, "the retry scheduled");
        var retry = (await job.ListExecutions(User, 10, null)).Value!.Items[0];
        var observer = new RecordingObserver();

        await job.WatchExecution(User, retry.ExecutionId, Reference(observer), TimeSpan.FromMinutes(1));
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(5));
        var outcome = await observer.Outcome.WaitAsync(NotificationTimeout);

        Assert.NotEqual(first, retry.ExecutionId);
        Assert.Equal(retry.ExecutionId, outcome.ExecutionId);
        Assert.Equal(jobId, outcome.JobId);
        Assert.Equal(ExecutionStatus.Failed, outcome.Status);
        Assert.Equal(2, outcome.AttemptNumber);
        Assert.Equal("System.InvalidOperationException: The report service is down.", outcome.Error);
        await Eventually.HoldsAsync(
            async () => (await MemoryStores.DeadLetters.ListAsync(User, 100, null)).Items.Any(d => d.ExecutionId == retry.ExecutionId),
            "the retry dead-lettered");
    }

    [Fact]
    public async Task Watcher_ExpiredOrRemoved_IsNotNotified()
    {
        var (job, jobId) = await CreateAsync(BlockingHandler.Name, new RetryPolicy { MaxRetries = 0 });
        var executionId = await StartBlockedAsync(job, jobId);
        var expiring = new RecordingObserver();
        var removed = new RecordingObserver();
        var lasting = new RecordingObserver();

        await job.WatchExecution(User, executionId, Reference(expiring), TimeSpan.FromSeconds(5));
        var removedReference = Reference(removed);
        await job.WatchExecution(User, executionId, removedReference, TimeSpan.FromMinutes(1));
        await job.UnwatchExecution(executionId, removedReference);

        await job.WatchExecution(User, executionId, Reference(lasting), TimeSpan.FromMinutes(1));
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(6));
        ClusterFixture.Blocking.Release(executionId);
        var outcome = await lasting.Outcome.WaitAsync(NotificationTimeout);

        // Notifications of one outcome are sent in one turn, so the others would have arrived by now.
        await Task.Delay(300);
        Assert.Equal(ExecutionStatus.Succeeded, outcome.Status);
        Assert.False(expiring.Outcome.IsCompleted);
        Assert.False(removed.Outcome.IsCompleted);
    }

    [Fact]
    public async Task Watch_OtherUsersExecution_NotFound()
    {
        var (job, jobId) = await CreateAsync(RecordingHandler.Name, new RetryPolicy { MaxRetries = 0 });
        var executionId = JobIds.NewExecutionId(jobId, ClusterFixture.Time.GetUtcNow());
        var observer = new RecordingObserver();

        var result = await job.WatchExecution("mallory", executionId, Reference(observer), TimeSpan.FromMinutes(1));
        var otherJob = await job.WatchExecution(User, JobIds.NewExecutionId(JobIds.NewJobId(ClusterFixture.Time.GetUtcNow()), ClusterFixture.Time.GetUtcNow()), Reference(observer), TimeSpan.FromMinutes(1));
        var noExpiry = await job.WatchExecution(User, executionId, Reference(observer), TimeSpan.Zero);

        Assert.Equal(ApiErrorKind.NotFound, result.Error?.Kind);
        Assert.Equal(ApiErrorKind.NotFound, otherJob.Error?.Kind);
        Assert.Equal(ApiErrorKind.Validation, noExpiry.Error?.Kind);
        Assert.Equal("expiry", noExpiry.Error?.Field);
    }

    private IExecutionObserver Reference(RecordingObserver observer) =>
        fixture.Cluster.Client.CreateObjectReference<IExecutionObserver>(observer);

    private async Task<(IJobGrain Job, string JobId)> CreateAsync(string handler, RetryPolicy retryPolicy)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var definition = JobDefinitions.Recurring("0 0 1 1 *", handler) with { RetryPolicy = retryPolicy };
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        var created = await job.Create(User, definition);
        Assert.True(created.IsSuccess, created.Error?.Message);
        return (job, jobId);
    }

    /// <summary>Starts a manual run and waits until the blocking handler holds it RUNNING.</summary>
    private static async Task<string> StartBlockedAsync(IJobGrain job, string jobId)
    {
        var executionId = (await job.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(() => ClusterFixture.Blocking.StartedOf(jobId).Count == 1, "the attempt started");
        return executionId;
    }

    /// <summary>An observer that keeps the first outcome it receives.</summary>
    private sealed class RecordingObserver : IExecutionObserver
    {
        private readonly TaskCompletionSource<ExecutionOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ExecutionOutcome> Outcome => _outcome.Task;

        public Task OnExecutionFinished(ExecutionOutcome outcome)
        {
            _outcome.TrySetResult(outcome);
            return Task.CompletedTask;
        }
    }
}
