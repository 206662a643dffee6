using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Jobs;

/// <summary>Finds how close together two runs of a recurring schedule can come, for the minimum-interval limit.</summary>
public static class RecurrenceSpacing
{
    /// <summary>A fixed Monday midnight, so the result does not depend on the day the check runs.</summary>
    private static readonly DateTimeOffset Reference = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Window = TimeSpan.FromDays(2);

    private const int MaxSamples = 50_000;

    /// <summary>
    /// Returns a gap between two consecutive runs that is shorter than <paramref name="minimum"/>, or null.
    /// Pass the schedule parsed in UTC, so daylight-saving changes do not count as short gaps.
    /// </summary>
    /// <remarks>
    /// An <c>@every</c> interval is exact. A cron expression is sampled from its first run after a fixed
    /// reference instant through the following two days. Because the time-of-day fields are the same on
    /// every day, that covers every gap within one matching day.
    /// NOTE: a short gap across midnight between two matching days that are not consecutive after the
    /// reference (such as <c>59 59 23 1 * *</c> with <c>0 0 0 2 * *</c> style combinations) is not seen.
    /// </remarks>
    public static TimeSpan? FindGapBelow(Schedule schedule, TimeSpan minimum)
    {
        if (schedule is IntervalSchedule interval)
        {
            return interval.Interval < minimum ? interval.Interval : null;
        }

        // Cron counts whole seconds, so no cron schedule fires more often than once a second.
        if (!schedule.IsRecurring || minimum <= TimeSpan.FromSeconds(1))
        {
            return null;
        }

        var previous = schedule.GetNextOccurrence(Reference.AddTicks(-1));
        if (previous is null)
        {
            return null;
        }

        var until = previous.Value + Window;
        for (var sample = 0; sample < MaxSamples; sample++)
        {
            var next = schedule.GetNextOccurrence(previous.Value);
            if (next is null || next > until)
            {
                return null;
            }

            var gap = next.Value - previous.Value;
            if (gap < minimum)
            {
                return gap;
            }

            previous = next;
        }

        return null;
    }
}
