using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Dispatch: due attempts wait in a priority queue (high priority first, then earlier instants) until
/// the shard has fewer than <c>MaxInFlightPerShard</c> attempts in flight. Each dispatched attempt holds a
/// deadline; its outcome message releases it, and a deadline that passes first means the attempt was lost.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly PriorityQueue<AttemptRequest, (int Priority, long DueMs, long Sequence)> _pending = new();
    private readonly Dictionary<string, InFlightAttempt> _inFlight = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _deadlines = new();
    private long _sequence;

    public Task DispatchNow(AttemptRequest attempt)
    {
        Enqueue(attempt);
        DispatchPending();
        UpdateNextTick();
        return Task.CompletedTask;
    }

    public Task ReportOutcome(AttemptOutcome outcome)
    {
        if (_inFlight.Remove(outcome.ExecutionId, out var finished))
        {
            ReportFailure(finished.Attempt, outcome);
            DispatchPending();
            UpdateNextTick();
        }

        return Task.CompletedTask;
    }

    private void Enqueue(AttemptRequest attempt) =>
        _pending.Enqueue(attempt, ((int)attempt.Priority, attempt.ScheduledAt.ToUnixTimeMilliseconds(), _sequence++));

    private void DispatchPending()
    {
        var room = _options.MaxInFlightPerShard - _inFlight.Count;
        if (room <= 0 || _pending.Count == 0)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var batch = new List<AttemptRequest>(Math.Min(room, _pending.Count));
        while (batch.Count < room && _pending.TryDequeue(out var attempt, out _))
        {
            var timeout = attempt.Target.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultTimeout;
            var deadline = now + timeout + _options.LostAttemptGrace;
            _inFlight[attempt.ExecutionId] = new InFlightAttempt(attempt, deadline);
            _deadlines.Enqueue(attempt.ExecutionId, deadline);
            batch.Add(attempt);
        }

        // A stateless worker is always activated on this silo, so the hand-off is a local message.
        GrainFactory.GetGrain<IExecutionWorkerGrain>(0).Execute(batch).Ignore();
    }

    /// <summary>Records attempts whose deadline passed without an outcome as failed: their worker was lost.</summary>
    private void ExpireLostAttempts(DateTimeOffset now)
    {
        while (_deadlines.TryPeek(out var executionId, out var deadline) && deadline <= now)
        {
            _deadlines.Dequeue();
            if (!_inFlight.Remove(executionId, out var lost))
            {
                continue;
            }

            LogAttemptLost(_logger, lost.Attempt.JobId, executionId, lost.Attempt.AttemptNumber, _shard);
            var record = new ExecutionInfo
            {
                ExecutionId = executionId,
                JobId = lost.Attempt.JobId,
                UserId = lost.Attempt.UserId,
                Status = ExecutionStatus.Failed,
                Trigger = lost.Attempt.Trigger,
                ScheduledAt = lost.Attempt.ScheduledAt,
                FinishedAt = now,
                AttemptNumber = lost.Attempt.AttemptNumber,
                IdempotencyKey = lost.Attempt.IdempotencyKey,
                Error = "The worker running this attempt was lost before it reported an outcome.",
            };
            _history.SaveAsync(record).AsTask().Ignore();
            ReportFailure(lost.Attempt, new AttemptOutcome(executionId, lost.Attempt.JobId, ExecutionStatus.Failed, record.Error));
        }
    }

    private readonly record struct InFlightAttempt(AttemptRequest Attempt, DateTimeOffset Deadline);
}
