using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JobScheduler.Grains.Idempotency;

/// <summary>
/// Deletes stored idempotency keys older than <see cref="IdempotencyGrain.Retention"/>, hourly. Every silo
/// runs it, and concurrent deletes of the same rows are harmless.
/// </summary>
public sealed partial class IdempotencyRetention(
    IIdempotencyStore store,
    [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
    ILogger<IdempotencyRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            var cutoff = time.GetUtcNow() - IdempotencyGrain.Retention;
            try
            {
                var deleted = await store.DeleteCreatedBeforeAsync(cutoff, stoppingToken);
                LogDeleted(logger, deleted, cutoff);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information,
        Message = "Deleted {Count} idempotency keys created before {Cutoff}")]
    private static partial void LogDeleted(ILogger logger, long count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning,
        Message = "Deleting old idempotency keys failed, so the next hourly run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
