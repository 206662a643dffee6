using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Storage;

/// <summary>
/// The durable index of every scheduled job's next instant, keyed by shard and job and read by ranges
/// of due time, so a shard loads only its next horizon. Only the owning shard writes its rows, and every
/// write carries the epoch the shard claimed at activation: a write with an older epoch is rejected with
/// <see cref="ShardFencedException"/>, so a silo that wakes up after being declared dead cannot overwrite
/// its successor's work.
/// </summary>
public interface IDueIndex
{
    /// <summary>Claims the shard for a new activation and returns its epoch, greater than every earlier one.</summary>
    ValueTask<long> ClaimShardAsync(int shard, string owner, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces the row of <paramref name="job"/> unless a newer version is stored.</summary>
    ValueTask UpsertAsync(int shard, long epoch, ShardJob job, CancellationToken cancellationToken = default);

    /// <summary>Deletes the row of a job whose stored version is at most <paramref name="version"/>.</summary>
    ValueTask RemoveAsync(int shard, long epoch, string jobId, long version, CancellationToken cancellationToken = default);

    /// <summary>Returns the row of one job, or null when the shard has none.</summary>
    ValueTask<ShardJob?> ReadJobAsync(int shard, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Returns the rows of a shard due in [<paramref name="from"/>, <paramref name="to"/>), earliest first.</summary>
    ValueTask<IReadOnlyList<ShardJob>> ReadDueAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Stores a retry, keyed by its execution id.</summary>
    ValueTask UpsertRetryAsync(int shard, long epoch, RetryEntry retry, CancellationToken cancellationToken = default);

    /// <summary>Deletes a retry once it has been dispatched.</summary>
    ValueTask RemoveRetryAsync(int shard, long epoch, string executionId, CancellationToken cancellationToken = default);

    /// <summary>Deletes every retry and lease entry of one job in a shard, and returns the retries deleted.</summary>
    ValueTask<IReadOnlyList<RetryEntry>> RemoveRetriesOfJobAsync(int shard, long epoch, string jobId, CancellationToken cancellationToken = default);

    /// <summary>Returns the retries of a shard due in [<paramref name="from"/>, <paramref name="to"/>), earliest first.</summary>
    ValueTask<IReadOnlyList<RetryEntry>> ReadDueRetriesAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}

/// <summary>A shard write was rejected because a newer activation of the shard claimed a later epoch.</summary>
public sealed class ShardFencedException(int shard, long epoch)
    : InvalidOperationException($"Shard {shard} was claimed by a newer activation; the write with epoch {epoch} was rejected.")
{
    /// <summary>The shard written to.</summary>
    public int Shard { get; } = shard;

    /// <summary>The stale epoch the write carried.</summary>
    public long Epoch { get; } = epoch;
}
