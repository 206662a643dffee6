using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Storage.Memory;

/// <summary>Dev-mode due-index: one dictionary per shard, scanned on range reads. Not durable.</summary>
public sealed class MemoryDueIndex : IDueIndex
{
    private readonly Dictionary<int, Dictionary<string, ShardJob>> _shards = [];
    private readonly Dictionary<int, long> _epochs = [];
    private readonly Dictionary<(int Shard, string ExecutionId), RetryEntry> _retries = [];
    private readonly Lock _lock = new();

    public ValueTask<long> ClaimShardAsync(int shard, string owner, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var epoch = _epochs.GetValueOrDefault(shard) + 1;
            _epochs[shard] = epoch;
            return ValueTask.FromResult(epoch);
        }
    }

    public ValueTask UpsertAsync(int shard, long epoch, ShardJob job, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (Fenced(shard, epoch) is { } fenced)
            {
                return fenced;
            }

            var rows = RowsOf(shard);
            if (!rows.TryGetValue(job.JobId, out var stored) || stored.Version <= job.Version)
            {
                rows[job.JobId] = job;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(int shard, long epoch, string jobId, long version, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (Fenced(shard, epoch) is { } fenced)
            {
                return fenced;
            }

            var rows = RowsOf(shard);
            if (rows.TryGetValue(jobId, out var stored) && stored.Version <= version)
            {
                rows.Remove(jobId);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ShardJob?> ReadJobAsync(int shard, string jobId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(RowsOf(shard).GetValueOrDefault(jobId));
        }
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

    public ValueTask UpsertRetryAsync(int shard, long epoch, RetryEntry retry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (Fenced(shard, epoch) is { } fenced)
            {
                return fenced;
            }

            _retries[(shard, retry.Attempt.ExecutionId)] = retry;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveRetryAsync(int shard, long epoch, string executionId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (Fenced(shard, epoch) is { } fenced)
            {
                return fenced;
            }

            _retries.Remove((shard, executionId));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<RetryEntry>> RemoveRetriesOfJobAsync(int shard, long epoch, string jobId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            CheckEpoch(shard, epoch);
            var removed = _retries.Where(pair => pair.Key.Shard == shard && pair.Value.Attempt.JobId == jobId).ToList();
            foreach (var pair in removed)
            {
                _retries.Remove(pair.Key);
            }

            return ValueTask.FromResult<IReadOnlyList<RetryEntry>>(removed.Select(pair => pair.Value).ToList());
        }
    }

    public ValueTask<IReadOnlyList<RetryEntry>> ReadDueRetriesAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<RetryEntry> due = _retries
                .Where(pair => pair.Key.Shard == shard && pair.Value.Due >= from && pair.Value.Due < to)
                .Select(pair => pair.Value)
                .OrderBy(retry => retry.Due)
                .ToList();
            return ValueTask.FromResult(due);
        }
    }

    /// <summary>A failed task for a write with a stale epoch, as the PostgreSQL due-index reports it; else null.</summary>
    private ValueTask? Fenced(int shard, long epoch) =>
        _epochs.GetValueOrDefault(shard) != epoch ? ValueTask.FromException(new ShardFencedException(shard, epoch)) : null;

    private void CheckEpoch(int shard, long epoch)
    {
        if (_epochs.GetValueOrDefault(shard) != epoch)
        {
            throw new ShardFencedException(shard, epoch);
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
