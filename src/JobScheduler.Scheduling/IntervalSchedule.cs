namespace JobScheduler.Scheduling;

/// <summary>
/// A fixed-interval schedule (<c>@every 5m</c>): it fires at <c>anchor + k * interval</c> for every k &gt;= 0.
/// Intervals are elapsed time, so a daylight-saving change in any time zone does not move them.
/// </summary>
public sealed class IntervalSchedule : Schedule
{
    /// <summary>Initializes a schedule firing every <paramref name="interval"/> from <paramref name="anchor"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not positive.</exception>
    public IntervalSchedule(TimeSpan interval, DateTimeOffset anchor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Interval = interval;
        Anchor = anchor.ToUniversalTime();
    }

    /// <summary>Gets the time between two occurrences.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Gets the first occurrence; later ones follow at whole multiples of <see cref="Interval"/>.</summary>
    public DateTimeOffset Anchor { get; }

    /// <inheritdoc />
    public override bool IsRecurring => true;

    /// <inheritdoc />
    public override DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        if (after < Anchor)
        {
            return Anchor;
        }

        // Int128 keeps the multiplication exact near DateTimeOffset.MaxValue.
        long elapsed = after.UtcTicks - Anchor.UtcTicks;
        Int128 steps = (elapsed / Interval.Ticks) + 1;
        Int128 nextTicks = Anchor.UtcTicks + (steps * Interval.Ticks);
        if (nextTicks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return null;
        }

        return new DateTimeOffset((long)nextTicks, TimeSpan.Zero);
    }
}
