namespace JobScheduler.Abstractions.Jobs;

/// <summary>
/// The user-supplied part of a job: the create body of the REST API and of the embedded client.
/// Unset optional members take the documented defaults when the job grain validates the definition.
/// </summary>
[GenerateSerializer, Alias("js.JobDefinition")]
public sealed record JobDefinition
{
    /// <summary>Human-readable name; 1 to 200 characters.</summary>
    [Id(0)] public string? Name { get; init; }

    /// <summary>One-time or recurring.</summary>
    [Id(1)] public JobType? Type { get; init; }

    /// <summary>ISO-8601 instant (one-time) or cron expression, macro or <c>@every</c> interval (recurring).</summary>
    [Id(2)] public string? ScheduleExpression { get; init; }

    /// <summary>IANA time zone of the cron expression; default UTC.</summary>
    [Id(3)] public string? TimeZone { get; init; }

    /// <summary>What each attempt calls.</summary>
    [Id(4)] public TargetDefinition? Target { get; init; }

    /// <summary>Raw JSON text sent as the HTTP body or given to the handler; null when absent.</summary>
    [Id(5)] public string? Payload { get; init; }

    /// <summary>Retry policy; defaults apply per member.</summary>
    [Id(6)] public RetryPolicy? RetryPolicy { get; init; }

    /// <summary>Dispatch priority; default NORMAL.</summary>
    [Id(7)] public JobPriority? Priority { get; init; }

    /// <summary>No occurrence before this instant (recurring jobs).</summary>
    [Id(8)] public DateTimeOffset? StartAt { get; init; }

    /// <summary>No occurrence after this instant (recurring jobs).</summary>
    [Id(9)] public DateTimeOffset? EndAt { get; init; }

    /// <summary>Completes the job after this many scheduled executions (recurring jobs).</summary>
    [Id(10)] public int? MaxExecutions { get; init; }

    /// <summary>Seconds after an instant within which it still runs as a normal, late execution.</summary>
    [Id(11)] public int? MisfireThreshold { get; init; }

    /// <summary>What happens to instants missed by more than the threshold; default FIRE_ONCE.</summary>
    [Id(12)] public MisfirePolicy? MisfirePolicy { get; init; }

    /// <summary>Where execution events are posted; none when absent.</summary>
    [Id(13)] public WebhookDefinition? Webhook { get; init; }

    /// <summary>What happens when an instant comes while the previous run still runs; default ALLOW.</summary>
    [Id(14)] public ConcurrencyPolicy? ConcurrencyPolicy { get; init; }

    /// <summary>Spreads each run's start by up to this many seconds, the same offset for a job and instant on every silo.</summary>
    [Id(15)] public int? JitterSeconds { get; init; }
}
