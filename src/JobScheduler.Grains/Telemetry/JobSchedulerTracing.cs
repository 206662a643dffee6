using System.Diagnostics;

namespace JobScheduler.Grains.Telemetry;

/// <summary>
/// The scheduler's <see cref="ActivitySource"/>. A job keeps the W3C <c>traceparent</c> of the request that
/// created it; each execution and webhook delivery starts an activity whose parent is that context, so one
/// trace id leads from the create request to every attempt and notification.
/// </summary>
public static class JobSchedulerTracing
{
    /// <summary>Name of the activity source, to enable in an OpenTelemetry tracer provider.</summary>
    public const string SourceName = "JobScheduler";

    /// <summary>The activity source; its activities are created only while a listener samples them.</summary>
    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>
    /// Returns the W3C <c>traceparent</c> of the current activity, to store with a job, or null when there is
    /// no current activity or it does not use the W3C id format.
    /// </summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// Starts the activity of one attempt as a child of <paramref name="traceParent"/> (a stored W3C
    /// <c>traceparent</c>), or as a root when it is null or malformed. Returns null when nothing listens.
    /// </summary>
    public static Activity? StartExecution(string jobId, string executionId, int attemptNumber, string? traceParent)
    {
        var parent = ParseParent(traceParent);
        var activity = Source.StartActivity("jobscheduler.execution", ActivityKind.Internal, parent);
        activity?.SetTag("jobscheduler.job_id", jobId);
        activity?.SetTag("jobscheduler.execution_id", executionId);
        activity?.SetTag("jobscheduler.attempt", attemptNumber);
        return activity;
    }

    /// <summary>Starts the activity of one webhook delivery, as a child of the job's stored context.</summary>
    public static Activity? StartWebhookDelivery(string jobId, string executionId, string eventType, string? traceParent)
    {
        var parent = ParseParent(traceParent);
        var activity = Source.StartActivity("jobscheduler.webhook", ActivityKind.Producer, parent);
        activity?.SetTag("jobscheduler.job_id", jobId);
        activity?.SetTag("jobscheduler.execution_id", executionId);
        activity?.SetTag("jobscheduler.event", eventType);
        return activity;
    }

    private static ActivityContext ParseParent(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out var context)
            ? context
            : default;
}
