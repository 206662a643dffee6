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

    /// <summary>Bytes of an HTTP response body kept in the history. Default 4,096.</summary>
    public int MaxResponseBodyBytes { get; set; } = 4096;
}
