using JobScheduler.Abstractions.Jobs;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Jobs;

/// <summary>The next instant of a job whose schedule changed or that was resumed.</summary>
internal static class ScheduleChange
{
    /// <summary>
    /// Returns the first instant of <paramref name="schedule"/> strictly later than both <paramref name="now"/>
    /// and <paramref name="lastScheduledAt"/>, within startAt and endAt, or null when there is none.
    /// Counting from the later of the two means a change never fires at once and never repeats a fired
    /// instant, and a resume never replays the instants missed while paused. Counting from the last run
    /// instead would fire a daily 01:00 job moved to 02:00 at 15:00 at once.
    /// </summary>
    public static DateTimeOffset? NextInstant(
        JobDefinition definition, Schedule schedule, DateTimeOffset now, DateTimeOffset? lastScheduledAt)
    {
        var after = lastScheduledAt is { } last && last > now ? last : now;
        if (definition.Type == JobType.OneTime)
        {
            var instant = schedule.GetNextOccurrence(DateTimeOffset.MinValue);
            return instant > after ? instant : null;
        }

        if (definition.StartAt is { } start && start.AddTicks(-1) > after)
        {
            after = start.AddTicks(-1);
        }

        var next = schedule.GetNextOccurrence(after);
        return next is null || (definition.EndAt is { } end && next > end) ? null : next;
    }
}
