namespace JobScheduler.Scheduling;

/// <summary>
/// A parsed schedule. Instances are immutable and thread-safe.
/// </summary>
public abstract class Schedule
{
    /// <summary>
    /// Computes the first occurrence strictly later than <paramref name="after"/>.
    /// </summary>
    /// <returns>The occurrence as a UTC instant, or null when there is none
    /// (a one-time job already past, or no match before the end of the supported calendar).</returns>
    public abstract DateTimeOffset? GetNextOccurrence(DateTimeOffset after);

    /// <summary>Gets a value indicating whether the schedule can fire more than once.</summary>
    public abstract bool IsRecurring { get; }
}
