using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Client.Hosting;
using JobScheduler.Client.Internal;
using JobScheduler.Client.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace JobScheduler.Client.Tests.Facade;

/// <summary>The Polly retries around grain calls, on a scripted grain that fails the way a failover does.</summary>
public sealed class FailoverRetryTests
{
    private static readonly JobDefinition Definition =
        Job.Recurring("retried").Cron("0 0 * * *").Handler("work").Build();

    private const string ExecutionId = "exe_01M91FGV6B6RJ2JBWFMSYVJSA9_01M91FJ6SSDNHCEZ3WKGMWYM4K";
    private const string DeadLetterId = "dlq_01M91FGV6B6RJ2JBWFMSYVJSA9_01M91FJ6SSDNHCEZ3WKGMWYM4K";

    private readonly ScriptedJobGrain _grain = new();
    private readonly JobSchedulerClientOptions _options = new()
    {
        UserId = "alice",
        MaxCallRetries = 3,
        CallRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxCallRetryDelay = TimeSpan.FromMilliseconds(5),
    };

    [Fact]
    public async Task Create_SiloUnavailable_RetriesUntilCreated()
    {
        _grain.CreateAnswers.Enqueue(() => throw new SiloUnavailableException("silo died"));
        _grain.CreateAnswers.Enqueue(() => throw new ConnectionFailedException("gateway closed"));
        _grain.CreateAnswers.Enqueue(() => Task.FromResult(ApiResult<JobInfo>.Ok(_grain.StoredJob)));

        var job = await Scheduler().CreateAsync(Definition);

        Assert.Equal(_grain.StoredJob.JobId, job.JobId);
        Assert.Equal(3, _grain.CreateCalls);
    }

    [Fact]
    public async Task Create_AnswerLostThenExists_ReturnsExistingJob()
    {
        _grain.CreateAnswers.Enqueue(() => throw new TimeoutException("no answer within 30 s"));
        _grain.CreateAnswers.Enqueue(() => Task.FromResult(
            ApiResult<JobInfo>.Fail(new ApiError(ApiErrorKind.Conflict, "jobId", "Job already exists."))));

        var job = await Scheduler().CreateAsync(Definition);

        Assert.Equal(_grain.StoredJob, job);
        Assert.Equal(2, _grain.CreateCalls);
        Assert.Equal(1, _grain.GetJobCalls);
    }

    [Fact]
    public async Task Create_RetriesExhausted_ThrowsLastFailure()
    {
        for (var i = 0; i <= _options.MaxCallRetries; i++)
        {
            _grain.CreateAnswers.Enqueue(() => throw new SiloUnavailableException("silo died"));
        }

        await Assert.ThrowsAsync<SiloUnavailableException>(() => Scheduler().CreateAsync(Definition));

        Assert.Equal(_options.MaxCallRetries + 1, _grain.CreateCalls);
    }

    [Fact]
    public async Task ExecuteNow_Timeout_IsNotRetried()
    {
        _grain.ExecuteNowAnswers.Enqueue(() => throw new TimeoutException("no answer within 30 s"));

        await Assert.ThrowsAsync<TimeoutException>(() => Scheduler().ExecuteNowAsync(_grain.StoredJob.JobId));

        Assert.Equal(1, _grain.ExecuteNowCalls);
    }

    [Fact]
    public async Task ExecuteNow_GatewayBusy_IsRetried()
    {
        _grain.ExecuteNowAnswers.Enqueue(() => throw new GatewayTooBusyException("load shedding"));
        _grain.ExecuteNowAnswers.Enqueue(() => Task.FromResult(ApiResult<string>.Ok("exe_run")));

        var executionId = await Scheduler().ExecuteNowAsync(_grain.StoredJob.JobId);

        Assert.Equal("exe_run", executionId);
        Assert.Equal(2, _grain.ExecuteNowCalls);
    }

    [Fact]
    public async Task ExecuteNow_SiloDiedDuringCall_IsNotRetried()
    {
        _grain.ExecuteNowAnswers.Enqueue(() => throw new SiloUnavailableException("silo died"));

        await Assert.ThrowsAsync<SiloUnavailableException>(() => Scheduler().ExecuteNowAsync(_grain.StoredJob.JobId));

        Assert.Equal(1, _grain.ExecuteNowCalls);
    }

    [Fact]
    public async Task Cancel_AnswerLostThenConflict_ReturnsCancelled()
    {
        var cancelled = new ExecutionInfo { ExecutionId = ExecutionId, JobId = _grain.StoredJob.JobId, Status = ExecutionStatus.Cancelled };
        _grain.CancelAnswers.Enqueue(() => throw new TimeoutException("no answer within 30 s"));
        _grain.CancelAnswers.Enqueue(() => Task.FromResult(ApiResult<ExecutionInfo>.Fail(
            new ApiError(ApiErrorKind.Conflict, "executionId", "Execution already ended CANCELLED and cannot be cancelled."))));
        _grain.GetExecutionAnswers.Enqueue(() => Task.FromResult(ApiResult<ExecutionInfo>.Ok(cancelled)));

        var execution = await Scheduler().CancelExecutionAsync(ExecutionId);

        Assert.Equal(cancelled, execution);
        Assert.Equal(3, _grain.CallCount);
    }

    [Fact]
    public async Task Cancel_FirstConflict_Throws()
    {
        _grain.CancelAnswers.Enqueue(() => Task.FromResult(ApiResult<ExecutionInfo>.Fail(
            new ApiError(ApiErrorKind.Conflict, "executionId", "Execution already ended SUCCEEDED and cannot be cancelled."))));

        var exception = await Assert.ThrowsAsync<JobSchedulerException>(() => Scheduler().CancelExecutionAsync(ExecutionId));

        Assert.Equal(ApiErrorKind.Conflict, exception.Kind);
        Assert.Equal(1, _grain.CallCount);
    }

    [Fact]
    public async Task Discard_AnswerLostThenNotFound_Succeeds()
    {
        _grain.DiscardAnswers.Enqueue(() => throw new SiloUnavailableException("silo died"));
        _grain.DiscardAnswers.Enqueue(() => Task.FromResult(ApiResult<bool>.Fail(ApiError.NotFound("Dead letter was not found."))));

        await Scheduler().DiscardDeadLetterAsync(DeadLetterId);

        Assert.Equal(2, _grain.CallCount);
    }

    [Fact]
    public async Task Discard_FirstNotFound_Throws()
    {
        _grain.DiscardAnswers.Enqueue(() => Task.FromResult(ApiResult<bool>.Fail(ApiError.NotFound("Dead letter was not found."))));

        var exception = await Assert.ThrowsAsync<JobSchedulerException>(() => Scheduler().DiscardDeadLetterAsync(DeadLetterId));

        Assert.Equal(ApiErrorKind.NotFound, exception.Kind);
        Assert.Equal(1, _grain.CallCount);
    }

    [Fact]
    public async Task Redrive_Timeout_IsNotRetried()
    {
        _grain.RedriveAnswers.Enqueue(() => throw new TimeoutException("no answer within 30 s"));

        await Assert.ThrowsAsync<TimeoutException>(() => Scheduler().RedriveDeadLetterAsync(DeadLetterId));

        Assert.Equal(1, _grain.CallCount);
    }

    [Fact]
    public async Task Create_Rejection_IsNotRetried()
    {
        _grain.CreateAnswers.Enqueue(() => Task.FromResult(
            ApiResult<JobInfo>.Fail(ApiError.Invalid("name", "The name is empty."))));

        var exception = await Assert.ThrowsAsync<JobSchedulerException>(() => Scheduler().CreateAsync(Definition));

        Assert.Equal("name", exception.Field);
        Assert.Equal(1, _grain.CreateCalls);
    }

    private OrleansJobScheduler Scheduler() => new(
        SingleGrainFactory.For(_grain),
        new GrainCallResilience(_options, TimeProvider.System, NullLogger<GrainCallResilience>.Instance),
        _options,
        TimeProvider.System,
        _options.UserId);
}
