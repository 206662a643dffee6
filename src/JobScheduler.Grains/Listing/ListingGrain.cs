using JobScheduler.Abstractions;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;
using Orleans.Concurrency;

namespace JobScheduler.Grains.Listing;

/// <summary>
/// Listings for callers that reach the cluster without the REST gateway, such as the embedded client. It reads
/// the same store indexes as the gateway and validates its input itself, because such callers are not checked
/// anywhere else.
/// </summary>
[StatelessWorker]
public sealed class ListingGrain(IJobIndex jobs, IDeadLetterStore deadLetters) : Grain, IListingGrain
{
    /// <summary>Maximum page size of a listing.</summary>
    public const int MaxLimit = 500;

    private const string InvalidCursorMessage = "The cursor is not valid; pass the nextCursor value of the previous page unchanged.";

    public async Task<ApiResult<JobPage>> ListJobs(string userId, int limit, string? cursor, JobStatus? status, string? namePrefix)
    {
        string? after = null;
        var invalid = LimitProblem(limit)
            ?? (cursor is not null && !JobListReader.TryDecodeCursor(cursor, out after) ? ApiError.Invalid("cursor", InvalidCursorMessage) : null)
            ?? (status is { } wanted && !Enum.IsDefined(wanted) ? ApiError.Invalid("status", $"status must be ACTIVE, PAUSED, COMPLETED or DELETED; got {(int)wanted}.") : null)
            ?? (!JobListReader.IsValidNamePrefix(namePrefix) ? ApiError.Invalid("name", JobListReader.InvalidNamePrefixMessage) : null);
        if (invalid is not null)
        {
            return ApiResult<JobPage>.Fail(invalid);
        }

        return ApiResult<JobPage>.Ok(await JobListReader.ReadPageAsync(jobs, userId, limit, after, status, namePrefix));
    }

    public async Task<ApiResult<DeadLetterPage>> ListDeadLetters(string userId, int limit, string? cursor)
    {
        var invalid = LimitProblem(limit)
            ?? (cursor is not null && !JobIds.TryGetJobIdOfDeadLetter(cursor, out _) ? ApiError.Invalid("cursor", InvalidCursorMessage) : null);
        if (invalid is not null)
        {
            return ApiResult<DeadLetterPage>.Fail(invalid);
        }

        return ApiResult<DeadLetterPage>.Ok(await deadLetters.ListAsync(userId, limit, cursor));
    }

    private static ApiError? LimitProblem(int limit) =>
        limit is >= 1 and <= MaxLimit ? null : ApiError.Invalid("limit", $"limit must be a whole number from 1 to {MaxLimit}; got '{limit}'.");
}
