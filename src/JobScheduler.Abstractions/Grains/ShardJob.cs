using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// The compact, versioned snapshot of a job that its shard needs to fire it without activating the job
/// grain: the schedule to compute the next instant, and the target to dispatch to.
/// </summary>
[GenerateSerializer, Alias("js.ShardJob")]
public sealed record ShardJob
{
    /// <summary>Job id.</summary>
    [Id(0)] public string JobId { get; init; } = "";

    /// <summary>Owner of the job.</summary>
    [Id(1)] public string UserId { get; init; } = "";

    /// <summary>Definition version this snapshot was taken from; older snapshots are ignored.</summary>
    [Id(2)] public long Version { get; init; }

    /// <summary>One-time or recurring.</summary>
    [Id(3)] public JobType Type { get; init; }

    /// <summary>Schedule expression as validated by the job grain.</summary>
    [Id(4)] public string ScheduleExpression { get; init; } = "";

    /// <summary>IANA time zone id.</summary>
    [Id(5)] public string TimeZone { get; init; } = "UTC";

    /// <summary>Anchor of <c>@every</c> intervals (start or creation instant).</summary>
    [Id(6)] public DateTimeOffset Anchor { get; init; }

    /// <summary>No occurrence after this instant.</summary>
    [Id(7)] public DateTimeOffset? EndAt { get; init; }

    /// <summary>Stop after this many scheduled executions.</summary>
    [Id(8)] public int? MaxExecutions { get; init; }

    /// <summary>What each attempt calls.</summary>
    [Id(9)] public TargetDefinition Target { get; init; } = new();

    /// <summary>Raw JSON payload, or null.</summary>
    [Id(10)] public string? Payload { get; init; }

    /// <summary>Dispatch priority.</summary>
    [Id(11)] public JobPriority Priority { get; init; } = JobPriority.Normal;

    /// <summary>The next instant to fire.</summary>
    [Id(12)] public DateTimeOffset NextDue { get; init; }

    /// <summary>Scheduled executions fired so far (for <see cref="MaxExecutions"/>).</summary>
    [Id(13)] public int FiredCount { get; init; }

    /// <summary>Seconds after an instant within which it still runs as a normal, late execution.</summary>
    [Id(14)] public int MisfireThreshold { get; init; } = 60;

    /// <summary>What happens to instants missed by more than the threshold.</summary>
    [Id(15)] public MisfirePolicy MisfirePolicy { get; init; }

    /// <summary>Where execution events are posted, or null.</summary>
    [Id(16)] public WebhookDefinition? Webhook { get; init; }

    /// <summary>What happens when an instant comes while the previous run still runs.</summary>
    [Id(17)] public ConcurrencyPolicy ConcurrencyPolicy { get; init; }

    /// <summary>Start jitter window in seconds; 0 for none.</summary>
    [Id(18)] public int JitterSeconds { get; init; }

    /// <summary>W3C traceparent of the request that created or last changed the job, or null.</summary>
    [Id(19)] public string? TraceParent { get; init; }

    /// <summary>
    /// The schedule has no further instant. The row stays in the due-index until the job's completion is
    /// recorded and its quota released, so a silo that stops in between leaves the work for the next one.
    /// </summary>
    [Id(20)] public bool Exhausted { get; init; }
}
