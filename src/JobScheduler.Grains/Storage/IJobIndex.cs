using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Grains.Storage;

/// <summary>One row of the job index, which serves listings without activating job grains.</summary>
public sealed record JobIndexEntry(
    string JobId, string UserId, string Name, JobStatus Status, DateTimeOffset CreatedAt);

/// <summary>The index of jobs by owner, for listing.</summary>
public interface IJobIndex
{
    /// <summary>Inserts or replaces a job's row.</summary>
    ValueTask UpsertAsync(JobIndexEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Returns up to <paramref name="limit"/> of a user's jobs in id order, after <paramref name="cursor"/>.</summary>
    ValueTask<IReadOnlyList<JobIndexEntry>> ListAsync(
        string userId, int limit, string? cursor, CancellationToken cancellationToken = default);
}
