using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Idempotency;

/// <summary>Deletes stored idempotency keys older than <see cref="IdempotencyGrain.Retention"/>, hourly.</summary>
public sealed partial class IdempotencyRetention(
    IIdempotencyStore store,
    [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
    ILogger<IdempotencyRetention> logger) : HourlyCleanup(time)
{
    protected override DateTimeOffset CutoffAt(DateTimeOffset now) => now - IdempotencyGrain.Retention;

    protected override Task<long> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        store.DeleteCreatedBeforeAsync(cutoff, cancellationToken).AsTask();

    protected override void OnDeleted(long count, DateTimeOffset cutoff) => LogDeleted(logger, count, cutoff);

    protected override void OnFailed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information,
        Message = "Deleted {Count} idempotency keys created before {Cutoff}")]
    private static partial void LogDeleted(ILogger logger, long count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning,
        Message = "Deleting old idempotency keys failed, so the next hourly run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
