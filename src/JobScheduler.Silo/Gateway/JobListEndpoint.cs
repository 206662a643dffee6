using System.Buffers.Text;
using System.Text;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// <c>GET /api/v1/jobs</c>: the caller's jobs from the job index in job id order (creation order to the millisecond), filtered by status
/// and name prefix. Deleted jobs are listed only with <c>status=DELETED</c>.
/// </summary>
public static class JobListEndpoint
{
    /// <summary>Longest accepted name prefix, the maximum job name length.</summary>
    private const int MaxNamePrefixLength = 200;

    /// <summary>
    /// Index rows one request reads at most. A page may end early (with a cursor) when a filter skips many rows.
    /// </summary>
    private const int MaxRowsScanned = 5_000;

    private const string CursorPrefix = "j1:";

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
        if (cursor is not null && !TryDecodeCursor(cursor, out after))
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

        if (name is not null && (name.Length > MaxNamePrefixLength || name.Any(char.IsControl)))
        {
            return ApiProblems.Invalid("name", $"name is a prefix of at most {MaxNamePrefixLength} printable characters.");
        }

        var page = await ReadPageAsync(index, Caller.UserId(context), pageSize, after, wanted, name);
        return ApiResponse.Ok(page);
    }

    /// <summary>
    /// Reads index rows after the cursor until the page is full, the rows run out or the scan budget is spent.
    /// The next cursor is the last row read, so filtered-out rows are never read twice.
    /// </summary>
    private static async Task<JobPageResponse> ReadPageAsync(
        IJobIndex index, string userId, int pageSize, string? after, JobStatus? status, string? namePrefix)
    {
        var items = new List<JobSummaryResponse>(pageSize);
        var scanned = 0;
        var position = after;
        while (scanned < MaxRowsScanned)
        {
            var batchSize = Math.Min(Paging.MaxLimit, MaxRowsScanned - scanned);
            var rows = await index.ListAsync(userId, batchSize, position);
            foreach (var row in rows)
            {
                position = row.JobId;
                scanned++;
                if (Matches(row, status, namePrefix))
                {
                    items.Add(new JobSummaryResponse(row.JobId, row.Name, row.Status, row.CreatedAt));
                    if (items.Count == pageSize)
                    {
                        return new JobPageResponse(items, await HasMoreAsync(index, userId, position) ? EncodeCursor(position) : null);
                    }
                }
            }

            if (rows.Count < batchSize)
            {
                return new JobPageResponse(items, null);
            }
        }

        return new JobPageResponse(items, position is null ? null : EncodeCursor(position));
    }

    private static async Task<bool> HasMoreAsync(IJobIndex index, string userId, string position) =>
        (await index.ListAsync(userId, 1, position)).Count > 0;

    private static bool Matches(JobIndexEntry row, JobStatus? status, string? namePrefix) =>
        (status is { } wanted ? row.Status == wanted : row.Status != JobStatus.Deleted)
        && (namePrefix is null || row.Name.StartsWith(namePrefix, StringComparison.OrdinalIgnoreCase));

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

    private static string EncodeCursor(string jobId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorPrefix + jobId));

    private static bool TryDecodeCursor(string cursor, out string? jobId)
    {
        jobId = null;
        if (cursor.Length > 100)
        {
            return false;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(cursor.Length)];
        if (Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, written);
        if (!text.StartsWith(CursorPrefix, StringComparison.Ordinal) || !JobIds.IsJobId(text[CursorPrefix.Length..]))
        {
            return false;
        }

        jobId = text[CursorPrefix.Length..];
        return true;
    }
}
