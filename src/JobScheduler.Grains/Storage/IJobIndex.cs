using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Grains.Storage;

/// <summary>
/// One row of the job index, which serves listings without activating job grains. <see cref="Version"/> is
/// the job's definition version when the row was written (0 for rows written before versions were kept).
/// </summary>
public sealed record JobIndexEntry(
    string JobId, string UserId, string Name, JobStatus Status, DateTimeOffset CreatedAt, long Version = 0);

/// <summary>A job at one definition version.</summary>
public readonly record struct JobVersion(string JobId, long Version);

/// <summary>The index of jobs by owner, for listing, and the record of jobs whose schedule ran out.</summary>
public interface IJobIndex
{
    /// <summary>Inserts or replaces a job's row.</summary>
    ValueTask UpsertAsync(JobIndexEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Returns one job's row, or null.</summary>
    ValueTask<JobIndexEntry?> GetAsync(string jobId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks jobs COMPLETED whose row is ACTIVE at the given version (or has no version), and returns the
    /// rows that are COMPLETED at that version afterwards, so a repeated call for the same jobs returns them
    /// again. A job changed since (a newer version, paused or deleted) is left alone and not returned.
    /// </summary>
    ValueTask<IReadOnlyList<JobIndexEntry>> CompleteAsync(
        IReadOnlyList<JobVersion> jobs, CancellationToken cancellationToken = default);

    /// <summary>Returns up to <paramref name="limit"/> of a user's jobs in id order, after <paramref name="cursor"/>.</summary>
    ValueTask<IReadOnlyList<JobIndexEntry>> ListAsync(
        string userId, int limit, string? cursor, CancellationToken cancellationToken = default);
}
