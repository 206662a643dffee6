namespace JobScheduler.Abstractions.Jobs;

/// <summary>Events a job's webhook can subscribe to.</summary>
[GenerateSerializer, Alias("js.WebhookEventType")]
public enum WebhookEventType
{
    /// <summary>An attempt succeeded.</summary>
    Succeeded = 0,

    /// <summary>An attempt failed.</summary>
    Failed = 1,

    /// <summary>An attempt timed out.</summary>
    TimedOut = 2,

    /// <summary>A failed attempt will be retried.</summary>
    Retrying = 3,

    /// <summary>An execution exhausted its retries.</summary>
    DeadLettered = 4,

    /// <summary>An instant was skipped by the overlap or misfire policy.</summary>
    Skipped = 5,

    /// <summary>An execution was cancelled.</summary>
    Cancelled = 6,
}

/// <summary>Where a job's execution events are posted, signed with the owner's webhook secret.</summary>
[GenerateSerializer, Alias("js.WebhookDefinition")]
public sealed record WebhookDefinition
{
    /// <summary>Absolute http or https URL receiving the events.</summary>
    [Id(0)] public string? Url { get; init; }

    /// <summary>Events to send; all of them when empty or absent.</summary>
    [Id(1)] public IReadOnlyList<WebhookEventType>? Events { get; init; }
}
