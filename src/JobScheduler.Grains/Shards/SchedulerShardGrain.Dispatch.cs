using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Dispatch: due attempts wait in a priority queue (high priority first, then earlier instants) until the
/// shard has fewer than <c>MaxInFlightPerShard</c> attempts in flight. Each dispatched attempt holds a lease,
/// kept in memory and as a due-index entry: the executor's heartbeats renew it and the outcome message
/// releases it. A lease that lapses (the worker hung or its silo died) means the attempt was lost: it is
/// recorded FAILED and handed to the job grain for a retry under the same idempotency key. A slow attempt
/// whose heartbeats arrive keeps its lease and is never dispatched twice.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    private readonly PriorityQueue<AttemptRequest, (int Priority, long DueMs, long Sequence)> _pending = new();
    private readonly Dictionary<string, InFlightAttempt> _inFlight = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _deadlines = new();
    private readonly HashSet<string> _recentOutcomes = new(StringComparer.Ordinal);
    private readonly Queue<(string ExecutionId, DateTimeOffset At)> _recentOutcomeOrder = new();
    private readonly HashSet<string> _cancelledPending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _activeByJob = new(StringComparer.Ordinal);
    private long _sequence;

    public async Task DispatchNow(AttemptRequest attempt)
    {
        await WriteForCallAsync(_dueIndex.UpsertRetryAsync(_shard, _epoch, new RetryEntry(attempt, _time.GetUtcNow())));
        Enqueue(attempt);
        DispatchPending();
        UpdateNextTick();
    }

    public Task ReportOutcome(AttemptOutcome outcome) => ReportOutcomes([outcome]);

    public Task ReportOutcomes(IReadOnlyList<AttemptOutcome> outcomes)
    {
        var released = false;
        foreach (var outcome in outcomes)
        {
            if (_inFlight.Remove(outcome.ExecutionId, out var finished))
            {
                RememberOutcome(outcome.ExecutionId);
                Release(finished.Attempt);
                _writes.Add(_dueIndex.RemoveRetryAsync(_shard, _epoch, outcome.ExecutionId).AsTask());
                ReportFailure(finished.Attempt, outcome);
                NotifyWatchers(finished.Attempt, outcome.Status, outcome.Error);
                released = true;
            }
        }

        if (released)
        {
            DispatchPending();
            UpdateNextTick();
        }

        return Task.CompletedTask;
    }

    public Task Heartbeat(IReadOnlyList<string> executionIds)
    {
        var deadline = _time.GetUtcNow() + _execution.LeaseDuration;
        foreach (var executionId in executionIds)
        {
            if (_inFlight.TryGetValue(executionId, out var running))
            {
                running.Deadline = deadline;
                _deadlines.Enqueue(executionId, deadline);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Queues an attempt for dispatch and writes it to the due-index as due now, ahead of any write that moves its
    /// job past the instant. An attempt waiting for capacity, or for an epoch check, then survives its silo: the
    /// next activation loads the row and dispatches it. The lease written at dispatch replaces the row.
    /// </summary>
    private void EnqueueDurably(AttemptRequest attempt, DateTimeOffset now)
    {
        _writes.Add(_dueIndex.UpsertRetryAsync(_shard, _epoch, new RetryEntry(attempt, now)).AsTask());
        Enqueue(attempt);
    }

    private void Enqueue(AttemptRequest attempt)
    {
        _activeByJob[attempt.JobId] = _activeByJob.GetValueOrDefault(attempt.JobId) + 1;
        _pending.Enqueue(attempt, ((int)attempt.Priority, attempt.ScheduledAt.ToUnixTimeMilliseconds(), _sequence++));
    }

    /// <summary>
    /// Remembers for one lease duration that an attempt ended, so a horizon load that reads its lease row before
    /// the row's delete commits does not adopt the lease, let it lapse and retry an attempt that finished.
    /// </summary>
    private void RememberOutcome(string executionId)
    {
        var now = _time.GetUtcNow();
        while (_recentOutcomeOrder.TryPeek(out var oldest) && now - oldest.At > _execution.LeaseDuration)
        {
            _recentOutcomes.Remove(_recentOutcomeOrder.Dequeue().ExecutionId);
        }

        if (_recentOutcomes.Add(executionId))
        {
            _recentOutcomeOrder.Enqueue((executionId, now));
        }
    }

    /// <summary>Counts an attempt of a job as ended, for the overlap policies.</summary>
    private void Release(AttemptRequest attempt)
    {
        var active = _activeByJob.GetValueOrDefault(attempt.JobId) - 1;
        if (active > 0)
        {
            _activeByJob[attempt.JobId] = active;
        }
        else
        {
            _activeByJob.Remove(attempt.JobId);
        }
    }

    private void DispatchPending()
    {
        var now = _time.GetUtcNow();
        if (HoldDispatchAfterStall(now))
        {
            return;
        }

        var room = _options.MaxInFlightPerShard - _inFlight.Count;
        if (room <= 0 || _pending.Count == 0)
        {
            return;
        }

        var deadline = now + _execution.LeaseDuration;
        var batch = new List<AttemptRequest>(Math.Min(room, _pending.Count));
        while (batch.Count < room && _pending.TryDequeue(out var attempt, out _))
        {
            if (_cancelledPending.Remove(attempt.ExecutionId))
            {
                Release(attempt);
                _writes.Add(_dueIndex.RemoveRetryAsync(_shard, _epoch, attempt.ExecutionId).AsTask());
                continue;
            }

            var dispatched = attempt with { DispatchedAt = now };
            _inFlight[attempt.ExecutionId] = new InFlightAttempt(dispatched, deadline);
            _deadlines.Enqueue(attempt.ExecutionId, deadline);
            _writes.Add(_dueIndex.UpsertRetryAsync(_shard, _epoch, new RetryEntry(dispatched, deadline, IsLease: true)).AsTask());
            batch.Add(dispatched);
        }

        // A stateless worker is always activated on this silo, so the hand-off is a local message.
        if (batch.Count == 0)
        {
            return;
        }

        var worker = GrainFactory.GetGrain<IExecutionWorkerGrain>(0);
        if (now < _handOffAfterCommitUntil)
        {
            HandOffAfterCommitAsync(worker, batch, Task.WhenAll(_writes.ToList())).Ignore();
        }
        else
        {
            worker.Execute(batch).Ignore();
        }
    }

    /// <summary>Takes over the lease of an attempt dispatched by an earlier activation of this shard.</summary>
    private void AdoptLease(AttemptRequest attempt, DateTimeOffset deadline)
    {
        if (_inFlight.ContainsKey(attempt.ExecutionId) || _recentOutcomes.Contains(attempt.ExecutionId))
        {
            // A lease row read after its outcome arrived but before the row's delete committed is stale.
            return;
        }

        if (_migratedIn)
        {
            // The migrated activation carried every live lease. This row outlived an outcome that reached the old
            // activation just before the move, so adopting it would retry an attempt that already ended.
            _writes.Add(_dueIndex.RemoveRetryAsync(_shard, _epoch, attempt.ExecutionId).AsTask());
            return;
        }

        TrackLease(attempt, deadline);
    }

    /// <summary>Counts an attempt as in flight until its outcome arrives or its lease lapses at <paramref name="deadline"/>.</summary>
    private void TrackLease(AttemptRequest attempt, DateTimeOffset deadline)
    {
        _activeByJob[attempt.JobId] = _activeByJob.GetValueOrDefault(attempt.JobId) + 1;
        _inFlight[attempt.ExecutionId] = new InFlightAttempt(attempt, deadline);
        _deadlines.Enqueue(attempt.ExecutionId, deadline);
    }

    private static ExecutionInfo Record(AttemptRequest attempt, ExecutionStatus status, DateTimeOffset finishedAt, string? error) => new()
    {
        ExecutionId = attempt.ExecutionId,
        JobId = attempt.JobId,
        UserId = attempt.UserId,
        Status = status,
        Trigger = attempt.Trigger,
        ScheduledAt = attempt.ScheduledAt,
        FinishedAt = finishedAt,
        AttemptNumber = attempt.AttemptNumber,
        IdempotencyKey = attempt.IdempotencyKey,
        Error = error,
    };

    private sealed class InFlightAttempt(AttemptRequest attempt, DateTimeOffset deadline)
    {
        public AttemptRequest Attempt { get; } = attempt;

        public DateTimeOffset Deadline { get; set; } = deadline;
    }
}
