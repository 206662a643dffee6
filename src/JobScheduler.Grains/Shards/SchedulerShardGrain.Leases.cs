using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Lapsed leases. A lease lapses when neither a heartbeat nor the outcome reached this activation in time. Mostly
/// the attempt's silo died, but the outcome can also have gone to another activation of this shard (two overlap
/// briefly while shards move) or been lost with a one-way message. The executor records the final status before
/// it reports the outcome, so the history decides: an attempt with a final record ends as recorded, and one
/// without is lost and handed over for a retry.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    private const string LostError = "The worker running this attempt was lost: its lease lapsed without a heartbeat or an outcome.";

    private bool _settlingLapsed;

    /// <summary>Takes the attempts whose lease lapsed out of flight and settles them against the history.</summary>
    private void ExpireLostAttempts(DateTimeOffset now)
    {
        if (_settlingLapsed || HoldLeaseExpiryAfterStall(now))
        {
            return;
        }

        var lapsed = new List<AttemptRequest>();
        while (_deadlines.TryPeek(out var executionId, out var deadline) && deadline <= now)
        {
            _deadlines.Dequeue();
            if (_inFlight.TryGetValue(executionId, out var running) && running.Deadline <= now)
            {
                _inFlight.Remove(executionId);
                lapsed.Add(running.Attempt);
            }
        }

        if (lapsed.Count > 0)
        {
            _settlingLapsed = true;
            SettleLapsedAsync(lapsed, now).Ignore();
        }
    }

    private async Task SettleLapsedAsync(List<AttemptRequest> lapsed, DateTimeOffset now)
    {
        ExecutionInfo?[] records;
        try
        {
            records = await Task.WhenAll(lapsed.Select(attempt => _history.GetAsync(attempt.ExecutionId).AsTask()));
        }
        catch (Exception exception)
        {
            // Without the history every lapsed attempt counts as lost: at least once, never silently dropped.
            LogLapsedHistoryReadFailed(_logger, exception, _shard, lapsed.Count);
            records = new ExecutionInfo?[lapsed.Count];
        }
        finally
        {
            _settlingLapsed = false;
        }

        for (var i = 0; i < lapsed.Count; i++)
        {
            Settle(lapsed[i], records[i], now);
        }

        DispatchPending();
        UpdateNextTick();
    }

    /// <summary>Ends a lapsed attempt with its recorded final status, or as lost when it has none.</summary>
    private void Settle(AttemptRequest attempt, ExecutionInfo? record, DateTimeOffset now)
    {
        Release(attempt);
        RememberOutcome(attempt.ExecutionId);
        _writes.Add(_dueIndex.RemoveRetryAsync(_shard, _epoch, attempt.ExecutionId).AsTask());
        if (record is { Status: not (ExecutionStatus.Pending or ExecutionStatus.Running) })
        {
            LogLapsedLeaseFinished(_logger, attempt.JobId, attempt.ExecutionId, record.Status, _shard);
            ReportFailure(attempt, new AttemptOutcome(attempt.ExecutionId, attempt.JobId, record.Status, record.Error, record.FinishedAt ?? now));
            NotifyWatchers(attempt, record.Status, record.Error);
            return;
        }

        LogAttemptLost(_logger, attempt.JobId, attempt.ExecutionId, attempt.AttemptNumber, _shard);
        _metrics.RecordLostExecution(attempt.Trigger);
        _history.SaveAsync(Record(attempt, ExecutionStatus.Failed, now, LostError)).AsTask().Ignore();
        ReportFailure(attempt, new AttemptOutcome(attempt.ExecutionId, attempt.JobId, ExecutionStatus.Failed, LostError, now));
        NotifyWatchers(attempt, ExecutionStatus.Failed, LostError);
    }

    [LoggerMessage(EventId = 1026, Level = LogLevel.Information,
        Message = "Execution {ExecutionId} (job {JobId}) in shard {Shard} lost its lease, but the history has it {Status}; its outcome went elsewhere and it is not retried as lost")]
    private static partial void LogLapsedLeaseFinished(ILogger logger, string jobId, string executionId, ExecutionStatus status, int shard);

    [LoggerMessage(EventId = 1027, Level = LogLevel.Warning,
        Message = "Shard {Shard} could not read the history of {Count} attempts whose lease lapsed; they are recorded lost")]
    private static partial void LogLapsedHistoryReadFailed(ILogger logger, Exception exception, int shard, int count);
}
