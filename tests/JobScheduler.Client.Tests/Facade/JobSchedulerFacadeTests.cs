using System.Text.Json;
using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Client.Jobs;

namespace JobScheduler.Client.Tests.Facade;

/// <summary>The facade end to end: a host app's Orleans client against a real dev-mode silo.</summary>
[Collection(SiloCollection.Name)]
public sealed class JobSchedulerFacadeTests(SiloFixture fixture)
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(20);

    private IJobScheduler Scheduler => fixture.Scheduler;

    [Fact]
    public async Task Create_RecurringCron_ReturnsDefaults()
    {
        var job = await Scheduler.CreateAsync(
            Job.Recurring("daily-report").Cron("0 0 * * *", "Europe/Berlin").Handler(RecordingHandler.Name, new { Report = "sales" }));

        Assert.StartsWith("job_", job.JobId, StringComparison.Ordinal);
        Assert.Equal(SiloFixture.User, job.UserId);
        Assert.Equal(JobStatus.Active, job.Status);
        Assert.Equal(1, job.Version);
        Assert.Equal("Europe/Berlin", job.Definition.TimeZone);
        Assert.Equal(3, job.Definition.RetryPolicy?.MaxRetries);
        Assert.Equal(30, job.Definition.Target?.TimeoutSeconds);
        Assert.Equal("{\"report\":\"sales\"}", job.Definition.Payload);
        Assert.NotNull(job.NextExecutionAt);
        Assert.Equal(0, job.NextExecutionAt!.Value.ToOffset(TimeSpan.Zero).Minute);
    }

    [Fact]
    public async Task Get_ReturnsCreatedJob()
    {
        var created = await Scheduler.CreateAsync(Job.Recurring("read-back").Every(TimeSpan.FromHours(1)).Handler(RecordingHandler.Name));

        var read = await Scheduler.GetAsync(created.JobId);

        Assert.Equal(created.JobId, read.JobId);
        Assert.Equal("@every 3600s", read.Definition.ScheduleExpression);
        Assert.Equal(created.Version, read.Version);
    }

    [Fact]
    public async Task ExecuteNow_HandlerSucceeds_WaitReturnsSucceeded()
    {
        var job = await Scheduler.CreateAsync(
            Job.Recurring("manual-run").Cron("0 0 1 1 *").Handler(RecordingHandler.Name, new { Region = "emea" }));

        var executionId = await Scheduler.ExecuteNowAsync(job.JobId);
        var execution = await Scheduler.WaitForExecutionAsync(executionId, WaitTimeout);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(ExecutionTrigger.Manual, execution.Trigger);
        Assert.Equal(job.JobId, execution.JobId);
        Assert.Equal($"{job.JobId}:manual:{executionId}", execution.IdempotencyKey);
        var run = Assert.Single(RecordingHandler.Instance.RunsOf(job.JobId));
        Assert.Equal("{\"region\":\"emea\"}", run.Payload);
    }

    [Fact]
    public async Task OneTimeJob_RunsAtInstant()
    {
        var job = await Scheduler.CreateAsync(
            Job.OneTime("once").At(DateTimeOffset.UtcNow.AddSeconds(1)).Handler(RecordingHandler.Name).NoRetries());

        await Eventually.HoldsAsync(async () => (await Scheduler.ListExecutionsAsync(job.JobId)).Items.Count > 0, "the one-time job's execution");
        var executionId = (await Scheduler.ListExecutionsAsync(job.JobId)).Items[0].ExecutionId;
        var execution = await Scheduler.WaitForExecutionAsync(executionId, WaitTimeout);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(ExecutionTrigger.Schedule, execution.Trigger);
        await Eventually.HoldsAsync(async () => (await Scheduler.GetAsync(job.JobId)).Status == JobStatus.Completed, "the job to complete");
    }

    [Fact]
    public async Task ExecuteNow_HandlerThrows_WaitReturnsFailed()
    {
        var job = await Scheduler.CreateAsync(Job.Recurring("failing").Cron("0 0 1 1 *").Handler(FailingHandler.Name).NoRetries());

        var executionId = await Scheduler.ExecuteNowAsync(job.JobId);
        var execution = await Scheduler.WaitForExecutionAsync(executionId, WaitTimeout);

        Assert.Equal(ExecutionStatus.Failed, execution.Status);
        Assert.Contains(FailingHandler.Error, execution.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForExecution_StillRunning_ThrowsTimeout()
    {
        var job = await Scheduler.CreateAsync(Job.Recurring("slow").Cron("0 0 1 1 *").Handler(GateHandler.Name));
        var executionId = await Scheduler.ExecuteNowAsync(job.JobId);

        var timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => Scheduler.WaitForExecutionAsync(executionId, TimeSpan.FromMilliseconds(300)));
        GateHandler.Instance.Open(job.JobId);
        var finished = await Scheduler.WaitForExecutionAsync(executionId, WaitTimeout);

        Assert.Contains(executionId, timeout.Message, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Succeeded, finished.Status);
    }

    [Fact]
    public async Task Create_InvalidCron_ThrowsWithField()
    {
        var exception = await Assert.ThrowsAsync<JobSchedulerException>(
            () => Scheduler.CreateAsync(Job.Recurring("broken").Cron("30 25 * * *").Handler(RecordingHandler.Name)));

        Assert.Equal(ApiErrorKind.Validation, exception.Kind);
        Assert.Equal("scheduleExpression", exception.Field);
        Assert.Contains("25", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownHandler_ThrowsWithField()
    {
        var exception = await Assert.ThrowsAsync<JobSchedulerException>(
            () => Scheduler.CreateAsync(Job.Recurring("no-handler").Cron("0 0 * * *").Handler("not-registered")));

        Assert.Equal(ApiErrorKind.Validation, exception.Kind);
        Assert.Equal("target.name", exception.Field);
    }

    [Fact]
    public async Task Update_ChangesScheduleAndVersion()
    {
        var created = await Scheduler.CreateAsync(Job.Recurring("to-update").Cron("0 0 * * *").Handler(RecordingHandler.Name));

        var updated = await Scheduler.UpdateAsync(
            created.JobId, Job.Recurring("updated").Cron("0 12 * * *").Handler(RecordingHandler.Name), expectedVersion: created.Version);

        Assert.Equal(created.Version + 1, updated.Version);
        Assert.Equal("updated", updated.Definition.Name);
        Assert.Equal(12, updated.NextExecutionAt!.Value.ToOffset(TimeSpan.Zero).Hour);
    }

    [Fact]
    public async Task Update_StaleVersion_ThrowsPreconditionFailed()
    {
        var created = await Scheduler.CreateAsync(Job.Recurring("stale").Cron("0 0 * * *").Handler(RecordingHandler.Name));
        await Scheduler.PauseAsync(created.JobId);

        var exception = await Assert.ThrowsAsync<JobSchedulerException>(() => Scheduler.UpdateAsync(
            created.JobId, Job.Recurring("stale").Cron("0 1 * * *").Handler(RecordingHandler.Name), expectedVersion: created.Version));

        Assert.Equal(ApiErrorKind.PreconditionFailed, exception.Kind);
        Assert.Equal("0 0 * * *", (await Scheduler.GetAsync(created.JobId)).Definition.ScheduleExpression);
    }

    [Fact]
    public async Task PauseResumeDelete_ChangeStatus()
    {
        var job = await Scheduler.CreateAsync(Job.Recurring("lifecycle").Cron("0 0 * * *").Handler(RecordingHandler.Name));

        var paused = await Scheduler.PauseAsync(job.JobId);
        var pausedAgain = await Scheduler.PauseAsync(job.JobId);
        var resumed = await Scheduler.ResumeAsync(job.JobId);
        var deleted = await Scheduler.DeleteAsync(job.JobId);

        Assert.Equal(JobStatus.Paused, paused.Status);
        Assert.Equal(paused.Version, pausedAgain.Version);
        Assert.Equal(JobStatus.Active, resumed.Status);
        Assert.NotNull(resumed.NextExecutionAt);
        Assert.Equal(JobStatus.Deleted, deleted.Status);
        Assert.Equal(JobStatus.Deleted, (await Scheduler.GetAsync(job.JobId)).Status);
    }

    [Fact]
    public async Task ExecuteNow_DeletedJob_ThrowsConflict()
    {
        var job = await Scheduler.CreateAsync(Job.Recurring("deleted").Cron("0 0 * * *").Handler(RecordingHandler.Name));
        await Scheduler.DeleteAsync(job.JobId);

        var exception = await Assert.ThrowsAsync<JobSchedulerException>(() => Scheduler.ExecuteNowAsync(job.JobId));

        Assert.Equal(ApiErrorKind.Conflict, exception.Kind);
    }

    [Fact]
    public async Task OtherUser_CannotReadOrChangeJob()
    {
        var job = await Scheduler.CreateAsync(Job.Recurring("private").Cron("0 0 * * *").Handler(RecordingHandler.Name));
        var mallory = Scheduler.ForUser("mallory");

        var read = await Assert.ThrowsAsync<JobSchedulerException>(() => mallory.GetAsync(job.JobId));
        var delete = await Assert.ThrowsAsync<JobSchedulerException>(() => mallory.DeleteAsync(job.JobId));
        var run = await Assert.ThrowsAsync<JobSchedulerException>(() => mallory.ExecuteNowAsync(job.JobId));

        Assert.Equal("mallory", mallory.UserId);
        Assert.Equal(ApiErrorKind.NotFound, read.Kind);
        Assert.Equal(ApiErrorKind.NotFound, delete.Kind);
        Assert.Equal(ApiErrorKind.NotFound, run.Kind);
        Assert.Equal(JobStatus.Active, (await Scheduler.GetAsync(job.JobId)).Status);
    }

    [Fact]
    public async Task MalformedIds_ThrowNotFound()
    {
        var job = await Assert.ThrowsAsync<JobSchedulerException>(() => Scheduler.GetAsync("0a1"));
        var execution = await Assert.ThrowsAsync<JobSchedulerException>(() => Scheduler.GetExecutionAsync("exe_nope"));

        Assert.Equal(ApiErrorKind.NotFound, job.Kind);
        Assert.Equal("jobId", job.Field);
        Assert.Equal(ApiErrorKind.NotFound, execution.Kind);
        Assert.Equal("executionId", execution.Field);
    }

    [Fact]
    public async Task ListExecutions_PagesNewestFirst()
    {
        var job = await Scheduler.CreateAsync(Job.Recurring("paged").Cron("0 0 1 1 *").Handler(RecordingHandler.Name));
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await Scheduler.ExecuteNowAsync(job.JobId));
        }

        var first = await Scheduler.ListExecutionsAsync(job.JobId, limit: 2);
        var second = await Scheduler.ListExecutionsAsync(job.JobId, limit: 2, cursor: first.NextCursor);

        Assert.Equal([ids[2], ids[1]], first.Items.Select(item => item.ExecutionId));
        Assert.NotNull(first.NextCursor);
        Assert.Equal([ids[0]], second.Items.Select(item => item.ExecutionId));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task ListExecutions_LimitOutOfRange_ThrowsWithField()
    {
        var exception = await Assert.ThrowsAsync<JobSchedulerException>(
            () => Scheduler.ListExecutionsAsync("job_01M91FGV6B6RJ2JBWFMSYVJSA9", limit: 501));

        Assert.Equal(ApiErrorKind.Validation, exception.Kind);
        Assert.Equal("limit", exception.Field);
    }

    [Fact]
    public async Task Http_TargetGetsPayloadAndHeaders()
    {
        await using var receiver = await TargetReceiver.StartAsync();
        var job = await Scheduler.CreateAsync(Job.Recurring("http")
            .Cron("0 0 1 1 *")
            .Http($"{receiver.BaseUrl}/ok/client", HttpMethod.Put, new Dictionary<string, string> { ["X-Team"] = "reports" })
            .PayloadJson("{\"day\": 1}")
            .Timeout(TimeSpan.FromSeconds(5)));

        var executionId = await Scheduler.ExecuteNowAsync(job.JobId);
        var execution = await Scheduler.WaitForExecutionAsync(executionId, WaitTimeout);

        Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
        Assert.Equal(200, execution.ResponseStatusCode);
        Assert.Equal(5, job.Definition.Target!.TimeoutSeconds);
        var call = Assert.Single(receiver.CallsTo("/ok/client"));
        Assert.Equal("reports", call.Header("X-Team"));
        Assert.Equal(executionId, call.Header("JobScheduler-Execution-Id"));
        Assert.Equal(1, JsonDocument.Parse(call.Body).RootElement.GetProperty("day").GetInt32());
    }
}
