using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Jobs;

/// <summary>Cancelling one execution of this job on request.</summary>
public sealed partial class JobGrain
{
    private const string CancelledOnRequest = "Cancelled on request.";

    public async Task<ApiResult<ExecutionInfo>> CancelExecution(string userId, string executionId)
    {
        if (!IsOwnedBy(userId))
        {
            return NotFound<ExecutionInfo>();
        }

        var execution = await _history.GetAsync(executionId);
        if (execution is null || execution.JobId != JobId)
        {
            return ApiResult<ExecutionInfo>.Fail(ApiError.NotFound($"Execution {executionId} was not found."));
        }

        if (execution.Status.IsFinal())
        {
            return ApiResult<ExecutionInfo>.Fail(new ApiError(ApiErrorKind.Conflict, "executionId",
                $"Execution {executionId} already ended {execution.Status.ToString().ToUpperInvariant()} and cannot be cancelled."));
        }

        var found = await ShardOf(JobId).Cancel(executionId, CancelledOnRequest);
        if (!found && execution.Status == ExecutionStatus.Pending)
        {
            // A retry beyond the shard's horizon: the shard deleted its due-index entry, so record it here.
            await _history.SaveAsync(execution with { Status = ExecutionStatus.Cancelled, FinishedAt = _time.GetUtcNow(), Error = CancelledOnRequest });
        }
        else if (!found)
        {
            return ApiResult<ExecutionInfo>.Fail(new ApiError(ApiErrorKind.Conflict, "executionId",
                $"Execution {executionId} is not held by its shard right now (it may be finishing, or its silo is failing over); try again in a few seconds."));
        }

        LogCancelled(_logger, JobId, executionId);
        return ApiResult<ExecutionInfo>.Ok(execution);
    }
}
