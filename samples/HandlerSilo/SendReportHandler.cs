using System.Text.Json;
using JobScheduler.Abstractions.Handlers;

namespace JobScheduler.Samples.HandlerSilo;

/// <summary>
/// An in-process job target. The silo calls it for every attempt of a job whose target is
/// <c>{"type": "HANDLER", "name": "send-report"}</c>; returning normally means success, throwing means failure.
/// </summary>
public sealed partial class SendReportHandler(ILogger<SendReportHandler> logger) : IJobHandler
{
    /// <summary>The name jobs use to call this handler.</summary>
    public const string Name = "send-report";

    public async Task ExecuteAsync(JobExecutionContext context, CancellationToken cancellationToken)
    {
        var request = context.Payload is null
            ? new ReportRequest("unnamed", [])
            : JsonSerializer.Deserialize<ReportRequest>(context.Payload, JsonSerializerOptions.Web)!;

        // Real work goes here. Honour the token: the silo cancels it at the target's timeout.
        await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);

        // The idempotency key is the same for every attempt at one instant: use it to skip duplicates.
        LogSent(logger, request.Report, string.Join(", ", request.Recipients), context.AttemptNumber, context.IdempotencyKey);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Sent report {Report} to {Recipients} (attempt {Attempt}, key {IdempotencyKey})")]
    private static partial void LogSent(ILogger logger, string report, string recipients, int attempt, string idempotencyKey);
}

/// <summary>The payload the sample job carries.</summary>
public sealed record ReportRequest(string Report, IReadOnlyList<string> Recipients);
