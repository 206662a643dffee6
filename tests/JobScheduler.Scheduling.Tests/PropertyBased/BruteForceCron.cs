using NodaTime;
using NodaTime.TimeZones;

namespace JobScheduler.Scheduling.Tests.PropertyBased;

/// <summary>
/// A slow reference for <see cref="CronSchedule"/>: it walks local wall-clock time minute by minute (second by
/// second for 6-field expressions), maps every match to instants with NodaTime's MapLocal and applies the gap and
/// overlap rules directly, then takes the earliest instant later than the input.
/// </summary>
internal static class BruteForceCron
{
    /// <summary>
    /// Returns the next occurrence when it is at most <paramref name="horizon"/> after <paramref name="after"/>,
    /// or null when there is none that soon.
    /// </summary>
    internal static Instant? NextWithin(CronExpression cron, DateTimeZone zone, Instant after, Duration horizon)
    {
        (Offset min, Offset max) = OffsetRange(zone, after - Duration.FromDays(3), after + horizon + Duration.FromDays(3));
        Offset offsetAtAfter = zone.GetUtcOffset(after);
        Period step = cron.HasSeconds ? Period.FromSeconds(1) : Period.FromMinutes(1);

        // A wall-clock time before `first` maps to an instant before `after`, and one after `last` to an instant
        // later than after + horizon, because every offset in the window lies within [min, max].
        LocalDateTime first = Truncate(after.WithOffset(offsetAtAfter).LocalDateTime.Minus(Period.FromSeconds(offsetAtAfter.Seconds - min.Seconds)), cron.HasSeconds);
        LocalDateTime last = after.WithOffset(offsetAtAfter).LocalDateTime.Plus(Period.FromSeconds((long)horizon.TotalSeconds + max.Seconds - offsetAtAfter.Seconds));

        Instant? best = null;
        for (LocalDateTime local = first; local <= last; local = local.Plus(step))
        {
            if (!cron.Matches(local))
            {
                continue;
            }

            foreach (Instant candidate in InstantsOf(cron, zone, local))
            {
                if (candidate > after && (best is null || candidate < best))
                {
                    best = candidate;
                }
            }
        }

        return best is { } found && found <= after + horizon ? found : null;
    }

    private static IEnumerable<Instant> InstantsOf(CronExpression cron, DateTimeZone zone, LocalDateTime local)
    {
        ZoneLocalMapping mapping = zone.MapLocal(local);
        switch (mapping.Count)
        {
            case 0:
                // Skipped by a spring-forward gap: the run moves to the instant the gap ends.
                yield return mapping.LateInterval.Start;
                break;
            case 1:
                yield return mapping.Single().ToInstant();
                break;
            default:
                // Repeated by a fall-back overlap: fixed times run on the first pass only.
                yield return mapping.First().ToInstant();
                if (cron.IsInterval)
                {
                    yield return mapping.Last().ToInstant();
                }

                break;
        }
    }

    private static (Offset Min, Offset Max) OffsetRange(DateTimeZone zone, Instant start, Instant end)
    {
        Offset min = Offset.MaxValue, max = Offset.MinValue;
        foreach (ZoneInterval interval in zone.GetZoneIntervals(start, end))
        {
            min = Offset.Min(min, interval.WallOffset);
            max = Offset.Max(max, interval.WallOffset);
        }

        return (min, max);
    }

    private static LocalDateTime Truncate(LocalDateTime local, bool toSecond)
    {
        LocalDateTime second = local.PlusNanoseconds(-local.NanosecondOfSecond);
        return toSecond ? second.PlusSeconds(-1) : second.PlusSeconds(-second.Second - 60);
    }
}
