using System.Collections.Concurrent;
using JobScheduler.Abstractions.Grains;

namespace JobScheduler.Grains.Execution;

/// <summary>
/// The attempts this silo's executor holds: from the moment a shard hands one over until its outcome is
/// reported, whether it waits in the queue, runs, or waits for its history row to commit. The executor's
/// heartbeats renew the lease of every held attempt, so an attempt that waits behind a backlog or a slow
/// commit is not declared lost while this silo still has it. When the silo dies, the heartbeats stop with it.
/// </summary>
internal sealed class HeldAttempts
{
    private readonly ConcurrentDictionary<string, int> _shardByExecution = new(StringComparer.Ordinal);

    /// <summary>Attempts held now.</summary>
    public int Count => _shardByExecution.Count;

    public void Hold(AttemptRequest attempt) => _shardByExecution[attempt.ExecutionId] = attempt.Shard;

    public void Release(string executionId) => _shardByExecution.TryRemove(executionId, out _);

    /// <summary>The held execution ids grouped by the shard that dispatched them.</summary>
    public IEnumerable<(int Shard, IReadOnlyList<string> ExecutionIds)> ByShard() =>
        _shardByExecution
            .GroupBy(held => held.Value)
            .Select(group => (group.Key, (IReadOnlyList<string>)group.Select(held => held.Key).ToList()));
}
