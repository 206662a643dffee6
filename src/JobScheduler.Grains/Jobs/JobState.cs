namespace JobScheduler.Grains.Jobs;

/// <summary>
/// The stored form of a job grain's state. A storage type of its own, separate from the wire records, so
/// renaming a wire member never breaks stored rows: no required members, enums as fixed strings, and a
/// schema version for upgrades.
/// </summary>
[GenerateSerializer, Alias("js.JobState")]
public sealed class JobState
{
    /// <summary>Version of this layout; 1 is the first.</summary>
    public const int CurrentSchemaVersion = 1;

    [Id(0)] public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    [Id(1)] public string? JobId { get; set; }

    [Id(2)] public string? UserId { get; set; }

    /// <summary>ACTIVE, PAUSED, COMPLETED or DELETED.</summary>
    [Id(3)] public string? Status { get; set; }

    [Id(4)] public DateTimeOffset CreatedAt { get; set; }

    [Id(5)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Definition version; increases on every change.</summary>
    [Id(6)] public long Version { get; set; }

    /// <summary>The definition with defaults applied.</summary>
    [Id(7)] public StoredDefinition? Definition { get; set; }

    /// <summary>W3C traceparent of the request that created or last changed the job, so executions join its trace.</summary>
    [Id(8)] public string? TraceParent { get; set; }
}

/// <summary>The stored form of a job definition.</summary>
[GenerateSerializer, Alias("js.StoredDefinition")]
public sealed class StoredDefinition
{
    [Id(0)] public string? Name { get; set; }

    /// <summary>ONE_TIME or RECURRING.</summary>
    [Id(1)] public string? Type { get; set; }

    [Id(2)] public string? ScheduleExpression { get; set; }

    [Id(3)] public string? TimeZone { get; set; }

    /// <summary>HTTP or HANDLER.</summary>
    [Id(4)] public string? TargetType { get; set; }

    [Id(5)] public string? TargetUrl { get; set; }

    [Id(6)] public string? TargetMethod { get; set; }

    [Id(7)] public Dictionary<string, string>? TargetHeaders { get; set; }

    [Id(8)] public string? TargetName { get; set; }

    [Id(9)] public int TimeoutSeconds { get; set; }

    [Id(10)] public string? Payload { get; set; }

    [Id(11)] public int MaxRetries { get; set; }

    [Id(12)] public int RetryInterval { get; set; }

    [Id(13)] public int MaxRetryInterval { get; set; }

    [Id(14)] public double Jitter { get; set; }

    /// <summary>HIGH, NORMAL or LOW.</summary>
    [Id(15)] public string? Priority { get; set; }

    [Id(16)] public DateTimeOffset? StartAt { get; set; }

    [Id(17)] public DateTimeOffset? EndAt { get; set; }

    [Id(18)] public int? MaxExecutions { get; set; }

    [Id(19)] public int MisfireThreshold { get; set; }

    /// <summary>FIRE_ONCE, SKIP or FIRE_ALL; null in rows written before the field existed (FIRE_ONCE).</summary>
    [Id(20)] public string? MisfirePolicy { get; set; }

    /// <summary>Webhook URL, or null when the job has no webhook.</summary>
    [Id(21)] public string? WebhookUrl { get; set; }

    /// <summary>Webhook events as fixed names (SUCCEEDED, FAILED, ...); null or empty means all.</summary>
    [Id(22)] public List<string>? WebhookEvents { get; set; }

    /// <summary>ALLOW, FORBID or REPLACE; null in rows written before the field existed (ALLOW).</summary>
    [Id(23)] public string? ConcurrencyPolicy { get; set; }

    /// <summary>Start jitter window in seconds; 0 in rows written before the field existed.</summary>
    [Id(24)] public int JitterSeconds { get; set; }
}
