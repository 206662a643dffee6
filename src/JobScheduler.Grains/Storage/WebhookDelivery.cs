namespace JobScheduler.Grains.Storage;

/// <summary>One delivery attempt of a webhook event, as the delivery log stores it.</summary>
public sealed record WebhookDelivery
{
    /// <summary>Delivery id: <c>whd_</c>, the job's ULID, <c>_</c>, a ULID of the attempt's start.</summary>
    public string DeliveryId { get; init; } = "";

    /// <summary>The event's id, the same on every attempt of one event.</summary>
    public string EventId { get; init; } = "";

    /// <summary>The event type's fixed name, such as <c>SUCCEEDED</c> (kept as text so a newer type never breaks a read).</summary>
    public string EventType { get; init; } = "";

    public string JobId { get; init; } = "";

    /// <summary>Owner of the job.</summary>
    public string UserId { get; init; } = "";

    /// <summary>The execution the event is about.</summary>
    public string ExecutionId { get; init; } = "";

    /// <summary>The webhook URL the request went to.</summary>
    public string Url { get; init; } = "";

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    public int AttemptNumber { get; init; }

    /// <summary>HTTP status code of the response, or null when there was none (connection error, timeout).</summary>
    public int? StatusCode { get; init; }

    /// <summary>Why the attempt failed, or null when it succeeded.</summary>
    public string? Error { get; init; }

    /// <summary>True when the receiver responded with a 2xx status.</summary>
    public bool Succeeded { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>Time from sending the request to the response headers (or the failure), in milliseconds.</summary>
    public long DurationMs { get; init; }
}

/// <summary>A page of a job's delivery attempts, newest first.</summary>
public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDelivery> Items, string? NextCursor);
