namespace JobScheduler.Abstractions.Jobs;

/// <summary>A job in a listing: the fields the job index contains. Read the job for the rest.</summary>
[GenerateSerializer, Alias("js.JobSummary")]
public sealed record JobSummary(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Name,
    [property: Id(2)] JobStatus Status,
    [property: Id(3)] DateTimeOffset CreatedAt);

/// <summary>
/// A page of a user's jobs in job id order, which is creation order to the millisecond. A page may hold fewer
/// items than requested while more follow; the listing ends when <see cref="NextCursor"/> is null.
/// </summary>
[GenerateSerializer, Alias("js.JobPage")]
public sealed record JobPage(
    [property: Id(0)] IReadOnlyList<JobSummary> Items,
    [property: Id(1)] string? NextCursor);
