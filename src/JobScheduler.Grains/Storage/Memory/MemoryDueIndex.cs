using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Storage.Memory;

/// <summary>Dev-mode due-index: one dictionary per shard, scanned on range reads. Not durable.</summary>
public sealed class MemoryDueIndex : IDueIndex
{
    private readonly Dictionary<int, Dictionary<string, ShardJob>> _shards = [];
    private readonly Lock _lock = new();

    public ValueTask UpsertAsync(int shard, ShardJob job, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var rows = RowsOf(shard);
            if (!rows.TryGetValue(job.JobId, out var stored) || stored.Version <= job.Version)
            {
                rows[job.JobId] = job;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(int shard, string jobId, long version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var rows = RowsOf(shard);
            if (rows.TryGetValue(jobId, out var stored) && stored.Version <= version)
            {
                rows.Remove(jobId);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<ShardJob>> ReadDueAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<ShardJob> due = RowsOf(shard).Values
                .Where(job => job.NextDue >= from && job.NextDue < to)
                .OrderBy(job => job.NextDue)
                .ToList();
            return ValueTask.FromResult(due);
        }
    }

    private Dictionary<string, ShardJob> RowsOf(int shard)
    {
        if (!_shards.TryGetValue(shard, out var rows))
        {
            rows = new Dictionary<string, ShardJob>(StringComparer.Ordinal);
            _shards[shard] = rows;
        }

        return rows;
    }
}
