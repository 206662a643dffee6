using JobScheduler.Abstractions.Grains;
using JobScheduler.Grains.Storage;
using JobScheduler.Grains.Storage.Memory;

namespace JobScheduler.Grains.Tests.Shards;

/// <summary>
/// A memory due-index whose next horizon read of one shard can be held open: the read takes its rows,
/// signals <see cref="ReadStarted"/> and returns them only after <see cref="ReleaseRead"/>. This recreates a
/// slow database read that other shard calls interleave with. The lease write of one attempt can be held the
/// same way after it is applied: a commit whose result comes late.
/// </summary>
public sealed class GatedDueIndex : IDueIndex
{
    private readonly MemoryDueIndex _inner = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _armedShard = -1;
    private HeldWrite? _heldWrite;

    /// <summary>Completes when the held read has taken its rows.</summary>
    public TaskCompletionSource ReadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Holds the next horizon read of <paramref name="shard"/>.</summary>
    public void HoldNextRead(int shard) => Volatile.Write(ref _armedShard, shard);

    /// <summary>Lets the held read return.</summary>
    public void ReleaseRead() => _gate.TrySetResult();

    /// <summary>
    /// Holds back the result of the next lease write of <paramref name="executionId"/>; the write itself applies. The
    /// returned task completes once it has.
    /// </summary>
    public Task HoldNextLeaseWrite(string executionId)
    {
        var write = new HeldWrite(executionId);
        Volatile.Write(ref _heldWrite, write);
        return write.Applied.Task;
    }

    /// <summary>Lets the held lease write return.</summary>
    public void ReleaseLeaseWrite() => Volatile.Read(ref _heldWrite)?.Release.TrySetResult();

    public ValueTask<ShardJob?> ReadJobAsync(int shard, string jobId, CancellationToken cancellationToken = default) =>
        _inner.ReadJobAsync(shard, jobId, cancellationToken);

    public async ValueTask<IReadOnlyList<ShardJob>> ReadDueAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var rows = await _inner.ReadDueAsync(shard, from, to, cancellationToken);
        if (Interlocked.CompareExchange(ref _armedShard, -1, shard) == shard)
        {
            ReadStarted.TrySetResult();
            await _gate.Task;
        }

        return rows;
    }

    public ValueTask<long> ClaimShardAsync(int shard, string owner, CancellationToken cancellationToken = default) =>
        _inner.ClaimShardAsync(shard, owner, cancellationToken);

    public ValueTask UpsertAsync(int shard, long epoch, ShardJob job, CancellationToken cancellationToken = default) =>
        _inner.UpsertAsync(shard, epoch, job, cancellationToken);

    public ValueTask RemoveAsync(int shard, long epoch, string jobId, long version, CancellationToken cancellationToken = default) =>
        _inner.RemoveAsync(shard, epoch, jobId, version, cancellationToken);

    public async ValueTask UpsertRetryAsync(int shard, long epoch, RetryEntry retry, CancellationToken cancellationToken = default)
    {
        await _inner.UpsertRetryAsync(shard, epoch, retry, cancellationToken);
        var write = Volatile.Read(ref _heldWrite);
        if (retry.IsLease && write?.ExecutionId == retry.Attempt.ExecutionId && write.Applied.TrySetResult())
        {
            await write.Release.Task;
        }
    }

    public ValueTask RemoveRetryAsync(int shard, long epoch, string executionId, CancellationToken cancellationToken = default) =>
        _inner.RemoveRetryAsync(shard, epoch, executionId, cancellationToken);

    public ValueTask<IReadOnlyList<RetryEntry>> RemoveRetriesOfJobAsync(int shard, long epoch, string jobId, CancellationToken cancellationToken = default) =>
        _inner.RemoveRetriesOfJobAsync(shard, epoch, jobId, cancellationToken);

    public ValueTask<IReadOnlyList<RetryEntry>> ReadDueRetriesAsync(
        int shard, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        _inner.ReadDueRetriesAsync(shard, from, to, cancellationToken);

    private sealed record HeldWrite(string ExecutionId)
    {
        public TaskCompletionSource Applied { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
