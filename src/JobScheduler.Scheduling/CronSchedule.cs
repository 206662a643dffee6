using NodaTime;
using NodaTime.TimeZones;

namespace JobScheduler.Scheduling;

/// <summary>
/// A cron schedule evaluated on the wall clock of a time zone, with the zone rules of <see cref="TimeZoneSource"/>.
/// </summary>
/// <remarks>
/// Around offset changes: a wall-clock time skipped by a spring-forward gap fires once, at the instant the gap
/// ends (several skipped times collapse into that one run). A wall-clock time repeated by a fall-back overlap
/// fires on the first pass only, unless the second, minute or hour field uses <c>*</c>, a range or a step, in
/// which case it fires on both passes.
/// </remarks>
public sealed class CronSchedule : Schedule
{
    // Searches stop here, a year before NodaTime's range ends, so local and instant arithmetic cannot overflow.
    private static readonly Instant SearchEnd = Instant.FromUtc(9999, 1, 1, 0, 0);

    private readonly CronExpression _expression;
    private readonly DateTimeZone _zone;

    internal CronSchedule(CronExpression expression, DateTimeZone zone)
    {
        _expression = expression;
        _zone = zone;
    }

    /// <summary>Gets the cron expression after macro expansion.</summary>
    public string Expression => _expression.Text;

    /// <summary>Gets the IANA id of the zone the expression is evaluated in.</summary>
    public string ZoneId => _zone.Id;

    /// <inheritdoc />
    public override bool IsRecurring => true;

    internal CronExpression Cron => _expression;

    internal DateTimeZone Zone => _zone;

    /// <inheritdoc />
    public override DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        Instant start = Instant.FromDateTimeOffset(after);
        if (start >= SearchEnd)
        {
            return null;
        }

        Instant? next = FindNext(start);

        // The walk below only moves forward, and the property tests check that across the tz database. If a zone
        // rule ever breaks it, throwing is safer than returning a past instant that the scheduler would fire in a loop.
        if (next is { } value && value <= start)
        {
            throw new InvalidOperationException(
                $"The next occurrence of '{Expression}' in {ZoneId} after {after:O} was computed as {value}, which is not later.");
        }

        return next?.ToDateTimeOffset();
    }

    // Walks the zone intervals (spans of constant UTC offset) forward from the one that contains `after`.
    // Within an interval, local time and instants advance together, so the first local match is the result.
    private Instant? FindNext(Instant after)
    {
        ZoneInterval interval = _zone.GetZoneInterval(after);
        Offset? previousOffset = interval.HasStart ? _zone.GetUtcOffset(interval.Start - Duration.Epsilon) : null;
        bool first = true;
        while (true)
        {
            Offset offset = interval.WallOffset;
            if (!first && previousOffset < offset && MatchesInGap(interval, previousOffset.Value))
            {
                return interval.Start;
            }

            LocalDateTime from = first
                ? NextWholeSecond(after.WithOffset(offset).LocalDateTime)
                : interval.Start.WithOffset(offset).LocalDateTime;

            if (!_expression.IsInterval && previousOffset > offset)
            {
                // Fall-back overlap: a fixed time already fired on the first pass of the repeated local times.
                LocalDateTime overlapEnd = interval.Start.WithOffset(previousOffset.Value).LocalDateTime;
                from = LocalDateTime.Max(from, overlapEnd);
            }

            bool hasEnd = interval.HasEnd && interval.End < SearchEnd;
            LocalDateTime? until = hasEnd ? interval.End.WithOffset(offset).LocalDateTime : null;
            if ((until is null || from < until) && _expression.FindNext(from, until) is { } local)
            {
                Instant found = local.WithOffset(offset).ToInstant();
                return found < SearchEnd ? found : null;
            }

            if (!hasEnd)
            {
                return null;
            }

            previousOffset = offset;
            interval = _zone.GetZoneInterval(interval.End);
            first = false;
        }
    }

    // The first whole second strictly later than local, because the result must be later than `after`.
    private static LocalDateTime NextWholeSecond(LocalDateTime local) =>
        local.PlusNanoseconds(-local.NanosecondOfSecond).PlusSeconds(1);

    // Spring-forward gap: the local times [start + previous offset, start + offset) do not exist.
    private bool MatchesInGap(ZoneInterval interval, Offset previousOffset)
    {
        LocalDateTime gapStart = interval.Start.WithOffset(previousOffset).LocalDateTime;
        LocalDateTime gapEnd = interval.Start.WithOffset(interval.WallOffset).LocalDateTime;
        return _expression.FindNext(gapStart, gapEnd) is not null;
    }
}
