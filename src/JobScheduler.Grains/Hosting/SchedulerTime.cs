namespace JobScheduler.Grains.Hosting;

/// <summary>
/// The key of the scheduler's own <see cref="TimeProvider"/> service. The scheduler reads time only through
/// it, so tests replace it with a fake clock without stopping Orleans' timers, which use the unkeyed one.
/// </summary>
public static class SchedulerTime
{
    /// <summary>Service key of the scheduler's time provider.</summary>
    public const string Key = "JobScheduler";
}
