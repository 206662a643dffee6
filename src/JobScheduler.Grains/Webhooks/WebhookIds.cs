namespace JobScheduler.Grains.Webhooks;

/// <summary>Creates and checks webhook event and delivery ids.</summary>
public static class WebhookIds
{
    /// <summary>Prefix of event ids.</summary>
    public const string EventPrefix = "evt_";

    /// <summary>Prefix of delivery attempt ids.</summary>
    public const string DeliveryPrefix = "whd_";

    private const string JobPrefix = "job_";
    private const int UlidLength = 26;

    /// <summary>Creates an event id: <c>evt_</c> followed by a ULID whose time is <paramref name="occurredAt"/>.</summary>
    public static string NewEventId(DateTimeOffset occurredAt) => EventPrefix + Ulid.NewUlid(occurredAt);

    /// <summary>
    /// Creates a delivery attempt id that encodes its job, <c>whd_{job ULID}_{ULID}</c>, so ordinal order within
    /// a job is start order to the millisecond.
    /// </summary>
    public static string NewDeliveryId(string jobId, DateTimeOffset startedAt) =>
        string.Concat(DeliveryPrefix, jobId.AsSpan(JobPrefix.Length), "_", Ulid.NewUlid(startedAt).ToString());

    /// <summary>True when <paramref name="deliveryId"/> is a well-formed delivery id of <paramref name="jobId"/>.</summary>
    public static bool IsDeliveryIdOf(string? deliveryId, string jobId) =>
        deliveryId is { Length: 4 + UlidLength + 1 + UlidLength }
        && deliveryId.StartsWith(DeliveryPrefix, StringComparison.Ordinal)
        && jobId.Length == JobPrefix.Length + UlidLength
        && deliveryId.AsSpan(DeliveryPrefix.Length, UlidLength).SequenceEqual(jobId.AsSpan(JobPrefix.Length))
        && deliveryId[4 + UlidLength] == '_'
        && Ulid.TryParse(deliveryId.AsSpan(5 + UlidLength), out _);
}
