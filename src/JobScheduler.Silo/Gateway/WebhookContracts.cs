using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;

namespace JobScheduler.Silo.Gateway;

/// <summary>The caller's webhook signing secret.</summary>
/// <param name="Secret">The secret: <c>whsec_</c> followed by 43 base64url characters. Receivers key HMAC-SHA256 with its UTF-8 bytes.</param>
/// <param name="CreatedAt">When this secret was created.</param>
/// <param name="PreviousSecretExpiresAt">Until when deliveries also carry a signature with the previous secret, or null when there is none.</param>
public sealed record WebhookSecretResponse(string Secret, DateTimeOffset CreatedAt, DateTimeOffset? PreviousSecretExpiresAt)
{
    public static WebhookSecretResponse From(WebhookSecretInfo info) => new(info.Secret, info.CreatedAt, info.PreviousSecretExpiresAt);
}

/// <summary>Outcome of one webhook delivery attempt.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>The receiver responded with a 2xx status.</summary>
    Succeeded,

    /// <summary>The receiver responded with another status, or did not respond.</summary>
    Failed,
}

/// <summary>One webhook delivery attempt in API responses.</summary>
/// <param name="DeliveryId">Id of this attempt: <c>whd_</c>, the job's ULID, <c>_</c>, a ULID.</param>
/// <param name="EventId">Id of the event, the same on every attempt of one event and in the <c>JobScheduler-Event-Id</c> header.</param>
/// <param name="EventType">SUCCEEDED, FAILED, TIMED_OUT, RETRYING, DEAD_LETTERED, SKIPPED or CANCELLED.</param>
/// <param name="JobId">The job.</param>
/// <param name="ExecutionId">The execution the event is about.</param>
/// <param name="Url">The webhook URL the request went to.</param>
/// <param name="AttemptNumber">1 for the first delivery attempt of the event, 2 for the first retry, and so on.</param>
/// <param name="Status">SUCCEEDED when the receiver responded with a 2xx status, else FAILED.</param>
/// <param name="StatusCode">HTTP status of the receiver's response, or null when there was none (connection error, timeout).</param>
/// <param name="Error">Why the attempt failed, or null when it succeeded.</param>
/// <param name="StartedAt">When the request was sent.</param>
/// <param name="FinishedAt">When the response or the failure came.</param>
/// <param name="DurationMs">Time from sending the request to the response headers or the failure.</param>
public sealed record WebhookDeliveryResponse(
    string DeliveryId,
    string EventId,
    string EventType,
    string JobId,
    string ExecutionId,
    string Url,
    int AttemptNumber,
    WebhookDeliveryStatus Status,
    int? StatusCode,
    string? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    long DurationMs)
{
    public static WebhookDeliveryResponse From(WebhookDelivery delivery) => new(
        delivery.DeliveryId,
        delivery.EventId,
        delivery.EventType,
        delivery.JobId,
        delivery.ExecutionId,
        delivery.Url,
        delivery.AttemptNumber,
        delivery.Succeeded ? WebhookDeliveryStatus.Succeeded : WebhookDeliveryStatus.Failed,
        delivery.StatusCode,
        delivery.Error,
        delivery.StartedAt,
        delivery.FinishedAt,
        delivery.DurationMs);
}

/// <summary>A page of a job's webhook delivery attempts, newest first. Pass <c>nextCursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record WebhookDeliveryPageResponse(IReadOnlyList<WebhookDeliveryResponse> Items, string? NextCursor);
