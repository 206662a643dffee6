using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// Duplicate suppression after a failover, in two places.
/// <list type="bullet">
/// <item>A fire dispatches the attempt before the due-index row moves on, so when a silo dies in between, the
/// next activation finds the row still at the instant that already ran. Overdue rows are therefore checked
/// against the history: an instant with a first scheduled attempt on record is skipped, not fired twice.
/// (When even the attempt's first record was lost, the instant runs again: delivery is at least once, and
/// the idempotency key lets the target drop it.)</item>
/// <item>A job grain sends each version of its job once, but its call to a shard on a dead silo is retried
/// and can reach the next activation after that activation loaded the version from the due-index, and
/// perhaps fired it. Applying the call again would put the instant in the wheel twice, or move the row back
/// to an instant that already ran, so a version the activation has seen is not applied again.</item>
/// </list>
/// </summary>
public sealed partial class SchedulerShardGrain
{
    /// <summary>Rounds of checks, so a job that ran several instants before its row was updated is caught up.</summary>
    private const int MaxDuplicateRounds = 10;

    /// <summary>How long a version that left the wheel is remembered, far longer than the few seconds a call's dead-silo retries take.</summary>
    private static readonly TimeSpan DepartureMemory = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, (long Version, DateTimeOffset At)> _departed = new(StringComparer.Ordinal);
    private readonly Queue<(string JobId, DateTimeOffset At)> _departureOrder = new();

    /// <summary>True when this activation already has <paramref name="job"/>'s version, or a later one.</summary>
    private bool IsRepeatedUpsert(ShardJob job) =>
        (_loaded.TryGetValue(job.JobId, out var current) && current.Job.Version >= job.Version)
        || (_departed.TryGetValue(job.JobId, out var departed) && departed.Version >= job.Version);

    /// <summary>Remembers the version of a job that left the wheel: exhausted, removed, or moved past the horizon.</summary>
    private void RememberDeparture(string jobId, long version)
    {
        var now = _time.GetUtcNow();
        while (_departureOrder.TryPeek(out var oldest) && now - oldest.At > DepartureMemory)
        {
            _departureOrder.Dequeue();
            if (_departed.TryGetValue(oldest.JobId, out var entry) && entry.At == oldest.At)
            {
                _departed.Remove(oldest.JobId);
            }
        }

        if (_departed.TryGetValue(jobId, out var known) && known.Version > version)
        {
            version = known.Version;
        }

        _departed[jobId] = (version, now);
        _departureOrder.Enqueue((jobId, now));
    }

    private async Task<IReadOnlyList<ShardJob>> SkipInstantsAlreadyRunAsync(
        IReadOnlyList<ShardJob> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jobs = rows.ToDictionary(job => job.JobId, StringComparer.Ordinal);
        for (var round = 0; round < MaxDuplicateRounds; round++)
        {
            var overdue = jobs.Values.Where(job => job.NextDue <= now).ToList();
            if (overdue.Count == 0)
            {
                break;
            }

            var ran = await _history.FindScheduledKeysAsync(overdue.Select(j => JobIds.ScheduledKey(j.JobId, j.NextDue)).ToList(), cancellationToken);
            if (ran.Count == 0)
            {
                break;
            }

            foreach (var job in overdue.Where(j => ran.Contains(JobIds.ScheduledKey(j.JobId, j.NextDue))))
            {
                LogDuplicateSuppressed(_logger, job.JobId, job.NextDue, _shard);
                SkipInstant(jobs, job);
            }
        }

        return jobs.Values.OrderBy(job => job.NextDue).ToList();
    }

    /// <summary>Moves a job past an instant that already ran, or drops it when its schedule has no further instant.</summary>
    private void SkipInstant(Dictionary<string, ShardJob> jobs, ShardJob job)
    {
        var type = job.Type == JobType.OneTime ? "ONE_TIME" : "RECURRING";
        DateTimeOffset? next = ScheduleParser.TryParse(type, job.ScheduleExpression, job.TimeZone, job.Anchor, out var schedule, out _)
            ? schedule.GetNextOccurrence(job.NextDue)
            : null;
        var fired = job.FiredCount + 1;
        if (next is null || (job.EndAt is { } end && next > end) || (job.MaxExecutions is { } max && fired >= max))
        {
            jobs.Remove(job.JobId);
            Exhaust(job with { FiredCount = fired });
            return;
        }

        var moved = job with { NextDue = next.Value, FiredCount = fired };
        jobs[job.JobId] = moved;
        _writes.Add(_dueIndex.UpsertAsync(_shard, _epoch, moved).AsTask());
    }
}
