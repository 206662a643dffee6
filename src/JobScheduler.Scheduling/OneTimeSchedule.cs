namespace JobScheduler.Scheduling;

/// <summary>
/// A schedule that fires once, at a fixed instant.
/// </summary>
public sealed class OneTimeSchedule : Schedule
{
    /// <summary>Initializes a schedule that fires at <paramref name="instant"/>.</summary>
    public OneTimeSchedule(DateTimeOffset instant) => Instant = instant.ToUniversalTime();

    /// <summary>Gets the instant the schedule fires at, in UTC.</summary>
    public DateTimeOffset Instant { get; }

    /// <inheritdoc />
    public override bool IsRecurring => false;

    /// <inheritdoc />
    public override DateTimeOffset? GetNextOccurrence(DateTimeOffset after) =>
        Instant > after ? Instant : null;
}
