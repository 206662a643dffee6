using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using JobScheduler.Postgres.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// Deletes webhook delivery attempts older than <see cref="HistoryOptions.RetentionDays"/>, hourly, the same
/// retention as the execution history. Every silo runs it, and concurrent deletes of the same rows are harmless.
/// </summary>
public sealed partial class WebhookDeliveryRetention(
    IWebhookDeliveryStore deliveries,
    IOptions<HistoryOptions> options,
    [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
    ILogger<WebhookDeliveryRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            var cutoff = time.GetUtcNow().AddDays(-options.Value.RetentionDays);
            try
            {
                var deleted = await deliveries.DeleteStartedBeforeAsync(cutoff, stoppingToken);
                LogDeleted(logger, deleted, cutoff);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information,
        Message = "Deleted {Count} webhook delivery attempts that started before {Cutoff}")]
    private static partial void LogDeleted(ILogger logger, long count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning,
        Message = "Deleting old webhook delivery attempts failed, so the next hourly run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
