using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Listing;
using JobScheduler.Grains.Storage;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// <c>GET /api/v1/jobs</c>: the caller's jobs from the job index in job id order (creation order to the millisecond), filtered by status
/// and name prefix. Deleted jobs are listed only with <c>status=DELETED</c>.
/// </summary>
public static class JobListEndpoint
{
    /// <summary>Maps the endpoint on the <c>/api/v1/jobs</c> group.</summary>
    public static void MapJobListEndpoint(this RouteGroupBuilder jobs) =>
        jobs.MapGet("", ListAsync)
            .WithName("ListJobs")
            .WithSummary("List your jobs")
            .WithDescription("Pages through the caller's jobs in job id order, which is creation order to the millisecond. Filter by status (ACTIVE, PAUSED, COMPLETED or DELETED; deleted jobs appear only when asked for) and by name prefix (case-insensitive).")
            .Produces<JobPageResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

    private static async Task<IResult> ListAsync(
        string? limit, string? cursor, string? status, string? name, HttpContext context, IJobIndex index)
    {
        var (pageSize, badLimit) = Paging.ReadLimit(limit);
        if (badLimit is not null)
        {
            return badLimit;
        }

        string? after = null;
        if (cursor is not null && !JobListReader.TryDecodeCursor(cursor, out after))
        {
            return Paging.InvalidCursor();
        }

        JobStatus? wanted = null;
        if (status is not null)
        {
            if (!TryParseStatus(status, out var parsed))
            {
                return ApiProblems.Invalid("status", $"status must be ACTIVE, PAUSED, COMPLETED or DELETED; got '{Paging.Shorten(status)}'.");
            }

            wanted = parsed;
        }

        if (!JobListReader.IsValidNamePrefix(name))
        {
            return ApiProblems.Invalid("name", JobListReader.InvalidNamePrefixMessage);
        }

        var page = await JobListReader.ReadPageAsync(index, Caller.UserId(context), pageSize, after, wanted, name);
        var items = page.Items.Select(job => new JobSummaryResponse(job.JobId, job.Name, job.Status, job.CreatedAt)).ToList();
        return ApiResponse.Ok(new JobPageResponse(items, page.NextCursor));
    }

    private static bool TryParseStatus(string text, out JobStatus status)
    {
        (var known, status) = text switch
        {
            "ACTIVE" => (true, JobStatus.Active),
            "PAUSED" => (true, JobStatus.Paused),
            "COMPLETED" => (true, JobStatus.Completed),
            "DELETED" => (true, JobStatus.Deleted),
            _ => (false, JobStatus.Active),
        };
        return known;
    }
}
