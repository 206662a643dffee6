using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// Listings across a user's jobs, read from the stores' indexes (a stateless worker; use key 0). Each method
/// returns only the rows of <c>userId</c>, so no caller can list another user's jobs or dead letters.
/// </summary>
[Alias("js.IListingGrain")]
public interface IListingGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Returns a page of the user's jobs in job id order. <paramref name="status"/> null lists every job except
    /// deleted ones; <paramref name="namePrefix"/> matches the start of the name, ignoring case.
    /// </summary>
    [Alias("ListJobs")]
    Task<ApiResult<JobPage>> ListJobs(string userId, int limit, string? cursor, JobStatus? status, string? namePrefix);

    /// <summary>Returns a page of the user's dead letters, newest first.</summary>
    [Alias("ListDeadLetters")]
    Task<ApiResult<DeadLetterPage>> ListDeadLetters(string userId, int limit, string? cursor);
}
