using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Jobs;

/// <summary>
/// Subscriptions to this job's execution outcomes. The job grain checks ownership and hands the subscription to
/// the job's shard, which receives every outcome and notifies only when a subscription exists.
/// </summary>
public sealed partial class JobGrain
{
    /// <summary>Longest subscription; a watcher renews it to wait longer.</summary>
    private static readonly TimeSpan MaxWatchExpiry = TimeSpan.FromMinutes(10);

    public async Task<ApiResult<bool>> WatchExecution(string userId, string executionId, IExecutionObserver observer, TimeSpan expiry)
    {
        if (!IsOwnedBy(userId) || !JobIds.TryGetJobId(executionId, out var jobId) || jobId != JobId)
        {
            return ApiResult<bool>.Fail(ApiError.NotFound($"Execution {executionId} was not found."));
        }

        if (expiry <= TimeSpan.Zero)
        {
            return ApiResult<bool>.Fail(ApiError.Invalid("expiry", $"The expiry {expiry} must be positive; use up to {MaxWatchExpiry.TotalMinutes:0} minutes."));
        }

        var expiresAt = _time.GetUtcNow() + (expiry < MaxWatchExpiry ? expiry : MaxWatchExpiry);
        return ApiResult<bool>.Ok(await ShardOf(JobId).WatchExecution(executionId, userId, observer, expiresAt));
    }

    public Task UnwatchExecution(string executionId, IExecutionObserver observer) =>
        ShardOf(JobId).UnwatchExecution(executionId, observer);
}
