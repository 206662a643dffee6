namespace JobScheduler.Postgres.Hosting;

/// <summary>Execution history settings, bound from the <c>History</c> configuration section.</summary>
public sealed class HistoryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "History";

    /// <summary>Days of history kept; older day partitions are dropped whole. Default 90.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>Day partitions created ahead of today. Default 7.</summary>
    public int DaysAhead { get; set; } = 7;
}
