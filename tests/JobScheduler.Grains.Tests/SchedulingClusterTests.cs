using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Tests;

/// <summary>End-to-end scheduling on a real Orleans cluster, driven by the fake clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SchedulingClusterTests(ClusterFixture fixture)
{
    private const string User = "alice";

    [Fact]
    public async Task RecurringJob_FiresOncePerSecondOnWholeSeconds()
    {
        var (jobId, job) = await CreateAsync(JobDefinitions.Recurring("*/1 * * * * *") with { MaxExecutions = 3 });
        var first = job.NextExecutionAt!.Value;
        Assert.Equal(0, first.Millisecond);

        for (var run = 1; run <= 3; run++)
        {
            ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
            var expected = run;
            await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(jobId).Count == expected, $"run {expected}");
        }

        var runs = RecordingHandler.Instance.RunsOf(jobId);
        var expectedInstants = Enumerable.Range(0, 3).Select(i => first.AddSeconds(i)).ToList();
        Assert.Equal(expectedInstants, runs.Select(r => r.ScheduledAt).ToList());
        Assert.Equal(expectedInstants.Select(i => $"{jobId}:{i.ToUnixTimeMilliseconds()}").ToList(), runs.Select(r => r.IdempotencyKey).ToList());
        Assert.All(runs, r => Assert.Equal(1, r.AttemptNumber));
        Assert.All(runs, r => Assert.Equal(ExecutionTrigger.Schedule, r.Trigger));
        Assert.All(runs, r => Assert.Equal("""{"report":"sales"}""", r.Payload));
    }

    [Fact]
    public async Task RecurringJob_CompletesAfterMaxExecutions()
    {
        var (jobId, _) = await CreateAsync(JobDefinitions.Recurring("*/1 * * * * *") with { MaxExecutions = 2 });

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(jobId).Count == 1, "first run");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(async () => (await GetAsync(jobId)).Status == JobStatus.Completed, "job completed");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(3));
        await Task.Delay(300);

        Assert.Equal(2, RecordingHandler.Instance.RunsOf(jobId).Count);
    }

    [Fact]
    public async Task ExecuteNow_RunsOnceWithManualKey()
    {
        var (jobId, _) = await CreateAsync(JobDefinitions.Recurring("0 0 1 1 *"));
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);

        var started = await job.ExecuteNow(User);
        Assert.True(started.IsSuccess);
        var executionId = started.Value!;
        Assert.True(JobIds.TryGetJobId(executionId, out var owner));
        Assert.Equal(jobId, owner);

        await Eventually.HoldsAsync(
            async () => (await job.GetExecution(User, executionId)).Value?.Status == ExecutionStatus.Succeeded,
            "manual execution succeeded");
        await Task.Delay(200);

        var run = Assert.Single(RecordingHandler.Instance.RunsOf(jobId));
        Assert.Equal(executionId, run.ExecutionId);
        Assert.Equal($"{jobId}:manual:{executionId}", run.IdempotencyKey);
        Assert.Equal(ExecutionTrigger.Manual, run.Trigger);
        var execution = (await job.GetExecution(User, executionId)).Value!;
        Assert.Equal(ExecutionTrigger.Manual, execution.Trigger);
        Assert.Equal(1, execution.AttemptNumber);
        Assert.Null(execution.Error);
    }

    [Fact]
    public async Task OneTimeJob_FiresExactlyOnceAndCompletes()
    {
        var due = ClusterFixture.Time.GetUtcNow().AddSeconds(2);
        var (jobId, job) = await CreateAsync(JobDefinitions.OneTime(due));
        Assert.Equal(due, job.NextExecutionAt);

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(300);
        Assert.Empty(RecordingHandler.Instance.RunsOf(jobId));

        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(async () => (await GetAsync(jobId)).Status == JobStatus.Completed, "job completed");
        ClusterFixture.Time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(300);

        var run = Assert.Single(RecordingHandler.Instance.RunsOf(jobId));
        Assert.Equal(due, run.ScheduledAt);
        Assert.Equal($"{jobId}:{due.ToUnixTimeMilliseconds()}", run.IdempotencyKey);
        Assert.Null((await GetAsync(jobId)).NextExecutionAt);
    }

    [Fact]
    public async Task FailingHandler_IsRecordedFailedWithErrorType()
    {
        var (jobId, _) = await CreateAsync(JobDefinitions.Recurring("0 0 1 1 *", FailingHandler.Name));
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);

        var executionId = (await job.ExecuteNow(User)).Value!;
        await Eventually.HoldsAsync(
            async () => (await job.GetExecution(User, executionId)).Value?.Status == ExecutionStatus.Failed,
            "execution failed");

        var execution = (await job.GetExecution(User, executionId)).Value!;
        Assert.Equal("System.InvalidOperationException: The report service is down.", execution.Error);
        Assert.NotNull(execution.FinishedAt);
    }

    [Fact]
    public async Task Executions_ListNewestFirstWithCursor()
    {
        var (jobId, _) = await CreateAsync(JobDefinitions.Recurring("0 0 1 1 *"));
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await job.ExecuteNow(User)).Value!);
            ClusterFixture.Time.Advance(TimeSpan.FromMilliseconds(5));
        }

        await Eventually.HoldsAsync(() => RecordingHandler.Instance.RunsOf(jobId).Count == 3, "three runs");

        var first = (await job.ListExecutions(User, 2, null)).Value!;
        Assert.Equal([ids[2], ids[1]], first.Items.Select(e => e.ExecutionId).ToList());
        Assert.Equal(ids[1], first.NextCursor);
        var second = (await job.ListExecutions(User, 2, first.NextCursor)).Value!;
        Assert.Equal([ids[0]], second.Items.Select(e => e.ExecutionId).ToList());
        Assert.Null(second.NextCursor);
    }

    [Theory]
    [InlineData("61 * * * *", "scheduleExpression")]
    [InlineData("0 0 30 2 *", "scheduleExpression")]
    [InlineData("0 0 0 * * * 2030", "scheduleExpression")]
    public async Task Create_RejectsInvalidCronNamingField(string expression, string field)
    {
        var error = await CreateExpectingErrorAsync(JobDefinitions.Recurring(expression));

        Assert.Equal(ApiErrorKind.Validation, error.Kind);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task Create_RejectsUnknownHandler()
    {
        var error = await CreateExpectingErrorAsync(JobDefinitions.Recurring("* * * * *", "no-such-handler"));

        Assert.Equal(ApiErrorKind.Validation, error.Kind);
        Assert.Equal("target.name", error.Field);
    }

    [Fact]
    public async Task Create_RejectsPastOneTimeInstant()
    {
        var error = await CreateExpectingErrorAsync(JobDefinitions.OneTime(ClusterFixture.Time.GetUtcNow().AddHours(-1)));

        Assert.Equal("scheduleExpression", error.Field);
    }

    [Fact]
    public async Task Job_IsNotFoundForAnotherUser()
    {
        var (jobId, _) = await CreateAsync(JobDefinitions.Recurring("0 0 1 1 *"));
        var job = fixture.Grains.GetGrain<IJobGrain>(jobId);

        Assert.Equal(ApiErrorKind.NotFound, (await job.GetJob("mallory")).Error?.Kind);
        Assert.Equal(ApiErrorKind.NotFound, (await job.ExecuteNow("mallory")).Error?.Kind);
        Assert.Equal(ApiErrorKind.NotFound, (await job.ListExecutions("mallory", 10, null)).Error?.Kind);
    }

    private async Task<(string JobId, JobInfo Job)> CreateAsync(JobDefinition definition)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var result = await fixture.Grains.GetGrain<IJobGrain>(jobId).Create(User, definition);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return (jobId, result.Value!);
    }

    private async Task<ApiError> CreateExpectingErrorAsync(JobDefinition definition)
    {
        var jobId = JobIds.NewJobId(ClusterFixture.Time.GetUtcNow());
        var result = await fixture.Grains.GetGrain<IJobGrain>(jobId).Create(User, definition);
        Assert.False(result.IsSuccess);
        return result.Error!;
    }

    private async Task<JobInfo> GetAsync(string jobId) =>
        (await fixture.Grains.GetGrain<IJobGrain>(jobId).GetJob(User)).Value!;
}
