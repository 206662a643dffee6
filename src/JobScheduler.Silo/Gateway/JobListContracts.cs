using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Silo.Gateway;

/// <summary>A job in a listing: the fields the job index holds. GET the job for the rest.</summary>
public sealed record JobSummaryResponse(string JobId, string Name, JobStatus Status, DateTimeOffset CreatedAt);

/// <summary>
/// A page of the caller's jobs in job id order, which is creation order to the millisecond; pass <c>nextCursor</c> as <c>cursor</c> for the next page.
/// A page may hold fewer than <c>limit</c> items while more follow; the listing ends when <c>nextCursor</c> is null.
/// </summary>
public sealed record JobPageResponse(IReadOnlyList<JobSummaryResponse> Items, string? NextCursor);
