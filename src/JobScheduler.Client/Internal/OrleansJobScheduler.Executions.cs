using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Client.Internal;

/// <summary>Executions: read, list, cancel, and wait for an outcome through an observer with reads as fallback.</summary>
internal sealed partial class OrleansJobScheduler
{
    public async Task<ExecutionInfo> GetExecutionAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var grain = ExecutionJobGrain(executionId);
        var result = await _resilience.Repeatable.ExecuteAsync(
            async token => await grain.GetExecution(UserId, executionId).WaitAsync(token), cancellationToken);
        return result.IsSuccess ? result.Value! : throw ExecutionNotFound(executionId);
    }

    public async Task<ExecutionPage> ListExecutionsAsync(string jobId, int limit = 50, string? cursor = null, CancellationToken cancellationToken = default)
    {
        CheckLimit(limit);
        if (cursor is not null && !ClientIds.TryGetJobId(cursor, out _))
        {
            throw new JobSchedulerException(ApiError.Invalid("cursor", "The cursor is malformed; pass the nextCursor of the previous page unchanged."));
        }

        var grain = JobGrain(jobId);
        var result = await _resilience.Repeatable.ExecuteAsync(
            async token => await grain.ListExecutions(UserId, limit, cursor).WaitAsync(token), cancellationToken);
        return Unwrap(result);
    }

    public async Task<ExecutionInfo> CancelExecutionAsync(string executionId, CancellationToken cancellationToken = default)
    {
        var grain = ExecutionJobGrain(executionId);
        var attempts = 0;
        var result = await _resilience.Repeatable.ExecuteAsync(async token =>
        {
            attempts++;
            var cancelled = await grain.CancelExecution(UserId, executionId).WaitAsync(token);

            // A retry that finds the execution CANCELLED means an earlier attempt cancelled it and its response was lost.
            if (attempts > 1 && cancelled.Error is { Kind: ApiErrorKind.Conflict })
            {
                var current = await grain.GetExecution(UserId, executionId).WaitAsync(token);
                return current.Value?.Status == ExecutionStatus.Cancelled ? current : cancelled;
            }

            return cancelled;
        }, cancellationToken);
        return Unwrap(result);
    }

    public async Task<ExecutionInfo> WaitForExecutionAsync(string executionId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        var grain = ExecutionJobGrain(executionId);
        var deadline = _time.GetUtcNow() + timeout;

        // Subscribed before the first read, so an outcome between the read and the subscription is not missed.
        await using var subscription = _options.UseExecutionObserver
            ? await ExecutionSubscription.StartAsync(_grains, grain, UserId, executionId, _options.ObserverExpiry, _time, _resilience, cancellationToken)
            : null;
        var interval = _options.PollInterval;
        while (true)
        {
            var execution = await GetExecutionAsync(executionId, cancellationToken);
            if (execution.Status.IsFinal())
            {
                return execution;
            }

            var now = _time.GetUtcNow();
            var remaining = deadline - now;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"Execution {executionId} did not reach a final status within {timeout.TotalSeconds:0.###} s; its status is {execution.Status}. "
                    + "Wait longer, or read it later with GetExecutionAsync.");
            }

            var listening = subscription is { IsActive: true, Outcome.IsCompleted: false };
            var wait = listening ? Shortest(_options.FallbackPollInterval, subscription!.RenewAt - now) : interval;
            await WaitForOutcomeAsync(listening ? subscription!.Outcome : null, Shortest(wait, remaining), cancellationToken);
            if (subscription is { Outcome.IsCompleted: false } && _time.GetUtcNow() >= subscription.RenewAt)
            {
                await subscription.RenewAsync(cancellationToken);
            }

            if (!listening)
            {
                interval = Shortest(interval * 2, _options.MaxPollInterval);
            }
        }
    }

    /// <summary>Waits for <paramref name="outcome"/> (when there is one) or for <paramref name="delay"/>, whichever comes first.</summary>
    private async Task WaitForOutcomeAsync(Task<ExecutionOutcome>? outcome, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (outcome is null)
        {
            await Task.Delay(delay, _time, cancellationToken);
            return;
        }

        using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delayed = Task.Delay(delay, _time, stopDelay.Token);
        await Task.WhenAny(outcome, delayed);
        await stopDelay.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Returns the job grain that serves an execution; a malformed id is not found, as in the REST API.</summary>
    private IJobGrain ExecutionJobGrain(string executionId) =>
        ClientIds.TryGetJobId(executionId, out var jobId) ? _grains.GetGrain<IJobGrain>(jobId) : throw ExecutionNotFound(executionId);

    private static TimeSpan Shortest(TimeSpan first, TimeSpan second) => first < second ? first : second;
}
