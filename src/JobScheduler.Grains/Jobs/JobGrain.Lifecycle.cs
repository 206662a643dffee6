using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using JobScheduler.Scheduling;

using JobScheduler.Grains.Telemetry;

namespace JobScheduler.Grains.Jobs;

/// <summary>
/// Changes after creation: replace the definition, delete, pause and resume. Each change bumps the version,
/// writes the state, moves the job index row and then replaces or removes the shard's snapshot, so a
/// snapshot of an older version never fires again.
/// </summary>
public sealed partial class JobGrain
{
    private const string Active = "ACTIVE";
    private const string Paused = "PAUSED";
    private const string Completed = "COMPLETED";
    private const string Deleted = "DELETED";

    public async Task<ApiResult<JobInfo>> Update(string userId, JobDefinition definition, long? expectedVersion)
    {
        await ReadCompletionAsync();
        if (CheckChange(userId, expectedVersion) is { } denied)
        {
            return ApiResult<JobInfo>.Fail(denied);
        }

        var status = _state.State.Status;
        if (status == Deleted)
        {
            return ApiResult<JobInfo>.Fail(new ApiError(ApiErrorKind.Conflict, null,
                $"Job {JobId} is deleted and can no longer change; create a new job instead."));
        }

        var now = _time.GetUtcNow();
        var (invalid, normalized, schedule) = await ValidateAsync(definition, _state.State.CreatedAt);
        if (invalid is not null)
        {
            return ApiResult<JobInfo>.Fail(invalid);
        }

        var progress = await ReadScheduleProgressAsync(normalized.MaxExecutions is not null);
        var next = ScheduleChange.NextInstant(normalized, schedule!, now, progress.LastScheduledAt);
        var finished = (normalized.MaxExecutions is { } max && progress.FiredCount >= max)
            || (normalized.Type == JobType.OneTime && progress.LastScheduledAt >= schedule!.GetNextOccurrence(DateTimeOffset.MinValue));

        string newStatus;
        if (finished)
        {
            newStatus = Completed;
        }
        else if (next is not null)
        {
            newStatus = status == Completed ? Active : status!;
        }
        else if (status == Completed)
        {
            newStatus = Completed;
        }
        else
        {
            return ApiResult<JobInfo>.Fail(NoFutureInstant(normalized, now));
        }

        // A completed job that becomes active again needs a quota slot before anything is written.
        if (status == Completed && newStatus == Active
            && !await GrainFactory.GetGrain<IUserGrain>(JobIds.UserKey(userId)).TryReserveJob(_options.MaxActiveJobsPerUser))
        {
            return ApiResult<JobInfo>.Fail(QuotaExceeded());
        }

        _state.State.Definition = StoredDefinitionMapper.ToStored(normalized);
        _state.State.TraceParent = JobSchedulerTracing.CurrentTraceParent() ?? _state.State.TraceParent;
        await CommitAsync(newStatus, now);
        if (newStatus == Active)
        {
            await ShardOf(JobId).Upsert(ToShardJob(normalized, next!.Value, _state.State.CreatedAt) with { FiredCount = progress.FiredCount });
        }
        else
        {
            await ShardOf(JobId).Remove(JobId, _state.State.Version);
        }

        if (newStatus == Completed && status is Active or Paused)
        {
            await ReleaseQuotaAsync();
        }

        LogJobUpdated(_logger, JobId, _state.State.Version, newStatus, next);
        return ApiResult<JobInfo>.Ok(ToInfo(schedule));
    }

    public async Task<ApiResult<JobInfo>> Delete(string userId, long? expectedVersion)
    {
        await ReadCompletionAsync();
        if (CheckChange(userId, expectedVersion) is { } denied)
        {
            return ApiResult<JobInfo>.Fail(denied);
        }

        var status = _state.State.Status;
        if (status == Deleted)
        {
            return ApiResult<JobInfo>.Ok(ToInfo(null));
        }

        await CommitAsync(Deleted, _time.GetUtcNow());
        await ShardOf(JobId).Remove(JobId, _state.State.Version);
        await ShardOf(JobId).CancelJob(JobId, $"Cancelled: job {JobId} was deleted.");
        if (status is Active or Paused)
        {
            await ReleaseQuotaAsync();
        }

        LogJobDeleted(_logger, JobId, _state.State.Version);
        DeactivateOnIdle();
        return ApiResult<JobInfo>.Ok(ToInfo(null));
    }

    public async Task<ApiResult<JobInfo>> Pause(string userId, long? expectedVersion)
    {
        await ReadCompletionAsync();
        if (CheckChange(userId, expectedVersion) is { } denied)
        {
            return ApiResult<JobInfo>.Fail(denied);
        }

        var status = _state.State.Status;
        if (status == Paused)
        {
            return ApiResult<JobInfo>.Ok(ToInfo(null));
        }

        if (status != Active)
        {
            return ApiResult<JobInfo>.Fail(NotChangeable("paused", status!));
        }

        await CommitAsync(Paused, _time.GetUtcNow());
        await ShardOf(JobId).Remove(JobId, _state.State.Version);
        LogJobPaused(_logger, JobId, _state.State.Version);
        return ApiResult<JobInfo>.Ok(ToInfo(null));
    }

    public async Task<ApiResult<JobInfo>> Resume(string userId, long? expectedVersion)
    {
        await ReadCompletionAsync();
        if (CheckChange(userId, expectedVersion) is { } denied)
        {
            return ApiResult<JobInfo>.Fail(denied);
        }

        var status = _state.State.Status;
        if (status == Active)
        {
            return ApiResult<JobInfo>.Ok(ToInfo(null));
        }

        if (status != Paused)
        {
            return ApiResult<JobInfo>.Fail(NotChangeable("resumed", status!));
        }

        var now = _time.GetUtcNow();
        var definition = StoredDefinitionMapper.ToDefinition(_state.State.Definition!);
        var anchor = definition.StartAt ?? _state.State.CreatedAt;
        var type = definition.Type == JobType.OneTime ? ScheduleParser.OneTimeType : ScheduleParser.RecurringType;
        if (!ScheduleParser.TryParse(type, definition.ScheduleExpression, definition.TimeZone, anchor, out var schedule, out var error))
        {
            return ApiResult<JobInfo>.Fail(ApiError.Invalid(error.Field, error.Message));
        }

        // Instants passed while paused are not replayed: the schedule continues after now.
        var progress = await ReadScheduleProgressAsync(definition.MaxExecutions is not null);
        var next = ScheduleChange.NextInstant(definition, schedule, now, progress.LastScheduledAt);
        var finished = next is null || (definition.MaxExecutions is { } max && progress.FiredCount >= max);
        await CommitAsync(finished ? Completed : Active, now);
        if (finished)
        {
            await ReleaseQuotaAsync();
        }
        else
        {
            await ShardOf(JobId).Upsert(ToShardJob(definition, next!.Value, _state.State.CreatedAt) with { FiredCount = progress.FiredCount });
        }

        LogJobResumed(_logger, JobId, _state.State.Version, _state.State.Status!, next);
        return ApiResult<JobInfo>.Ok(ToInfo(schedule));
    }

    /// <summary>Checks ownership (NotFound for another user's job) and the caller's expected version.</summary>
    private ApiError? CheckChange(string userId, long? expectedVersion)
    {
        if (!IsOwnedBy(userId))
        {
            return ApiError.NotFound($"Job {JobId} was not found.");
        }

        var version = _state.State.Version;
        return expectedVersion is { } expected && expected != version
            ? new ApiError(ApiErrorKind.PreconditionFailed, "If-Match",
                $"Job {JobId} is at version {version}, not {expected}; read it again and retry with its current ETag.")
            : null;
    }

    /// <summary>Bumps the version, writes the state and moves the job index row to the new status and name.</summary>
    private async Task CommitAsync(string status, DateTimeOffset now)
    {
        var state = _state.State;
        state.Status = status;
        state.Version++;
        state.UpdatedAt = now;
        await _state.WriteStateAsync();
        await _index.UpsertAsync(new JobIndexEntry(JobId, state.UserId!, state.Definition!.Name!, IndexStatus(status), state.CreatedAt, state.Version));
    }

    private Task ReleaseQuotaAsync() => GrainFactory.GetGrain<IUserGrain>(JobIds.UserKey(_state.State.UserId!)).ReleaseJob();

    private static JobStatus IndexStatus(string status) => status switch
    {
        Paused => JobStatus.Paused,
        Completed => JobStatus.Completed,
        Deleted => JobStatus.Deleted,
        _ => JobStatus.Active,
    };

    private ApiError NotChangeable(string change, string status) => new(ApiErrorKind.Conflict, null,
        $"Job {JobId} is {status} and cannot be {change}; only an ACTIVE job can be paused and only a PAUSED job resumed.");

    private static ApiError NoFutureInstant(JobDefinition definition, DateTimeOffset now)
    {
        if (definition.Type == JobType.OneTime)
        {
            return ApiError.Invalid("scheduleExpression",
                $"The instant is not in the future; a changed schedule never fires at once. Give a later ISO-8601 instant such as {now.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}.");
        }

        return ApiError.Invalid(definition.EndAt is null ? "scheduleExpression" : "endAt",
            "The schedule has no instant between now (or startAt) and endAt; change the expression or the bounds.");
    }
}
