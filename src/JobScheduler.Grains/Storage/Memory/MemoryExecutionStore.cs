using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Storage.Memory;

/// <summary>
/// Dev-mode execution history. Execution ids are ULID-based and sort by creation time, so a per-job
/// sorted list read backwards is newest first. Keeps the newest <see cref="MaxPerJob"/> records per job.
/// </summary>
public sealed class MemoryExecutionStore : IExecutionStore
{
    /// <summary>Records kept per job; older ones are dropped.</summary>
    public const int MaxPerJob = 10_000;

    private readonly Dictionary<string, SortedList<string, ExecutionInfo>> _byJob = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ValueTask SaveAsync(ExecutionInfo execution, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_byJob.TryGetValue(execution.JobId, out var executions))
            {
                executions = new SortedList<string, ExecutionInfo>(StringComparer.Ordinal);
                _byJob[execution.JobId] = executions;
            }

            // A late write never lowers the status: RUNNING arriving after SUCCEEDED is dropped.
            if (executions.TryGetValue(execution.ExecutionId, out var stored) && Rank(stored.Status) > Rank(execution.Status))
            {
                return ValueTask.CompletedTask;
            }

            executions[execution.ExecutionId] = execution;
            if (executions.Count > MaxPerJob)
            {
                executions.RemoveAt(0);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<ExecutionInfo?> GetAsync(string executionId, CancellationToken cancellationToken = default)
    {
        if (!Ids.JobIds.TryGetJobId(executionId, out var jobId))
        {
            return ValueTask.FromResult<ExecutionInfo?>(null);
        }

        lock (_lock)
        {
            var found = _byJob.TryGetValue(jobId, out var executions)
                && executions.TryGetValue(executionId, out var execution)
                    ? execution
                    : null;
            return ValueTask.FromResult(found);
        }
    }

    public ValueTask<IReadOnlySet<string>> FindScheduledKeysAsync(
        IReadOnlyCollection<string> idempotencyKeys, CancellationToken cancellationToken = default)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var key in idempotencyKeys)
            {
                var jobId = key[..Math.Max(0, key.IndexOf(':', StringComparison.Ordinal))];
                if (_byJob.TryGetValue(jobId, out var executions)
                    && executions.Values.Any(e => e.IdempotencyKey == key && e.AttemptNumber == 1 && e.Trigger == ExecutionTrigger.Schedule))
                {
                    found.Add(key);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlySet<string>>(found);
    }

    public ValueTask<ExecutionPage> ListByJobAsync(
        string jobId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_byJob.TryGetValue(jobId, out var executions))
            {
                return ValueTask.FromResult(new ExecutionPage([], null));
            }

            var start = executions.Count - 1;
            if (cursor is not null)
            {
                start = LastIndexBefore(executions.Keys, cursor);
            }

            var items = new List<ExecutionInfo>(Math.Min(limit, start + 1));
            for (var i = start; i >= 0 && items.Count < limit; i--)
            {
                items.Add(executions.Values[i]);
            }

            var more = start - items.Count >= 0;
            return ValueTask.FromResult(new ExecutionPage(items, more ? items[^1].ExecutionId : null));
        }
    }

    private static int Rank(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Pending => 0,
        ExecutionStatus.Running => 1,
        _ => 2,
    };

    /// <summary>Index of the greatest key strictly less than <paramref name="cursor"/>, or -1.</summary>
    private static int LastIndexBefore(IList<string> keys, string cursor)
    {
        int low = 0, high = keys.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (string.CompareOrdinal(keys[mid], cursor) < 0)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }
}
