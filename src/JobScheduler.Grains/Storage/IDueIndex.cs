using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Storage;

/// <summary>
/// The durable index of every scheduled job's next instant, keyed by shard and job and read by ranges
/// of due time, so a shard loads only its next horizon. Only the owning shard writes its rows.
/// </summary>
public interface IDueIndex
{
    /// <summary>Inserts or replaces the row of <paramref name="job"/> unless a newer version is stored.</summary>
    ValueTask UpsertAsync(int shard, ShardJob job, CancellationToken cancellationToken = default);

    /// <summary>Deletes the row of a job whose stored version is at most <paramref name="version"/>.</summary>
    ValueTask RemoveAsync(int shard, string jobId, long version, CancellationToken cancellationToken = default);

    /// <summary>Returns the rows of a shard due in [<paramref name="from"/>, <paramref name="to"/>), earliest first.</summary>
    ValueTask<IReadOnlyList<ShardJob>> ReadDueAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
