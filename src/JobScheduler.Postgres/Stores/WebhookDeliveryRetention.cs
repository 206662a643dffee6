using JobScheduler.Grains.Hosting;
using JobScheduler.Grains.Storage;
using JobScheduler.Postgres.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JobScheduler.Postgres.Stores;

/// <summary>
/// Deletes webhook delivery attempts older than <see cref="HistoryOptions.RetentionDays"/>, hourly, the same
/// retention as the execution history.
/// </summary>
public sealed partial class WebhookDeliveryRetention(
    IWebhookDeliveryStore deliveries,
    IOptions<HistoryOptions> options,
    [FromKeyedServices(SchedulerTime.Key)] TimeProvider time,
    ILogger<WebhookDeliveryRetention> logger) : HourlyCleanup(time)
{
    protected override DateTimeOffset CutoffAt(DateTimeOffset now) => now.AddDays(-options.Value.RetentionDays);

    protected override Task<long> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        deliveries.DeleteStartedBeforeAsync(cutoff, cancellationToken).AsTask();

    protected override void OnDeleted(long count, DateTimeOffset cutoff) => LogDeleted(logger, count, cutoff);

    protected override void OnFailed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information,
        Message = "Deleted {Count} webhook delivery attempts that started before {Cutoff}")]
    private static partial void LogDeleted(ILogger logger, long count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning,
        Message = "Deleting old webhook delivery attempts failed, so the next hourly run tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
