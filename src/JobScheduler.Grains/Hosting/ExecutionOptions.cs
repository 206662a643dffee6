namespace JobScheduler.Grains.Hosting;

/// <summary>Executor settings, bound from the <c>Execution</c> configuration section.</summary>
public sealed class ExecutionOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Execution";

    /// <summary>Attempts one silo runs at once. Default 1,000.</summary>
    public int MaxConcurrency { get; set; } = 1000;

    /// <summary>Attempts queued on one silo before the worker waits for room. Default 100,000.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>How often the executor renews the leases of its running attempts. Default 10 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a dispatched attempt's lease lasts without a heartbeat. When it lapses the attempt is recorded
    /// FAILED (worker lost) and retried under the same idempotency key. Default 30 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a handler that ignores cancellation may run past its timeout before the executor abandons it
    /// (records TIMED_OUT and frees its slot while the handler's task keeps running). Default 5 s.
    /// </summary>
    public TimeSpan AbandonGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes of an HTTP response body kept in the history. Default 4,096.</summary>
    public int MaxResponseBodyBytes { get; set; } = 4096;
}
