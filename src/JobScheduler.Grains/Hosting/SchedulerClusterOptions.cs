namespace JobScheduler.Grains.Hosting;

/// <summary>Settings for silos joining and leaving the cluster, bound from the <c>Cluster</c> configuration section.</summary>
public sealed class SchedulerClusterOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Cluster";

    /// <summary>
    /// How long a stopping silo (SIGTERM) waits for its running attempts to finish after handing its shards to the
    /// other silos. Attempts still running then are cancelled, recorded FAILED and retried with the same
    /// idempotency key. The host's shutdown timeout is raised to this plus <see cref="ShutdownMargin"/>. Default 25 s.
    /// </summary>
    public TimeSpan DrainGrace { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Time the silo's own shutdown needs after the drain: hand-over, membership update, grain deactivation.</summary>
    public static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(20);

    /// <summary>Whether silos move shards to a silo that joins, so every silo has about as many. Default true.</summary>
    public bool RebalanceOnJoin { get; set; } = true;
}
