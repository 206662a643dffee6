using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Grains.Storage.Memory;

/// <summary>Dev-mode job index, sorted by job id per user. Not durable.</summary>
public sealed class MemoryJobIndex : IJobIndex
{
    private readonly Dictionary<string, SortedList<string, JobIndexEntry>> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobIndexEntry> _byId = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public ValueTask UpsertAsync(JobIndexEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Put(entry);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<JobIndexEntry?> GetAsync(string jobId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(jobId));
        }
    }

    public ValueTask<IReadOnlyList<JobIndexEntry>> CompleteAsync(
        IReadOnlyList<JobVersion> jobs, CancellationToken cancellationToken = default)
    {
        var completed = new List<JobIndexEntry>();
        lock (_lock)
        {
            foreach (var job in jobs)
            {
                if (_byId.TryGetValue(job.JobId, out var entry) && Completes(entry, job.Version))
                {
                    var done = entry with { Status = JobStatus.Completed, Version = job.Version };
                    Put(done);
                    completed.Add(done);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<JobIndexEntry>>(completed);
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

    /// <summary>The rule of <see cref="IJobIndex.CompleteAsync"/>; the PostgreSQL index states it in SQL.</summary>
    private static bool Completes(JobIndexEntry entry, long version) =>
        (entry.Version == version && entry.Status is JobStatus.Active or JobStatus.Completed)
        || (entry.Version == 0 && entry.Status == JobStatus.Active);

    private void Put(JobIndexEntry entry)
    {
        if (!_byUser.TryGetValue(entry.UserId, out var jobs))
        {
            jobs = new SortedList<string, JobIndexEntry>(StringComparer.Ordinal);
            _byUser[entry.UserId] = jobs;
        }

        jobs[entry.JobId] = entry;
        _byId[entry.JobId] = entry;
    }
}
