using JobScheduler.Grains.Execution;

namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// An event ready for delivery: its id and its body, serialized once, so every delivery attempt sends the
/// same bytes under the same event id.
/// </summary>
internal sealed class WebhookMessage
{
    private WebhookMessage(string eventId, ExecutionEvent executionEvent, byte[] body, Uri url)
    {
        EventId = eventId;
        Event = executionEvent;
        Body = body;
        Url = url;
        Host = url.Authority;
    }

    public string EventId { get; }

    public ExecutionEvent Event { get; }

    /// <summary>The UTF-8 JSON body, never changed after creation.</summary>
    public byte[] Body { get; }

    public Uri Url { get; }

    /// <summary>Host and port of the receiver, the key of the per-host concurrency limit.</summary>
    public string Host { get; }

    /// <summary>Creates the message, or returns null when the webhook URL is not an absolute http or https URL.</summary>
    public static WebhookMessage? Create(string eventId, ExecutionEvent executionEvent)
    {
        if (!Uri.TryCreate(executionEvent.Webhook.Url, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        return new WebhookMessage(eventId, executionEvent, WebhookEventBody.Write(eventId, executionEvent), url);
    }
}

/// <summary>How one delivery attempt ended.</summary>
internal sealed record WebhookAttemptResult(bool Succeeded, int? StatusCode, string? Error);
