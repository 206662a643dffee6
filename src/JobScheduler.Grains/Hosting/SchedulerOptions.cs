namespace JobScheduler.Grains.Hosting;

/// <summary>Scheduler settings, bound from the <c>Scheduler</c> configuration section.</summary>
public sealed class SchedulerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Scheduler";

    /// <summary>Number of shards. Default 64. Fixed for a deployment: changing it needs a re-shard.</summary>
    public int ShardCount { get; set; } = 64;

    /// <summary>How far ahead a shard loads due instants into its wheel. Default 60 s.</summary>
    public TimeSpan WheelHorizon { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts one shard keeps in flight before further due instants wait (backpressure). Default 1,000.</summary>
    public int MaxInFlightPerShard { get; set; } = 1000;

    /// <summary>Seconds after an instant within which it still runs normally (default of <c>misfireThreshold</c>). Default 60.</summary>
    public int MisfireThreshold { get; set; } = 60;

    /// <summary>Missed instants one job runs at most under the FIRE_ALL misfire policy. Default 1,000.</summary>
    public int MaxCatchUpRuns { get; set; } = 1000;

    /// <summary>Spacing between the catch-up runs of one job, so a replay does not flood its target. Default 50 ms.</summary>
    public TimeSpan CatchUpSpacing { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Active jobs one user may own. Default 10,000.</summary>
    public int MaxActiveJobsPerUser { get; set; } = 10_000;
}
