using Microsoft.Extensions.DependencyInjection;
using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Outbound;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Telemetry;
using JobScheduler.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobScheduler.Grains.Jobs;

/// <summary>
/// Owner and source of truth of one job. Its stored state is written on create and on every change of
/// the definition or status, never per fire: firing is the shard's work.
/// </summary>
public sealed partial class JobGrain : Grain, IJobGrain
{
    private readonly IPersistentState<JobState> _state;
    private readonly IJobIndex _index;
    private readonly IExecutionStore _history;
    private readonly IDeadLetterStore _deadLetters;
    private readonly IExecutionEvents _events;
    private readonly JobSchedulerMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly SchedulerOptions _options;
    private readonly JobValidator _validator;
    private readonly OutboundAddressPolicy _outbound;
    private readonly ILogger<JobGrain> _logger;

    public JobGrain(
        [PersistentState("job", StorageNames.Jobs)] IPersistentState<JobState> state,
        IJobIndex index,
        IExecutionStore history,
        IDeadLetterStore deadLetters,
        IExecutionEvents events,
        JobSchedulerMetrics metrics,
        JobHandlerNames handlers,
        [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
        IOptions<SchedulerOptions> options,
        IOptions<JobLimitsOptions> limits,
        OutboundAddressPolicy outbound,
        ILogger<JobGrain> logger)
    {
        _state = state;
        _index = index;
        _history = history;
        _deadLetters = deadLetters;
        _events = events;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _validator = new JobValidator(handlers, _options.MisfireThreshold, limits.Value);
        _outbound = outbound;
        _logger = logger;
    }

    private string JobId => this.GetPrimaryKeyString();

    private bool Exists => _state.RecordExists && _state.State.JobId is not null;

    public async Task<ApiResult<JobInfo>> Create(string userId, JobDefinition definition)
    {
        if (Exists)
        {
            return ApiResult<JobInfo>.Fail(new ApiError(ApiErrorKind.Conflict, "jobId", $"Job {JobId} already exists."));
        }

        var now = _time.GetUtcNow();
        var (invalid, normalized, schedule) = await ValidateAsync(definition, now);
        if (invalid is not null)
        {
            return ApiResult<JobInfo>.Fail(invalid);
        }

        if (FirstInstant(normalized, schedule!, now, out var firstDue) is { } noInstant)
        {
            return ApiResult<JobInfo>.Fail(noInstant);
        }

        var user = GrainFactory.GetGrain<IUserGrain>(JobIds.UserKey(userId));
        if (!await user.TryReserveJob(_options.MaxActiveJobsPerUser))
        {
            return ApiResult<JobInfo>.Fail(QuotaExceeded());
        }

        _state.State = new JobState
        {
            JobId = JobId,
            UserId = userId,
            Status = "ACTIVE",
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
            Definition = StoredDefinitionMapper.ToStored(normalized),
            TraceParent = JobSchedulerTracing.CurrentTraceParent(),
        };
        await _state.WriteStateAsync();

        // The state is written first, so a due-index row never points at a job that does not exist. The
        // index row and the due-index row are independent group commits, so they are sent together.
        // A silo that dies before both are written leaves the job unscheduled; the repeated call completes it.
        var indexed = _index.UpsertAsync(new JobIndexEntry(JobId, userId, normalized.Name!, JobStatus.Active, now, _state.State.Version)).AsTask();
        var scheduled = ShardOf(JobId).Upsert(ToShardJob(normalized, firstDue, now));
        await Task.WhenAll(indexed, scheduled);

        LogJobCreated(_logger, JobId, userId, normalized.Type!.Value, firstDue);
        DeactivateOnIdle();
        return ApiResult<JobInfo>.Ok(ToInfo(schedule));
    }

    public async Task<ApiResult<JobInfo>> GetJob(string userId)
    {
        if (!IsOwnedBy(userId))
        {
            return NotFound<JobInfo>();
        }

        await ReadCompletionAsync();
        return ApiResult<JobInfo>.Ok(ToInfo(null));
    }

    public async Task<ApiResult<string>> ExecuteNow(string userId)
    {
        if (!IsOwnedBy(userId))
        {
            return NotFound<string>();
        }

        if (_state.State.Status == "DELETED")
        {
            return ApiResult<string>.Fail(new ApiError(ApiErrorKind.Conflict, null, $"Job {JobId} is deleted and cannot run."));
        }

        var now = _time.GetUtcNow();
        var definition = StoredDefinitionMapper.ToDefinition(_state.State.Definition!);
        var executionId = JobIds.NewExecutionId(JobId, now);
        var attempt = new AttemptRequest
        {
            ExecutionId = executionId,
            JobId = JobId,
            UserId = userId,
            Shard = ShardMap.ShardOf(JobId, _options.ShardCount),
            ScheduledAt = now,
            AttemptNumber = 1,
            Trigger = ExecutionTrigger.Manual,
            IdempotencyKey = JobIds.ManualKey(JobId, executionId),
            Target = definition.Target!,
            Payload = definition.Payload,
            Priority = definition.Priority ?? JobPriority.Normal,
            Webhook = definition.Webhook,
            TraceParent = _state.State.TraceParent ?? JobSchedulerTracing.CurrentTraceParent(),
        };

        await _history.SaveAsync(new ExecutionInfo
        {
            ExecutionId = executionId,
            JobId = JobId,
            UserId = userId,
            Status = ExecutionStatus.Pending,
            Trigger = ExecutionTrigger.Manual,
            ScheduledAt = now,
            AttemptNumber = 1,
            IdempotencyKey = attempt.IdempotencyKey,
        });
        await ShardOf(JobId).DispatchNow(attempt);
        LogManualRun(_logger, JobId, executionId);
        return ApiResult<string>.Ok(executionId);
    }

    public async Task<ApiResult<ExecutionInfo>> GetExecution(string userId, string executionId)
    {
        if (!IsOwnedBy(userId))
        {
            return NotFound<ExecutionInfo>();
        }

        var execution = await _history.GetAsync(executionId);
        return execution is not null && execution.JobId == JobId
            ? ApiResult<ExecutionInfo>.Ok(execution)
            : ApiResult<ExecutionInfo>.Fail(ApiError.NotFound($"Execution {executionId} was not found."));
    }

    public async Task<ApiResult<ExecutionPage>> ListExecutions(string userId, int limit, string? cursor)
    {
        if (!IsOwnedBy(userId))
        {
            return NotFound<ExecutionPage>();
        }

        return ApiResult<ExecutionPage>.Ok(await _history.ListByJobAsync(JobId, limit, cursor));
    }

    public async Task OnScheduleExhausted(long version)
    {
        if (!Exists || _state.State.Version != version || _state.State.Status != "ACTIVE")
        {
            return;
        }

        _state.State.Status = "COMPLETED";
        _state.State.UpdatedAt = _time.GetUtcNow();
        await _state.WriteStateAsync();
        await _index.UpsertAsync(new JobIndexEntry(JobId, _state.State.UserId!, _state.State.Definition!.Name!, JobStatus.Completed, _state.State.CreatedAt, version));
        await GrainFactory.GetGrain<IUserGrain>(JobIds.UserKey(_state.State.UserId!)).ReleaseJob();
        LogJobCompleted(_logger, JobId);
        DeactivateOnIdle();
    }

    private bool IsOwnedBy(string userId) => Exists && string.Equals(_state.State.UserId, userId, StringComparison.Ordinal);

    private ApiResult<T> NotFound<T>() => ApiResult<T>.Fail(ApiError.NotFound($"Job {JobId} was not found."));

    private ISchedulerShardGrain ShardOf(string jobId) =>
        GrainFactory.GetGrain<ISchedulerShardGrain>(ShardMap.ShardOf(jobId, _options.ShardCount));
}
