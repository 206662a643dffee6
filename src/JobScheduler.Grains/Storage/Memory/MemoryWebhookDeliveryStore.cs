namespace JobScheduler.Grains.Storage.Memory;

/// <summary>
/// Dev-mode webhook delivery log. Delivery ids of one job share its ULID and end in a ULID of the attempt's
/// start, so a per-job sorted list read backwards is newest first. Keeps the newest
/// <see cref="MaxPerJob"/> attempts per job. Not durable.
/// </summary>
public sealed class MemoryWebhookDeliveryStore : IWebhookDeliveryStore
{
    /// <summary>Attempts kept per job. Older ones are dropped.</summary>
    public const int MaxPerJob = 10_000;

    private readonly Dictionary<string, SortedList<string, WebhookDelivery>> _byJob = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ValueTask AddAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_byJob.TryGetValue(delivery.JobId, out var deliveries))
            {
                deliveries = new SortedList<string, WebhookDelivery>(StringComparer.Ordinal);
                _byJob[delivery.JobId] = deliveries;
            }

            deliveries.TryAdd(delivery.DeliveryId, delivery);
            if (deliveries.Count > MaxPerJob)
            {
                deliveries.RemoveAt(0);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<WebhookDeliveryPage> ListByJobAsync(string jobId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_byJob.TryGetValue(jobId, out var deliveries))
            {
                return ValueTask.FromResult(new WebhookDeliveryPage([], null));
            }

            var items = deliveries.Values
                .Reverse()
                .Where(delivery => cursor is null || string.CompareOrdinal(delivery.DeliveryId, cursor) < 0)
                .Take(limit + 1)
                .ToList();
            var more = items.Count > limit;
            if (more)
            {
                items.RemoveAt(limit);
            }

            return ValueTask.FromResult(new WebhookDeliveryPage(items, more ? items[^1].DeliveryId : null));
        }
    }

    public ValueTask<long> DeleteStartedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        long deleted = 0;
        lock (_lock)
        {
            foreach (var (jobId, deliveries) in _byJob.ToList())
            {
                var old = deliveries.Where(pair => pair.Value.StartedAt < cutoff).Select(pair => pair.Key).ToList();
                foreach (var deliveryId in old)
                {
                    deliveries.Remove(deliveryId);
                }

                deleted += old.Count;
                if (deliveries.Count == 0)
                {
                    _byJob.Remove(jobId);
                }
            }
        }

        return ValueTask.FromResult(deleted);
    }
}
