namespace JobScheduler.Grains.Storage.Memory;

/// <summary>Dev-mode job index, sorted by job id per user. Not durable.</summary>
public sealed class MemoryJobIndex : IJobIndex
{
    private readonly Dictionary<string, SortedList<string, JobIndexEntry>> _byUser = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ValueTask UpsertAsync(JobIndexEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_byUser.TryGetValue(entry.UserId, out var jobs))
            {
                jobs = new SortedList<string, JobIndexEntry>(StringComparer.Ordinal);
                _byUser[entry.UserId] = jobs;
            }

            jobs[entry.JobId] = entry;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<JobIndexEntry>> ListAsync(
        string userId, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<JobIndexEntry> page = _byUser.TryGetValue(userId, out var jobs)
                ? jobs.Values
                    .Where(job => cursor is null || string.CompareOrdinal(job.JobId, cursor) > 0)
                    .Take(limit)
                    .ToList()
                : [];
            return ValueTask.FromResult(page);
        }
    }
}
