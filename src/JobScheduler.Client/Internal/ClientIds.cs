namespace JobScheduler.Client.Internal;

/// <summary>
/// Job and execution ids as the grains define them: <c>job_</c> + ULID, and <c>exe_{job ULID}_{ULID}</c>, so
/// an execution id names the job grain that serves it.
/// </summary>
internal static class ClientIds
{
    private const string JobPrefix = "job_";
    private const string ExecutionPrefix = "exe_";
    private const string DeadLetterPrefix = "dlq_";
    private const int UlidLength = 26;

    /// <summary>Creates a job id for an instant, in the format of the server's ids.</summary>
    public static string NewJobId(DateTimeOffset now) => JobPrefix + Ulid.NewUlid(now);

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
            || executionId[4 + UlidLength] != '_'
            || !Ulid.TryParse(executionId.AsSpan(4, UlidLength), out _)
            || !Ulid.TryParse(executionId.AsSpan(5 + UlidLength), out _))
        {
            return false;
        }

        jobId = string.Concat(JobPrefix, executionId.AsSpan(4, UlidLength));
        return true;
    }

    /// <summary>Extracts the job id from a dead letter id (<c>dlq_{job ULID}_{ULID}</c>); false when it is malformed.</summary>
    public static bool TryGetJobIdOfDeadLetter(string? deadLetterId, out string jobId)
    {
        jobId = "";
        return deadLetterId is not null
            && deadLetterId.StartsWith(DeadLetterPrefix, StringComparison.Ordinal)
            && TryGetJobId(ExecutionPrefix + deadLetterId[DeadLetterPrefix.Length..], out jobId);
    }
}
