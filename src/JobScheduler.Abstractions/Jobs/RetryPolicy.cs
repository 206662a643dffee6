namespace JobScheduler.Abstractions.Jobs;

/// <summary>Automatic retries with exponential backoff.</summary>
[GenerateSerializer, Alias("js.RetryPolicy")]
public sealed record RetryPolicy
{
    /// <summary>Retries after the first attempt; default 3.</summary>
    [Id(0)] public int? MaxRetries { get; init; }

    /// <summary>Delay before the first retry, in seconds; doubles per retry; default 300.</summary>
    [Id(1)] public int? RetryInterval { get; init; }

    /// <summary>Cap on any retry delay, in seconds; default 3600.</summary>
    [Id(2)] public int? MaxRetryInterval { get; init; }

    /// <summary>Jitter as a fraction of the delay (0 to 1); default 0.1.</summary>
    [Id(3)] public double? Jitter { get; init; }
}
