using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Storage;

/// <summary>The execution history: one record per attempt, updated as its status changes.</summary>
public interface IExecutionStore
{
    /// <summary>Inserts or replaces an execution record.</summary>
    ValueTask SaveAsync(ExecutionInfo execution, CancellationToken cancellationToken = default);

    /// <summary>Returns one execution, or null when unknown.</summary>
    ValueTask<ExecutionInfo?> GetAsync(string executionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns which of <paramref name="idempotencyKeys"/> already have a first scheduled attempt in the
    /// history, so a shard re-activated after a crash does not fire those instants again.
    /// </summary>
    ValueTask<IReadOnlySet<string>> FindScheduledKeysAsync(
        IReadOnlyCollection<string> idempotencyKeys, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns up to <paramref name="limit"/> executions of a job, newest first, starting after
    /// <paramref name="cursor"/> (the last execution id of the previous page).
    /// </summary>
    ValueTask<ExecutionPage> ListByJobAsync(
        string jobId, int limit, string? cursor, CancellationToken cancellationToken = default);
}
