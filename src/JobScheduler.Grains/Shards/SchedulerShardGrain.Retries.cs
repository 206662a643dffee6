using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Retries: each is a durable due-index entry, loaded into memory once it falls within the horizon, so a
/// retry survives a restart and never delays the job's regular instants, which have entries of their own.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    private readonly PriorityQueue<AttemptRequest, DateTimeOffset> _retries = new();
    private readonly HashSet<string> _loadedRetries = new(StringComparer.Ordinal);

    public async Task ScheduleRetry(AttemptRequest attempt, DateTimeOffset due)
    {
        // The check follows the write: a horizon read that started earlier may have missed the row.
        await WriteForCallAsync(_dueIndex.UpsertRetryAsync(_shard, _epoch, new RetryEntry(attempt, due)));
        if (due < _loadedUntil && _loadedRetries.Add(attempt.ExecutionId))
        {
            _retries.Enqueue(attempt, due);
            UpdateNextTick();
        }
    }

    /// <summary>Moves due retries to the dispatch queue. Their due-index rows stay until the lease written at dispatch replaces them.</summary>
    private void ReleaseRetries(DateTimeOffset now)
    {
        while (_retries.TryPeek(out _, out var due) && due <= now)
        {
            var attempt = _retries.Dequeue();
            _loadedRetries.Remove(attempt.ExecutionId);
            if (_cancelledRetries.Remove(attempt.ExecutionId))
            {
                continue;
            }

            Enqueue(attempt);
        }
    }

    private async Task<int> LoadRetriesAsync(DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var rows = await _dueIndex.ReadDueRetriesAsync(_shard, from, until, cancellationToken);
        var waiting = WaitingExecutionIds();
        var count = 0;
        foreach (var retry in rows)
        {
            if (retry.IsLease)
            {
                AdoptLease(retry.Attempt, retry.Due);
                continue;
            }

            // The row of an attempt this activation already has: queued, carried by a migration, or dispatched
            // before the lease that replaces the row committed.
            var executionId = retry.Attempt.ExecutionId;
            if (waiting.Contains(executionId) || _inFlight.ContainsKey(executionId) || _recentOutcomes.Contains(executionId))
            {
                continue;
            }

            if (_loadedRetries.Add(executionId))
            {
                _retries.Enqueue(retry.Attempt, retry.Due);
                count++;
            }
        }

        return count;
    }

    /// <summary>Hands a failed, timed-out or lost attempt to its job grain, which decides on a retry.</summary>
    private void ReportFailure(AttemptRequest attempt, AttemptOutcome outcome)
    {
        if (outcome.Status is ExecutionStatus.Succeeded or ExecutionStatus.Cancelled or ExecutionStatus.Skipped)
        {
            return;
        }

        HandOverFailureAsync(attempt, outcome).Ignore();
    }

    /// <summary>Calls the job grain; the silo's retry filter repeats the call when the grain's silo died.</summary>
    private async Task HandOverFailureAsync(AttemptRequest attempt, AttemptOutcome outcome)
    {
        try
        {
            await GrainFactory.GetGrain<IJobGrain>(attempt.JobId).OnAttemptFailed(attempt, outcome);
        }
        catch (Exception exception)
        {
            LogFailureHandOverFailed(_logger, exception, attempt.JobId, attempt.ExecutionId, _shard);
        }
    }

    /// <summary>The execution ids waiting in memory for dispatch or for their catch-up slot.</summary>
    private HashSet<string> WaitingExecutionIds()
    {
        var waiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (attempt, _) in _pending.UnorderedItems)
        {
            waiting.Add(attempt.ExecutionId);
        }

        foreach (var (attempt, _) in _catchUps.UnorderedItems)
        {
            waiting.Add(attempt.ExecutionId);
        }

        return waiting;
    }
}
