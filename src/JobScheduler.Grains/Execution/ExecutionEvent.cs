using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Grains.Execution;

/// <summary>Something that happened to an execution of a job that has a webhook.</summary>
public sealed record ExecutionEvent(
    WebhookEventType Type,
    string JobId,
    string UserId,
    string ExecutionId,
    DateTimeOffset ScheduledAt,
    int AttemptNumber,
    ExecutionStatus Status,
    long? DurationMs,
    string? Error,
    string IdempotencyKey,
    DateTimeOffset OccurredAt,
    WebhookDefinition Webhook,
    string? TraceParent = null);

/// <summary>
/// Receives execution events for delivery to webhooks. <see cref="Publish"/> must return at once (queue
/// the work): it is called on the execution path, and a slow receiver must never delay a job.
/// </summary>
public interface IExecutionEvents
{
    /// <summary>Queues an event; it is dropped when the job's webhook does not subscribe to its type.</summary>
    void Publish(ExecutionEvent executionEvent);
}

/// <summary>The default sink until webhook delivery is registered: drops every event.</summary>
public sealed class NoExecutionEvents : IExecutionEvents
{
    public void Publish(ExecutionEvent executionEvent)
    {
    }
}
