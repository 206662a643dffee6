namespace JobScheduler.Postgres.Stores;

/// <summary>Conversions for <c>timestamptz</c> parameters, which Npgsql takes as UTC <see cref="DateTime"/>.</summary>
internal static class Timestamps
{
    /// <summary>Earliest instant sent to PostgreSQL; earlier values (such as <see cref="DateTimeOffset.MinValue"/>) are clamped.</summary>
    private static readonly DateTime Earliest = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Latest instant sent to PostgreSQL.</summary>
    private static readonly DateTime Latest = new(9000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime ToUtc(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return utc < Earliest ? Earliest : utc > Latest ? Latest : utc;
    }

    public static DateTime? ToUtc(DateTimeOffset? instant) => instant is { } value ? ToUtc(value) : null;

    public static DateTimeOffset FromUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
