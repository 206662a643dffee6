namespace JobScheduler.Abstractions.Jobs;

/// <summary>A job as the API returns it: its definition with defaults applied, plus server-set fields.</summary>
[GenerateSerializer, Alias("js.JobInfo")]
public sealed record JobInfo
{
    /// <summary>Job id: <c>job_</c> followed by a ULID.</summary>
    [Id(0)] public string JobId { get; init; } = "";

    /// <summary>Owner of the job.</summary>
    [Id(1)] public string UserId { get; init; } = "";

    /// <summary>Lifecycle status.</summary>
    [Id(2)] public JobStatus Status { get; init; }

    /// <summary>Creation instant (UTC).</summary>
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Next scheduled instant, or null when none is left.</summary>
    [Id(4)] public DateTimeOffset? NextExecutionAt { get; init; }

    /// <summary>Definition with defaults applied.</summary>
    [Id(5)] public JobDefinition Definition { get; init; } = new();

    /// <summary>Definition version; increases on every change.</summary>
    [Id(6)] public long Version { get; init; }

    /// <summary>Last change instant (UTC).</summary>
    [Id(7)] public DateTimeOffset UpdatedAt { get; init; }
}
