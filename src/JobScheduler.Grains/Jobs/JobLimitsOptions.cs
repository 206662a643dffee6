namespace JobScheduler.Grains.Jobs;

/// <summary>
/// Limits on job definitions, bound from the <c>Jobs</c> configuration section and enforced by the job
/// grain, so the REST gateway and the embedded client get the same checks.
/// </summary>
public sealed class JobLimitsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Jobs";

    /// <summary>Maximum size of a job's payload as UTF-8 JSON text, in bytes. Default 262,144 (256 KiB).</summary>
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Shortest allowed time between two runs of a recurring job. Default 1 s, which every expression the
    /// parser accepts already meets (cron and <c>@every</c> both count whole seconds).
    /// </summary>
    public TimeSpan MinRecurringInterval { get; set; } = TimeSpan.FromSeconds(1);
}
