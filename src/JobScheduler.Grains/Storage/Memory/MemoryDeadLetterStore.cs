using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Storage.Memory;

/// <summary>Dev-mode dead letters. Ids are ULID-based, so ordinal order is creation order. Not durable.</summary>
public sealed class MemoryDeadLetterStore : IDeadLetterStore
{
    private readonly SortedDictionary<string, DeadLetterInfo> _byId = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ValueTask AddAsync(DeadLetterInfo deadLetter, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            _byId[deadLetter.DeadLetterId] = deadLetter;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<DeadLetterInfo?> GetAsync(string deadLetterId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(deadLetterId));
        }
    }

    public ValueTask<DeadLetterPage> ListAsync(string userId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            // Sorted by dead-lettering time (the id's trailing ULID), newest first.
            var items = _byId.Values
                .Where(d => d.UserId == userId)
                .OrderByDescending(d => SortKey(d.DeadLetterId), StringComparer.Ordinal)
                .Where(d => cursor is null || string.CompareOrdinal(SortKey(d.DeadLetterId), SortKey(cursor)) < 0)
                .Take(limit + 1)
                .ToList();
            var more = items.Count > limit;
            if (more)
            {
                items.RemoveAt(limit);
            }

            return ValueTask.FromResult(new DeadLetterPage(items, more ? items[^1].DeadLetterId : null));
        }
    }

    public ValueTask<bool> RemoveAsync(string deadLetterId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_byId.Remove(deadLetterId));
        }
    }

    /// <summary>The trailing ULID of an id, which orders ids by creation time across jobs.</summary>
    internal static string SortKey(string id) => id[(id.LastIndexOf('_') + 1)..];
}
