using System.Globalization;
using System.Text.Json;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Grains.Execution;
using JobScheduler.Grains.Jobs;

namespace JobScheduler.Grains.Webhooks;

/// <summary>
/// Writes the published JSON body of a webhook event. The members and their order are fixed: <c>eventId</c>,
/// <c>type</c>, <c>jobId</c>, <c>executionId</c>, <c>scheduledAt</c>, <c>attemptNumber</c>, <c>status</c>,
/// <c>durationMs</c>, <c>error</c>, <c>idempotencyKey</c>, <c>occurredAt</c>. Absent values are written as
/// null, enums in upper snake case and instants as ISO-8601 UTC with milliseconds.
/// </summary>
public static class WebhookEventBody
{
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Returns the UTF-8 body of <paramref name="executionEvent"/> under <paramref name="eventId"/>.</summary>
    public static byte[] Write(string eventId, ExecutionEvent executionEvent)
    {
        using var buffer = new MemoryStream(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("eventId", eventId);
            writer.WriteString("type", WebhookEventNames.ToName(executionEvent.Type));
            writer.WriteString("jobId", executionEvent.JobId);
            writer.WriteString("executionId", executionEvent.ExecutionId);
            writer.WriteString("scheduledAt", FormatInstant(executionEvent.ScheduledAt));
            writer.WriteNumber("attemptNumber", executionEvent.AttemptNumber);
            writer.WriteString("status", StatusName(executionEvent.Status));
            if (executionEvent.DurationMs is { } duration)
            {
                writer.WriteNumber("durationMs", duration);
            }
            else
            {
                writer.WriteNull("durationMs");
            }

            writer.WriteString("error", executionEvent.Error);
            writer.WriteString("idempotencyKey", executionEvent.IdempotencyKey);
            writer.WriteString("occurredAt", FormatInstant(executionEvent.OccurredAt));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Returns an execution status in upper snake case, such as <c>TIMED_OUT</c>.</summary>
    public static string StatusName(ExecutionStatus status) => JsonNamingPolicy.SnakeCaseUpper.ConvertName(status.ToString());

    private static string FormatInstant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);
}
