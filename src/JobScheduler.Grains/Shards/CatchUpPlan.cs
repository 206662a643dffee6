using JobScheduler.Abstractions.Jobs;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Shards;

/// <summary>
/// What to do with a job whose next instant is overdue. An instant is missed when it is more than the
/// misfire threshold behind now (the cluster could not dispatch it in time); instants within the threshold
/// are only late and run normally. <see cref="CatchUp"/> lists the missed instants to run, and
/// <see cref="ResumeAt"/> is the first instant that is not missed (it may be late, or in the future).
/// </summary>
internal sealed record CatchUpPlan(IReadOnlyList<DateTimeOffset> CatchUp, int MissedCount, DateTimeOffset? ResumeAt)
{
    /// <summary>Instants walked before the planner jumps ahead, so a years-long outage cannot spin.</summary>
    internal const int MaxWalk = 100_000;

    /// <summary>
    /// Plans the catch-up of a schedule whose next instant is <paramref name="due"/>, at <paramref name="now"/>.
    /// FIRE_ALL keeps at most <paramref name="maxCatchUp"/> missed instants, the earliest ones.
    /// </summary>
    public static CatchUpPlan Create(
        Schedule schedule, DateTimeOffset due, DateTimeOffset now, TimeSpan threshold, MisfirePolicy policy, int maxCatchUp)
    {
        var cutoff = now - threshold;
        if (due >= cutoff)
        {
            return new CatchUpPlan([], 0, due);
        }

        var catchUp = new List<DateTimeOffset>();
        DateTimeOffset? latest = null;
        var missed = 0;
        DateTimeOffset? instant = due;
        while (instant is { } current && current < cutoff)
        {
            missed++;
            latest = current;
            if (policy == MisfirePolicy.FireAll && catchUp.Count < maxCatchUp)
            {
                catchUp.Add(current);
            }

            // NOTE: past MaxWalk missed instants the count stops being exact and FIRE_ONCE is keyed at
            // the last instant walked rather than the latest missed one.
            instant = missed >= MaxWalk ? schedule.GetNextOccurrence(cutoff.AddTicks(-1)) : schedule.GetNextOccurrence(current);
            if (missed >= MaxWalk)
            {
                break;
            }
        }

        if (policy == MisfirePolicy.FireOnce && latest is { } last)
        {
            catchUp.Add(last);
        }

        return new CatchUpPlan(catchUp, missed, instant);
    }
}
