using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Grains.Jobs;

/// <summary>The fixed names of webhook events, as stored and as sent in event bodies.</summary>
public static class WebhookEventNames
{
    private static readonly Dictionary<WebhookEventType, string> Names = new()
    {
        [WebhookEventType.Succeeded] = "SUCCEEDED",
        [WebhookEventType.Failed] = "FAILED",
        [WebhookEventType.TimedOut] = "TIMED_OUT",
        [WebhookEventType.Retrying] = "RETRYING",
        [WebhookEventType.DeadLettered] = "DEAD_LETTERED",
        [WebhookEventType.Skipped] = "SKIPPED",
        [WebhookEventType.Cancelled] = "CANCELLED",
    };

    /// <summary>Returns the fixed name of an event type.</summary>
    public static string ToName(WebhookEventType type) => Names[type];

    /// <summary>Parses a stored name; null for a name this version does not know.</summary>
    public static WebhookEventType? Parse(string name) =>
        Names.FirstOrDefault(pair => pair.Value == name) is { Value: not null } match ? match.Key : null;
}
