using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Firing: turning a due wheel entry into attempts and moving the job to its next instant. The attempt is
/// written to the due-index before the job's row moves on, so a crash in between fires the instant again (at
/// least once) rather than losing it.
/// </summary>
public sealed partial class SchedulerShardGrain
{
    private readonly PriorityQueue<AttemptRequest, DateTimeOffset> _catchUps = new();
    private readonly List<Task> _writes = [];

    private void Fire(WheelEntry entry, DateTimeOffset now)
    {
        // An entry is stale when the job was replaced, removed or already moved past this instant.
        if (!_loaded.TryGetValue(entry.JobId, out var loaded)
            || loaded.Job.Version != entry.Version
            || loaded.Job.NextDue != entry.Due)
        {
            return;
        }

        var job = loaded.Job;
        var threshold = TimeSpan.FromSeconds(job.MisfireThreshold);

        // Lateness counts from the jittered start, so a start delayed by jitter is never a misfire.
        var jitter = StartJitter.Offset(job.JobId, job.NextDue, job.JitterSeconds);
        var plan = CatchUpPlan.Create(loaded.Schedule, job.NextDue, now - jitter, threshold, job.MisfirePolicy, _options.MaxCatchUpRuns);
        var fired = job.FiredCount;
        DateTimeOffset? next;
        if (plan.MissedCount == 0)
        {
            if (ApplyConcurrencyPolicy(job, job.NextDue, now))
            {
                EnqueueDurably(CreateScheduledAttempt(job, job.NextDue, now), now);
            }

            fired++;
            next = loaded.Schedule.GetNextOccurrence(job.NextDue);
        }
        else
        {
            fired += QueueCatchUp(job, plan, now);
            next = plan.ResumeAt;
        }

        MoveToNext(loaded, next, fired);
    }

    /// <summary>Puts the job's next instant into the wheel at its start: the nominal instant plus its jitter offset.</summary>
    private void AddToWheel(ShardJob job)
    {
        var start = job.NextDue + StartJitter.Offset(job.JobId, job.NextDue, job.JitterSeconds);
        _wheel.Add(new WheelEntry(job.JobId, job.Version, job.NextDue), start);
    }

    /// <summary>Queues the plan's catch-up runs, spaced out; returns how many were queued.</summary>
    private int QueueCatchUp(ShardJob job, CatchUpPlan plan, DateTimeOffset now)
    {
        LogMisfired(_logger, job.JobId, _shard, plan.MissedCount, job.MisfirePolicy, plan.CatchUp.Count, plan.ResumeAt);
        var releaseAt = now;
        foreach (var instant in plan.CatchUp)
        {
            // Written as due now: a failover before the release runs the catch-up at once rather than losing it.
            var attempt = CreateScheduledAttempt(job, instant, now);
            _writes.Add(_dueIndex.UpsertRetryAsync(_shard, _epoch, new RetryEntry(attempt, now)).AsTask());
            _catchUps.Enqueue(attempt, releaseAt);
            releaseAt += _options.CatchUpSpacing;
        }

        return plan.CatchUp.Count;
    }

    private void MoveToNext(LoadedJob loaded, DateTimeOffset? next, int fired)
    {
        var job = loaded.Job;
        var exhausted = next is null
            || (job.EndAt is { } endAt && next > endAt)
            || (job.MaxExecutions is { } max && fired >= max);
        if (exhausted)
        {
            _loaded.Remove(job.JobId);
            RememberDeparture(job.JobId, job.Version);
            Exhaust(job with { FiredCount = fired });
            return;
        }

        var moved = job with { NextDue = next!.Value, FiredCount = fired };
        loaded.Job = moved;
        _writes.Add(_dueIndex.UpsertAsync(_shard, _epoch, moved).AsTask());
        if (moved.NextDue < _loadedUntil)
        {
            AddToWheel(moved);
        }
        else
        {
            _loaded.Remove(moved.JobId);
            RememberDeparture(moved.JobId, moved.Version);
        }
    }

    /// <summary>Moves catch-up runs whose release time has come to the dispatch queue.</summary>
    private void ReleaseCatchUps(DateTimeOffset now)
    {
        while (_catchUps.TryPeek(out _, out var releaseAt) && releaseAt <= now)
        {
            Enqueue(_catchUps.Dequeue());
        }
    }

    /// <summary>
    /// Waits for the due-index writes of this tick. A fenced write means a newer activation of this shard
    /// exists elsewhere (this silo was declared dead and came back), so this activation stops at once.
    /// </summary>
    private async Task FlushWritesAsync()
    {
        if (_writes.Count == 0)
        {
            return;
        }

        var writes = Task.WhenAll(_writes);
        _writes.Clear();
        try
        {
            await writes;
        }
        catch (ShardFencedException)
        {
            StopFenced();
        }
        catch (Exception exception)
        {
            // The rows keep their earlier instants, so those instants fire again after a reload.
            LogDueIndexWriteFailed(_logger, exception, _shard);
        }
    }

    /// <summary>
    /// Awaits a due-index write that a grain call made. A fenced write stops this activation and throws
    /// <see cref="ShardMovedException"/>, so the caller repeats the call and reaches the newer activation.
    /// </summary>
    private async Task WriteForCallAsync(ValueTask write)
    {
        try
        {
            await write;
        }
        catch (ShardFencedException)
        {
            StopFenced();
            throw new ShardMovedException(_shard);
        }
    }

    /// <summary>Stops a fenced activation: it fires and dispatches nothing more and deactivates.</summary>
    private void StopFenced()
    {
        LogFenced(_logger, _shard, _epoch);
        _registration?.Dispose();
        _registration = null;
        _pending.Clear();
        _catchUps.Clear();
        DeactivateOnIdle();
    }

    private AttemptRequest CreateScheduledAttempt(ShardJob job, DateTimeOffset instant, DateTimeOffset now) => new()
    {
        ExecutionId = JobIds.NewExecutionId(job.JobId, now),
        JobId = job.JobId,
        UserId = job.UserId,
        Shard = _shard,
        ScheduledAt = instant,
        AttemptNumber = 1,
        Trigger = ExecutionTrigger.Schedule,
        IdempotencyKey = JobIds.ScheduledKey(job.JobId, instant),
        Target = job.Target,
        Payload = job.Payload,
        Priority = job.Priority,
        Webhook = job.Webhook,
        TraceParent = job.TraceParent,
    };
}
