namespace JobScheduler.Abstractions.Executions;

/// <summary>One attempt at one instant, as the history stores it and the API returns it.</summary>
[GenerateSerializer, Alias("js.ExecutionInfo")]
public sealed record ExecutionInfo
{
    /// <summary>Execution id: <c>exe_</c>, the job's ULID, <c>_</c>, a ULID.</summary>
    [Id(0)] public string ExecutionId { get; init; } = "";

    /// <summary>Job the execution belongs to.</summary>
    [Id(1)] public string JobId { get; init; } = "";

    /// <summary>Owner of the job.</summary>
    [Id(2)] public string UserId { get; init; } = "";

    /// <summary>Current status.</summary>
    [Id(3)] public ExecutionStatus Status { get; init; }

    /// <summary>What started it.</summary>
    [Id(4)] public ExecutionTrigger Trigger { get; init; }

    /// <summary>The nominal instant (for manual runs, the request instant).</summary>
    [Id(5)] public DateTimeOffset ScheduledAt { get; init; }

    /// <summary>When the attempt started, or null while pending.</summary>
    [Id(6)] public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the attempt ended, or null while it runs.</summary>
    [Id(7)] public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    [Id(8)] public int AttemptNumber { get; init; } = 1;

    /// <summary>Error message of a failed attempt.</summary>
    [Id(9)] public string? Error { get; init; }

    /// <summary>Key the target can deduplicate on; kept by retries.</summary>
    [Id(10)] public string IdempotencyKey { get; init; } = "";

    /// <summary>HTTP status code returned by an HTTP target.</summary>
    [Id(11)] public int? ResponseStatusCode { get; init; }

    /// <summary>The first 4 KB of an HTTP target's response body (UTF-8), or null.</summary>
    [Id(12)] public string? ResponseBody { get; init; }

    /// <summary>Duration in milliseconds, once finished.</summary>
    public long? DurationMs =>
        StartedAt is { } started && FinishedAt is { } finished
            ? (long)(finished - started).TotalMilliseconds
            : null;
}
