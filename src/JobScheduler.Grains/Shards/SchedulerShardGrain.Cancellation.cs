using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Cancellation and overlap: cancelling a waiting, running or retrying attempt, and the job's
/// <c>concurrencyPolicy</c> when an instant comes while its previous run is still active.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    private readonly HashSet<string> _cancelledRetries = new(StringComparer.Ordinal);

    public async Task<bool> Cancel(string executionId, string reason)
    {
        var now = _time.GetUtcNow();
        if (_inFlight.ContainsKey(executionId))
        {
            // The executor ends the attempt CANCELLED and reports it like any other outcome.
            GrainFactory.GetGrain<IExecutionWorkerGrain>(0).Cancel(executionId, reason).Ignore();
            return true;
        }

        if (FindWaiting(executionId) is { } waiting)
        {
            _cancelledPending.Add(executionId);
            await WriteForCallAsync(_dueIndex.RemoveRetryAsync(_shard, _epoch, executionId));
            await _history.SaveAsync(Record(waiting, ExecutionStatus.Cancelled, now, reason));
            NotifyWatchers(waiting, ExecutionStatus.Cancelled, reason);
            return true;
        }

        var retry = _retries.UnorderedItems.Select(item => item.Element).FirstOrDefault(a => a.ExecutionId == executionId);
        var wasLoaded = retry is not null && _loadedRetries.Remove(executionId);
        if (wasLoaded)
        {
            _cancelledRetries.Add(executionId);
            await _history.SaveAsync(Record(retry!, ExecutionStatus.Cancelled, now, reason));
            NotifyWatchers(retry!, ExecutionStatus.Cancelled, reason);
        }

        await WriteForCallAsync(_dueIndex.RemoveRetryAsync(_shard, _epoch, executionId));
        return wasLoaded;
    }

    public async Task CancelJob(string jobId, string reason)
    {
        var now = _time.GetUtcNow();
        CancelActiveRuns(jobId, now, reason);
        var cancelled = _pending.UnorderedItems
            .Where(item => item.Element.JobId == jobId)
            .Select(item => item.Element.ExecutionId)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (waiting, _) in _catchUps.UnorderedItems.Where(item => item.Element.JobId == jobId).ToList())
        {
            _cancelledPending.Add(waiting.ExecutionId);
            cancelled.Add(waiting.ExecutionId);
            await _history.SaveAsync(Record(waiting, ExecutionStatus.Cancelled, now, reason));
            NotifyWatchers(waiting, ExecutionStatus.Cancelled, reason);
        }

        foreach (var (retry, _) in _retries.UnorderedItems.Where(item => item.Element.JobId == jobId).ToList())
        {
            if (_loadedRetries.Remove(retry.ExecutionId))
            {
                _cancelledRetries.Add(retry.ExecutionId);
                cancelled.Add(retry.ExecutionId);
                await _history.SaveAsync(Record(retry, ExecutionStatus.Cancelled, now, reason));
                NotifyWatchers(retry, ExecutionStatus.Cancelled, reason);
            }
        }

        // Retries beyond the horizon exist only in the due-index; their PENDING rows become CANCELLED too.
        IReadOnlyList<RetryEntry> removed;
        try
        {
            removed = await _dueIndex.RemoveRetriesOfJobAsync(_shard, _epoch, jobId);
        }
        catch (ShardFencedException)
        {
            StopFenced();
            throw new ShardMovedException(_shard);
        }

        foreach (var stored in removed)
        {
            if (!stored.IsLease && cancelled.Add(stored.Attempt.ExecutionId))
            {
                await _history.SaveAsync(Record(stored.Attempt, ExecutionStatus.Cancelled, now, reason));
                NotifyWatchers(stored.Attempt, ExecutionStatus.Cancelled, reason);
            }
        }

        LogJobCancelled(_logger, jobId, _shard, cancelled.Count);
    }

    /// <summary>Applies the overlap policy; returns false when the instant must not be dispatched.</summary>
    private bool ApplyConcurrencyPolicy(ShardJob job, DateTimeOffset instant, DateTimeOffset now)
    {
        if (job.ConcurrencyPolicy == ConcurrencyPolicy.Allow || _activeByJob.GetValueOrDefault(job.JobId) == 0)
        {
            return true;
        }

        if (job.ConcurrencyPolicy == ConcurrencyPolicy.Forbid)
        {
            RecordSkipped(job, instant, now, $"Skipped: the previous run of job {job.JobId} was still running (concurrencyPolicy FORBID).");
            return false;
        }

        CancelActiveRuns(job.JobId, now, $"Replaced by the run of {instant:yyyy-MM-ddTHH:mm:ss.fffZ} (concurrencyPolicy REPLACE).");
        return true;
    }

    private void CancelActiveRuns(string jobId, DateTimeOffset now, string reason)
    {
        foreach (var running in _inFlight.Values.Where(r => r.Attempt.JobId == jobId))
        {
            GrainFactory.GetGrain<IExecutionWorkerGrain>(0).Cancel(running.Attempt.ExecutionId, reason).Ignore();
        }

        foreach (var (waiting, _) in _pending.UnorderedItems.Where(item => item.Element.JobId == jobId))
        {
            if (_cancelledPending.Add(waiting.ExecutionId))
            {
                _history.SaveAsync(Record(waiting, ExecutionStatus.Cancelled, now, reason)).AsTask().Ignore();
                NotifyWatchers(waiting, ExecutionStatus.Cancelled, reason);
            }
        }
    }

    private void RecordSkipped(ShardJob job, DateTimeOffset instant, DateTimeOffset now, string reason)
    {
        var attempt = CreateScheduledAttempt(job, instant, now);
        _history.SaveAsync(Record(attempt, ExecutionStatus.Skipped, now, reason)).AsTask().Ignore();
        LogSkipped(_logger, job.JobId, instant, _shard);
        _metrics.RecordExecution(ExecutionStatus.Skipped, ExecutionTrigger.Schedule);
        if (job.Webhook is { } webhook)
        {
            _events.Publish(new ExecutionEvent(
                WebhookEventType.Skipped, job.JobId, job.UserId, attempt.ExecutionId, instant, 1,
                ExecutionStatus.Skipped, null, reason, JobIds.ScheduledKey(job.JobId, instant), now, webhook));
        }
    }

    /// <summary>An attempt waiting for capacity or for its catch-up slot, or null.</summary>
    private AttemptRequest? FindWaiting(string executionId) =>
        _pending.UnorderedItems.Select(item => item.Element).FirstOrDefault(a => a.ExecutionId == executionId && !_cancelledPending.Contains(a.ExecutionId))
        ?? _catchUps.UnorderedItems.Select(item => item.Element).FirstOrDefault(a => a.ExecutionId == executionId && !_cancelledPending.Contains(a.ExecutionId));
}
