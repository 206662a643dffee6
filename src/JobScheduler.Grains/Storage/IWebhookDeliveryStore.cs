namespace JobScheduler.Grains.Storage;

/// <summary>The webhook delivery log: one record per delivery attempt, listed per job.</summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Stores a delivery attempt. Storing the same delivery id again changes nothing.</summary>
    ValueTask AddAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns up to <paramref name="limit"/> delivery attempts of a job, newest first, starting after
    /// <paramref name="cursor"/> (the last delivery id of the previous page).
    /// </summary>
    ValueTask<WebhookDeliveryPage> ListByJobAsync(string jobId, int limit, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>Deletes the attempts that started before <paramref name="cutoff"/> and returns how many were deleted.</summary>
    ValueTask<long> DeleteStartedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default);
}
