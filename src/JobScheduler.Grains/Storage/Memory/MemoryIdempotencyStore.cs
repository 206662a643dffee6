using System.Collections.Concurrent;

namespace JobScheduler.Grains.Storage.Memory;

/// <summary>
/// Dev-mode idempotency records in process memory. They outlive a grain's deactivation but not the process.
/// </summary>
public sealed class MemoryIdempotencyStore : IIdempotencyStore
{
    private readonly ConcurrentDictionary<(string UserId, string Key), IdempotencyRecord> _records = new();

    public ValueTask<IdempotencyRecord?> FindAsync(string userId, string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_records.GetValueOrDefault((userId, key)));

    public ValueTask SaveAsync(string userId, string key, IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        _records[(userId, key)] = record;
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(string userId, string key, CancellationToken cancellationToken = default)
    {
        _records.TryRemove((userId, key), out _);
        return ValueTask.CompletedTask;
    }

    public ValueTask<long> DeleteCreatedBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        long deleted = 0;
        foreach (var (id, record) in _records)
        {
            if (record.CreatedAt < cutoff && _records.TryRemove(new KeyValuePair<(string, string), IdempotencyRecord>(id, record)))
            {
                deleted++;
            }
        }

        return ValueTask.FromResult(deleted);
    }
}
