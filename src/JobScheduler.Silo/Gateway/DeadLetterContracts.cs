using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Silo.Gateway;

/// <summary>A dead letter in API responses: an execution that exhausted its retries.</summary>
public sealed record DeadLetterResponse(
    string DeadLetterId,
    string JobId,
    string ExecutionId,
    string IdempotencyKey,
    DateTimeOffset ScheduledAt,
    int Attempts,
    string? LastError,
    ExecutionTrigger Trigger,
    DateTimeOffset DeadLetteredAt)
{
    public static DeadLetterResponse From(DeadLetterInfo deadLetter) => new(
        deadLetter.DeadLetterId,
        deadLetter.JobId,
        deadLetter.ExecutionId,
        deadLetter.IdempotencyKey,
        deadLetter.ScheduledAt,
        deadLetter.Attempts,
        deadLetter.LastError,
        deadLetter.Trigger,
        deadLetter.DeadLetteredAt);
}

/// <summary>A page of dead letters, newest first; pass <c>nextCursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record DeadLetterPageResponse(IReadOnlyList<DeadLetterResponse> Items, string? NextCursor);
