using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// The end of an attempt, reported by the executor to the dispatching shard. <see cref="FinishedAt"/> is when it
/// ended, or when its lease was found lapsed; the job grain derives the ids of a retry or a dead letter from it, so a
/// repeated report gets the same ids.
/// </summary>
[GenerateSerializer, Alias("js.AttemptOutcome")]
public sealed record AttemptOutcome(
    [property: Id(0)] string ExecutionId,
    [property: Id(1)] string JobId,
    [property: Id(2)] ExecutionStatus Status,
    [property: Id(3)] string? Error,
    [property: Id(4)] DateTimeOffset FinishedAt = default);
