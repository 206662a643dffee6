using System.Buffers;
using System.Buffers.Text;
using System.Text;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Grains.Storage;

namespace JobScheduler.Grains.Listing;

/// <summary>
/// Pages through a user's jobs in the job index, in job id order (creation order to the millisecond), filtered
/// by status and name prefix. Deleted jobs are listed only when <c>DELETED</c> is the requested status. The REST
/// gateway and <see cref="ListingGrain"/> both list through this class, so they return the same pages.
/// </summary>
public static class JobListReader
{
    /// <summary>Longest accepted name prefix, the maximum job name length.</summary>
    public const int MaxNamePrefixLength = 200;

    /// <summary>The message for a name prefix that is too long or has control characters.</summary>
    public static readonly string InvalidNamePrefixMessage =
        $"name is a prefix of at most {MaxNamePrefixLength} printable characters.";

    /// <summary>
    /// Index rows one request reads at most. A page may end early (with a cursor) when a filter skips many rows.
    /// </summary>
    private const int MaxRowsScanned = 5_000;

    /// <summary>Rows read from the index per round trip.</summary>
    private const int BatchSize = 500;

    private const int MaxCursorLength = 100;

    private const string CursorPrefix = "j1:";

    /// <summary>True when <paramref name="namePrefix"/> is absent or a valid prefix filter.</summary>
    public static bool IsValidNamePrefix(string? namePrefix) =>
        namePrefix is null || (namePrefix.Length <= MaxNamePrefixLength && !namePrefix.Any(char.IsControl));

    /// <summary>
    /// Reads index rows after <paramref name="after"/> until the page is full, the rows run out or the scan budget
    /// is spent. The next cursor is the last row read, so filtered-out rows are never read twice.
    /// </summary>
    public static async Task<JobPage> ReadPageAsync(
        IJobIndex index, string userId, int pageSize, string? after, JobStatus? status, string? namePrefix)
    {
        var items = new List<JobSummary>(pageSize);
        var scanned = 0;
        var position = after;
        while (scanned < MaxRowsScanned)
        {
            var batchSize = Math.Min(BatchSize, MaxRowsScanned - scanned);
            var rows = await index.ListAsync(userId, batchSize, position);
            foreach (var row in rows)
            {
                position = row.JobId;
                scanned++;
                if (Matches(row, status, namePrefix))
                {
                    items.Add(new JobSummary(row.JobId, row.Name, row.Status, row.CreatedAt));
                    if (items.Count == pageSize)
                    {
                        return new JobPage(items, await HasMoreAsync(index, userId, position) ? EncodeCursor(position) : null);
                    }
                }
            }

            if (rows.Count < batchSize)
            {
                return new JobPage(items, null);
            }
        }

        return new JobPage(items, position is null ? null : EncodeCursor(position));
    }

    /// <summary>Decodes a cursor that <see cref="ReadPageAsync"/> returned; false when it is malformed.</summary>
    public static bool TryDecodeCursor(string cursor, out string? jobId)
    {
        jobId = null;
        if (cursor.Length > MaxCursorLength)
        {
            return false;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(cursor.Length)];
        if (Base64Url.DecodeFromChars(cursor, bytes, out _, out var written) != OperationStatus.Done)
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

    private static async Task<bool> HasMoreAsync(IJobIndex index, string userId, string position) =>
        (await index.ListAsync(userId, 1, position)).Count > 0;

    private static bool Matches(JobIndexEntry row, JobStatus? status, string? namePrefix) =>
        (status is { } wanted ? row.Status == wanted : row.Status != JobStatus.Deleted)
        && (namePrefix is null || row.Name.StartsWith(namePrefix, StringComparison.OrdinalIgnoreCase));

    private static string EncodeCursor(string jobId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorPrefix + jobId));
}
