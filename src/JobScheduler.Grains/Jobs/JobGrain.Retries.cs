using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Ids;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Jobs;

/// <summary>
/// Retries and dead letters. A failed attempt n is retried after <c>retryInterval * 2^(n-1)</c> seconds with
/// jitter, capped at <c>maxRetryInterval</c>, under the same idempotency key; after <c>maxRetries</c> retries
/// the execution is dead-lettered. A worker lost mid-attempt counts as a failed attempt.
/// </summary>
public sealed partial class JobGrain
{
    /// <summary>Failed executions remembered per activation, so a repeated report schedules no second retry.</summary>
    private const int RememberedFailures = 256;

    private readonly HashSet<string> _handledFailures = new(StringComparer.Ordinal);
    private readonly Queue<string> _handledFailureOrder = new();

    public async Task OnAttemptFailed(AttemptRequest attempt, AttemptOutcome outcome)
    {
        if (!Exists || _state.State.Status == "DELETED")
        {
            return;
        }

        // Two activations of a shard can both report one execution while the shard moves between silos.
        if (!RememberFailure(attempt.ExecutionId))
        {
            LogRepeatedFailureIgnored(_logger, JobId, attempt.ExecutionId);
            return;
        }

        var definition = _state.State.Definition!;
        var now = _time.GetUtcNow();
        var failedAt = outcome.FinishedAt == default ? now : outcome.FinishedAt;
        if (attempt.AttemptNumber > definition.MaxRetries)
        {
            await DeadLetterAsync(attempt, outcome, failedAt, now);
            return;
        }

        var delay = RetryBackoff.GetDelay(
            attempt.AttemptNumber,
            TimeSpan.FromSeconds(definition.RetryInterval),
            TimeSpan.FromSeconds(definition.MaxRetryInterval),
            definition.Jitter,
            Random.Shared.NextDouble());
        var retry = attempt with
        {
            ExecutionId = JobIds.RetryExecutionId(JobId, attempt.ExecutionId, failedAt),
            AttemptNumber = attempt.AttemptNumber + 1,
        };

        // A report repeated to a new activation (this grain's silo died mid-call) derives the same retry id. A retry
        // that already started is not scheduled again. One still pending is scheduled again under its id, so the shard keeps one.
        if (await _history.GetAsync(retry.ExecutionId) is { Status: not ExecutionStatus.Pending })
        {
            LogRepeatedFailureIgnored(_logger, JobId, attempt.ExecutionId);
            return;
        }

        // Scheduled first, so a PENDING row in the history means the retry is durably due. A fast retry
        // cannot be overwritten by this row: a store never lowers RUNNING or a final status to PENDING.
        await ShardOf(JobId).ScheduleRetry(retry, now + delay);
        await _history.SaveAsync(ToPendingRecord(retry));
        _metrics.RecordRetryScheduled();
        LogRetryScheduled(_logger, JobId, attempt.ExecutionId, retry.AttemptNumber, now + delay, outcome.Status);
        Publish(WebhookEventType.Retrying, attempt, outcome, now);
    }

    private async Task DeadLetterAsync(AttemptRequest attempt, AttemptOutcome outcome, DateTimeOffset failedAt, DateTimeOffset now)
    {
        var deadLetter = new DeadLetterInfo
        {
            // Derived from the failure, so a repeated report writes the same dead letter again.
            DeadLetterId = JobIds.DeadLetterIdOf(JobId, attempt.ExecutionId, failedAt),
            JobId = JobId,
            UserId = attempt.UserId,
            ExecutionId = attempt.ExecutionId,
            IdempotencyKey = attempt.IdempotencyKey,
            ScheduledAt = attempt.ScheduledAt,
            Attempts = attempt.AttemptNumber,
            LastError = outcome.Error,
            Trigger = attempt.Trigger,
            DeadLetteredAt = now,
            Chain = attempt.Chain,
        };
        await _deadLetters.AddAsync(deadLetter);
        _metrics.RecordDeadLetter();
        LogDeadLettered(_logger, JobId, attempt.ExecutionId, deadLetter.DeadLetterId, attempt.AttemptNumber);
        Publish(WebhookEventType.DeadLettered, attempt, outcome, now);
    }

    private void Publish(WebhookEventType type, AttemptRequest attempt, AttemptOutcome outcome, DateTimeOffset now)
    {
        if (attempt.Webhook is { } webhook)
        {
            _events.Publish(new ExecutionEvent(
                type, JobId, attempt.UserId, attempt.ExecutionId, attempt.ScheduledAt, attempt.AttemptNumber,
                outcome.Status, null, outcome.Error, attempt.IdempotencyKey, now, webhook, attempt.TraceParent));
        }
    }

    private static ExecutionInfo ToPendingRecord(AttemptRequest attempt) => new()
    {
        ExecutionId = attempt.ExecutionId,
        JobId = attempt.JobId,
        UserId = attempt.UserId,
        Status = ExecutionStatus.Pending,
        Trigger = attempt.Trigger,
        ScheduledAt = attempt.ScheduledAt,
        AttemptNumber = attempt.AttemptNumber,
        IdempotencyKey = attempt.IdempotencyKey,
    };

    /// <summary>Returns false when this execution's failure was already handled by this activation.</summary>
    private bool RememberFailure(string executionId)
    {
        if (!_handledFailures.Add(executionId))
        {
            return false;
        }

        _handledFailureOrder.Enqueue(executionId);
        if (_handledFailureOrder.Count > RememberedFailures)
        {
            _handledFailures.Remove(_handledFailureOrder.Dequeue());
        }

        return true;
    }
}
