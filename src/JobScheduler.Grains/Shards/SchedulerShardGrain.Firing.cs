using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Ids;

namespace JobScheduler.Grains.Shards;

/// <summary>Firing: turning a due wheel entry into an attempt and scheduling the job's next instant.</summary>
public sealed partial class SchedulerShardGrain
{
    private async Task FireAsync(WheelEntry entry, DateTimeOffset now)
    {
        // An entry is stale when the job was replaced, removed or already moved past this instant.
        if (!_loaded.TryGetValue(entry.JobId, out var loaded)
            || loaded.Job.Version != entry.Version
            || loaded.Job.NextDue != entry.Due)
        {
            return;
        }

        var job = loaded.Job;
        Enqueue(CreateScheduledAttempt(job, now));

        var next = NextInstant(loaded, now);
        var fired = job.FiredCount + 1;
        var exhausted = next is null
            || (job.EndAt is { } endAt && next > endAt)
            || (job.MaxExecutions is { } max && fired >= max);

        if (exhausted)
        {
            _loaded.Remove(job.JobId);
            await _dueIndex.RemoveAsync(_shard, job.JobId, job.Version);
            GrainFactory.GetGrain<IJobGrain>(job.JobId).OnScheduleExhausted(job.Version).Ignore();
            return;
        }

        var moved = job with { NextDue = next!.Value, FiredCount = fired };
        loaded.Job = moved;
        await _dueIndex.UpsertAsync(_shard, moved);
        if (moved.NextDue < _loadedUntil)
        {
            _wheel.Add(new WheelEntry(moved.JobId, moved.Version, moved.NextDue), moved.NextDue);
        }
        else
        {
            _loaded.Remove(moved.JobId);
        }
    }

    /// <summary>
    /// The instant after the one just fired. When that instant is already more than the job's misfire
    /// threshold behind (the cluster was down), the missed instants are not replayed: the schedule
    /// resumes at its first instant after now.
    /// </summary>
    private static DateTimeOffset? NextInstant(LoadedJob loaded, DateTimeOffset now)
    {
        var next = loaded.Schedule.GetNextOccurrence(loaded.Job.NextDue);
        var threshold = TimeSpan.FromSeconds(loaded.Job.MisfireThreshold);
        if (next is { } candidate && now - candidate > threshold)
        {
            // NOTE: this is the FIRE_ONCE behaviour keyed at the first missed instant; the per-job
            // misfire policies (SKIP, FIRE_ONCE at the latest missed instant, FIRE_ALL) are not built yet.
            next = loaded.Schedule.GetNextOccurrence(now);
        }

        return next;
    }

    private AttemptRequest CreateScheduledAttempt(ShardJob job, DateTimeOffset now) => new()
    {
        ExecutionId = JobIds.NewExecutionId(job.JobId, now),
        JobId = job.JobId,
        UserId = job.UserId,
        Shard = _shard,
        ScheduledAt = job.NextDue,
        AttemptNumber = 1,
        Trigger = ExecutionTrigger.Schedule,
        IdempotencyKey = JobIds.ScheduledKey(job.JobId, job.NextDue),
        Target = job.Target,
        Payload = job.Payload,
        Priority = job.Priority,
    };
}
