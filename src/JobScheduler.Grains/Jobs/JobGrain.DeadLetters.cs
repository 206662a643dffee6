using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Jobs;

/// <summary>Dead letters of this job: read, redrive as a new attempt chain, discard.</summary>
public sealed partial class JobGrain
{
    public async Task<ApiResult<DeadLetterInfo>> GetDeadLetter(string userId, string deadLetterId)
    {
        var deadLetter = await FindDeadLetterAsync(userId, deadLetterId);
        return deadLetter is null ? DeadLetterNotFound<DeadLetterInfo>(deadLetterId) : ApiResult<DeadLetterInfo>.Ok(deadLetter);
    }

    public async Task<ApiResult<string>> RedriveDeadLetter(string userId, string deadLetterId)
    {
        var deadLetter = await FindDeadLetterAsync(userId, deadLetterId);
        if (deadLetter is null)
        {
            return DeadLetterNotFound<string>(deadLetterId);
        }

        if (_state.State.Status == "DELETED")
        {
            return ApiResult<string>.Fail(new ApiError(ApiErrorKind.Conflict, null,
                $"Job {JobId} is deleted, so its dead letters cannot run again; discard the dead letter instead."));
        }

        var now = _time.GetUtcNow();
        var definition = StoredDefinitionMapper.ToDefinition(_state.State.Definition!);
        var attempt = new AttemptRequest
        {
            ExecutionId = JobIds.NewExecutionId(JobId, now),
            JobId = JobId,
            UserId = userId,
            Shard = ShardMap.ShardOf(JobId, _options.ShardCount),
            ScheduledAt = deadLetter.ScheduledAt,
            AttemptNumber = 1,
            Trigger = ExecutionTrigger.Redrive,
            IdempotencyKey = deadLetter.IdempotencyKey,
            Target = definition.Target!,
            Payload = definition.Payload,
            Priority = definition.Priority ?? JobPriority.Normal,
            Chain = deadLetter.Chain + 1,
            Webhook = definition.Webhook,
        };

        await _history.SaveAsync(ToPendingRecord(attempt));
        await ShardOf(JobId).DispatchNow(attempt);
        await _deadLetters.RemoveAsync(deadLetterId);
        LogRedriven(_logger, JobId, deadLetterId, attempt.ExecutionId, attempt.Chain);
        return ApiResult<string>.Ok(attempt.ExecutionId);
    }

    public async Task<ApiResult<bool>> DiscardDeadLetter(string userId, string deadLetterId)
    {
        if (await FindDeadLetterAsync(userId, deadLetterId) is null)
        {
            return DeadLetterNotFound<bool>(deadLetterId);
        }

        await _deadLetters.RemoveAsync(deadLetterId);
        LogDiscarded(_logger, JobId, deadLetterId);
        return ApiResult<bool>.Ok(true);
    }

    /// <summary>The dead letter when it exists, belongs to this job and the job belongs to the caller.</summary>
    private async Task<DeadLetterInfo?> FindDeadLetterAsync(string userId, string deadLetterId)
    {
        if (!IsOwnedBy(userId))
        {
            return null;
        }

        var deadLetter = await _deadLetters.GetAsync(deadLetterId);
        return deadLetter is not null && deadLetter.JobId == JobId && deadLetter.UserId == userId ? deadLetter : null;
    }

    private static ApiResult<T> DeadLetterNotFound<T>(string deadLetterId) =>
        ApiResult<T>.Fail(ApiError.NotFound($"Dead letter {deadLetterId} was not found."));
}
