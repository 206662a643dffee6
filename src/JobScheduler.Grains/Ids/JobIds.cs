using System.Security.Cryptography;
using System.Text;

namespace JobScheduler.Grains.Ids;

/// <summary>
/// Creates and parses job and execution ids. A ULID is Crockford base32, so an id with a prefix such as
/// <c>job_</c> never parses as hexadecimal or as a GUID; Orleans' ADO.NET storage would otherwise treat
/// <c>a1</c> and <c>0a1</c> as one key.
/// </summary>
public static class JobIds
{
    /// <summary>Prefix of job ids.</summary>
    public const string JobPrefix = "job_";

    /// <summary>Prefix of execution ids.</summary>
    public const string ExecutionPrefix = "exe_";

    private const int UlidLength = 26;

    /// <summary>Creates a job id: <c>job_</c> followed by a ULID.</summary>
    public static string NewJobId(DateTimeOffset now) => JobPrefix + MonotonicUlid.Next(now).ToString();

    /// <summary>
    /// The job id of a create with an <c>Idempotency-Key</c>: a ULID whose time is the key's first claim and whose
    /// random part is a SHA-256 of the user and the key. Every try of one request gets the same id.
    /// </summary>
    public static string JobIdForIdempotencyKey(string userId, string key, DateTimeOffset firstClaimedAt) =>
        JobPrefix + DerivedUlid(firstClaimedAt, $"{userId}\n{key}");

    /// <summary>
    /// The execution id of the retry of <paramref name="failedExecutionId"/>, which failed at <paramref name="failedAt"/>.
    /// A repeated failure report derives the same id, so it schedules no second retry. The id's time is at least one
    /// millisecond after the failed execution's, so the history lists the retry after it.
    /// </summary>
    public static string RetryExecutionId(string jobId, string failedExecutionId, DateTimeOffset failedAt)
    {
        var time = failedAt;
        if (failedExecutionId.Length == 4 + UlidLength + 1 + UlidLength
            && Ulid.TryParse(failedExecutionId.AsSpan(5 + UlidLength), out var failed)
            && failed.Time >= time)
        {
            time = failed.Time.AddMilliseconds(1);
        }

        return string.Concat(ExecutionPrefix, jobId.AsSpan(JobPrefix.Length), "_", DerivedUlid(time, "retry\n" + failedExecutionId));
    }

    /// <summary>The dead letter id of <paramref name="failedExecutionId"/>; a repeated failure report derives the same id.</summary>
    public static string DeadLetterIdOf(string jobId, string failedExecutionId, DateTimeOffset failedAt) =>
        string.Concat(DeadLetterPrefix, jobId.AsSpan(JobPrefix.Length), "_", DerivedUlid(failedAt, "dead-letter\n" + failedExecutionId));

    /// <summary>Creates an execution id that encodes its job: <c>exe_{job ULID}_{ULID}</c>.</summary>
    public static string NewExecutionId(string jobId, DateTimeOffset now) =>
        string.Concat(ExecutionPrefix, jobId.AsSpan(JobPrefix.Length), "_", MonotonicUlid.Next(now).ToString());

    /// <summary>True when <paramref name="jobId"/> has the form <c>job_</c> + ULID.</summary>
    public static bool IsJobId(string? jobId) =>
        jobId is { Length: 4 + UlidLength }
        && jobId.StartsWith(JobPrefix, StringComparison.Ordinal)
        && Ulid.TryParse(jobId.AsSpan(JobPrefix.Length), out _);

    /// <summary>Extracts the job id from an execution id; false when the execution id is malformed.</summary>
    public static bool TryGetJobId(string? executionId, out string jobId)
    {
        jobId = "";
        if (executionId is not { Length: 4 + UlidLength + 1 + UlidLength }
            || !executionId.StartsWith(ExecutionPrefix, StringComparison.Ordinal)
            || executionId[4 + UlidLength] != '_')
        {
            return false;
        }

        var jobPart = executionId.AsSpan(4, UlidLength);
        if (!Ulid.TryParse(jobPart, out _) || !Ulid.TryParse(executionId.AsSpan(5 + UlidLength), out _))
        {
            return false;
        }

        jobId = string.Concat(JobPrefix, jobPart);
        return true;
    }

    /// <summary>Prefix of dead letter ids.</summary>
    public const string DeadLetterPrefix = "dlq_";

    /// <summary>Extracts the job id from an execution or dead letter id; false when the id is malformed.</summary>
    public static bool TryGetJobIdOfDeadLetter(string? deadLetterId, out string jobId)
    {
        jobId = "";
        return deadLetterId is not null
            && deadLetterId.StartsWith(DeadLetterPrefix, StringComparison.Ordinal)
            && TryGetJobId(ExecutionPrefix + deadLetterId[DeadLetterPrefix.Length..], out jobId);
    }

    /// <summary>A ULID with the time <paramref name="time"/> and a random part taken from a SHA-256 of <paramref name="seed"/>.</summary>
    private static string DerivedUlid(DateTimeOffset time, string seed)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(seed), hash);
        return Ulid.NewUlid(time, hash[..10]).ToString();
    }

    /// <summary>Idempotency key of a scheduled instant: <c>{jobId}:{unix ms}</c>.</summary>
    public static string ScheduledKey(string jobId, DateTimeOffset scheduledAt) =>
        $"{jobId}:{scheduledAt.ToUnixTimeMilliseconds()}";

    /// <summary>Idempotency key of a manual run: <c>{jobId}:manual:{executionId}</c>.</summary>
    public static string ManualKey(string jobId, string executionId) => $"{jobId}:manual:{executionId}";

    /// <summary>Grain key of a user's quota grain: <c>usr_</c> followed by the user id.</summary>
    public static string UserKey(string userId) => "usr_" + userId;
}
