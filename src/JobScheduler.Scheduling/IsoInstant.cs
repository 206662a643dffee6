using NodaTime.Text;

namespace JobScheduler.Scheduling;

/// <summary>
/// Parses ISO-8601 instants with an offset, such as <c>2026-12-04T10:00:00Z</c>, into the range a
/// <see cref="DateTimeOffset"/> can hold: an offset within ±14:00 and a UTC time from year 1 to 9999.
/// </summary>
public static class IsoInstant
{
    private static readonly int MaxOffsetSeconds = (int)TimeSpan.FromHours(14).TotalSeconds;

    /// <summary>How a parse ended: parsed, not an ISO-8601 instant, or outside the supported range.</summary>
    public enum Result
    {
        Parsed,
        Malformed,
        OutOfRange,
    }

    /// <summary>Parses <paramref name="text"/> and returns the instant in UTC when the result is <see cref="Result.Parsed"/>.</summary>
    public static Result TryParse(string text, out DateTimeOffset instant)
    {
        instant = default;
        var parsed = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (!parsed.Success)
        {
            return Result.Malformed;
        }

        var value = parsed.Value;
        if (Math.Abs(value.Offset.Seconds) > MaxOffsetSeconds)
        {
            return Result.OutOfRange;
        }

        try
        {
            // Throws when the local time minus the offset leaves years 1 to 9999.
            instant = value.ToDateTimeOffset().ToUniversalTime();
            return Result.Parsed;
        }
        catch (Exception exception) when (exception is ArgumentOutOfRangeException or OverflowException or InvalidOperationException)
        {
            return Result.OutOfRange;
        }
    }
}
