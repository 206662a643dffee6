using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Client.Jobs;

namespace JobScheduler.Client.Tests.Facade;

/// <summary>Cancelling executions and handling dead letters through the client, against the shared silo.</summary>
[Collection(SiloCollection.Name)]
public sealed class DeadLetterAndCancelTests(SiloFixture fixture)
{
    private const string FailedError = "System.InvalidOperationException: " + FailingHandler.Error;
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CancelExecution_Running_EndsCancelled()
    {
        var scheduler = fixture.Scheduler;
        var job = await scheduler.CreateAsync(Job.Recurring("to-cancel").Cron("0 0 1 1 *").Handler(GateHandler.Name));
        var executionId = await scheduler.ExecuteNowAsync(job.JobId);
        await Eventually.HoldsAsync(async () => (await scheduler.GetExecutionAsync(executionId)).Status == ExecutionStatus.Running, "the run to start");

        var other = await Assert.ThrowsAsync<JobSchedulerException>(() => scheduler.ForUser("mallory").CancelExecutionAsync(executionId));
        var accepted = await scheduler.CancelExecutionAsync(executionId);
        var finished = await scheduler.WaitForExecutionAsync(executionId, WaitTimeout);
        var again = await Assert.ThrowsAsync<JobSchedulerException>(() => scheduler.CancelExecutionAsync(executionId));

        Assert.Equal(ApiErrorKind.NotFound, other.Kind);
        Assert.Equal(executionId, accepted.ExecutionId);
        Assert.Equal(ExecutionStatus.Running, accepted.Status);
        Assert.Equal(ExecutionStatus.Cancelled, finished.Status);
        Assert.Equal("Cancelled on request.", finished.Error);
        Assert.Equal((ApiErrorKind.Conflict, "executionId"), (again.Kind, again.Field));
        Assert.Equal($"Execution {executionId} already ended CANCELLED and cannot be cancelled.", again.Message);
    }

    [Fact]
    public async Task DeadLetter_ListGetRedriveDiscard()
    {
        var scheduler = fixture.Scheduler.ForUser("dead-" + Guid.NewGuid().ToString("N"));
        var job = await scheduler.CreateAsync(Job.Recurring("always-fails").Cron("0 0 1 1 *").Handler(FailingHandler.Name).NoRetries());
        var executionId = await scheduler.ExecuteNowAsync(job.JobId);
        await scheduler.WaitForExecutionAsync(executionId, WaitTimeout);
        await Eventually.HoldsAsync(async () => (await scheduler.ListDeadLettersAsync()).Items.Count == 1, "the dead letter");

        var listed = Assert.Single((await scheduler.ListDeadLettersAsync()).Items);
        var read = await scheduler.GetDeadLetterAsync(listed.DeadLetterId);
        var hidden = await Assert.ThrowsAsync<JobSchedulerException>(() => fixture.Scheduler.ForUser("mallory").GetDeadLetterAsync(listed.DeadLetterId));

        Assert.StartsWith("dlq_", listed.DeadLetterId, StringComparison.Ordinal);
        Assert.Equal(job.JobId, listed.JobId);
        Assert.Equal(scheduler.UserId, listed.UserId);
        Assert.Equal(executionId, listed.ExecutionId);
        Assert.Equal($"{job.JobId}:manual:{executionId}", listed.IdempotencyKey);
        Assert.Equal(1, listed.Attempts);
        Assert.Equal(FailedError, listed.LastError);
        Assert.Equal(ExecutionTrigger.Manual, listed.Trigger);
        Assert.Equal(0, listed.Chain);
        Assert.Equal(listed, read);
        Assert.Equal(ApiErrorKind.NotFound, hidden.Kind);

        var redrivenId = await scheduler.RedriveDeadLetterAsync(listed.DeadLetterId);
        var redriven = await scheduler.WaitForExecutionAsync(redrivenId, WaitTimeout);
        await Eventually.HoldsAsync(async () => (await scheduler.ListDeadLettersAsync()).Items.Count == 1, "the redriven run's dead letter");
        var second = Assert.Single((await scheduler.ListDeadLettersAsync()).Items);

        Assert.Equal(ExecutionStatus.Failed, redriven.Status);
        Assert.Equal(ExecutionTrigger.Redrive, redriven.Trigger);
        Assert.Equal(listed.IdempotencyKey, redriven.IdempotencyKey);
        Assert.Equal(redrivenId, second.ExecutionId);
        Assert.Equal(1, second.Chain);
        Assert.Equal(ExecutionTrigger.Redrive, second.Trigger);

        await scheduler.DiscardDeadLetterAsync(second.DeadLetterId);
        var discardedAgain = await Assert.ThrowsAsync<JobSchedulerException>(() => scheduler.DiscardDeadLetterAsync(second.DeadLetterId));

        Assert.Empty((await scheduler.ListDeadLettersAsync()).Items);
        Assert.Equal(ApiErrorKind.NotFound, discardedAgain.Kind);
    }

    [Fact]
    public async Task DeadLetter_MalformedIdOrCursor_Throws()
    {
        var get = await Assert.ThrowsAsync<JobSchedulerException>(() => fixture.Scheduler.GetDeadLetterAsync("dlq_nope"));
        var cursor = await Assert.ThrowsAsync<JobSchedulerException>(() => fixture.Scheduler.ListDeadLettersAsync(cursor: "nope"));
        var limit = await Assert.ThrowsAsync<JobSchedulerException>(() => fixture.Scheduler.ListDeadLettersAsync(limit: 0));

        Assert.Equal((ApiErrorKind.NotFound, "deadLetterId"), (get.Kind, get.Field));
        Assert.Equal((ApiErrorKind.Validation, "cursor"), (cursor.Kind, cursor.Field));
        Assert.Equal((ApiErrorKind.Validation, "limit"), (limit.Kind, limit.Field));
    }
}
