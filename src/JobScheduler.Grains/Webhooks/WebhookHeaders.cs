namespace JobScheduler.Grains.Webhooks;

/// <summary>Names of the headers every webhook delivery carries.</summary>
public static class WebhookHeaders
{
    /// <summary>The event id, the same on every delivery attempt of one event.</summary>
    public const string EventId = "JobScheduler-Event-Id";

    /// <summary>The delivery attempt of this request: 1, 2, 3, ...</summary>
    public const string DeliveryAttempt = "JobScheduler-Delivery-Attempt";

    /// <summary>The signature header (see <see cref="WebhookSignature"/>).</summary>
    public const string Signature = "JobScheduler-Signature";
}
