namespace JobScheduler.Grains.Storage.Memory;

/// <summary>Dev-mode webhook outbox in process memory: it survives a stopped dispatcher but not the process.</summary>
public sealed class MemoryWebhookOutbox : IWebhookOutbox
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ValueTask AddAsync(OutboxEvent item, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _entries[item.EventId] = new Entry(item, owner, leaseUntil);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(string eventId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _entries.Remove(eventId);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<OutboxEvent>> ClaimExpiredAsync(
        string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var expired = _entries.Values
                .Where(entry => entry.LeaseUntil < now)
                .OrderBy(entry => entry.LeaseUntil)
                .ThenBy(entry => entry.Item.EventId, StringComparer.Ordinal)
                .Take(limit)
                .ToList();
            foreach (var entry in expired)
            {
                _entries[entry.Item.EventId] = entry with { Owner = owner, LeaseUntil = leaseUntil };
            }

            var claimed = expired.Select(entry => entry.Item).OrderBy(item => item.EventId, StringComparer.Ordinal).ToList();
            return ValueTask.FromResult<IReadOnlyList<OutboxEvent>>(claimed);
        }
    }

    public ValueTask<int> ReleaseAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var owned = _entries.Values.Where(entry => entry.Owner == owner).ToList();
            foreach (var entry in owned)
            {
                _entries[entry.Item.EventId] = entry with { LeaseUntil = now };
            }

            return ValueTask.FromResult(owned.Count);
        }
    }

    private sealed record Entry(OutboxEvent Item, string Owner, DateTimeOffset LeaseUntil);
}
