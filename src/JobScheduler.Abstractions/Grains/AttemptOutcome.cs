using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Abstractions.Grains;

/// <summary>The end of an attempt, reported by the executor to the dispatching shard.</summary>
[GenerateSerializer, Alias("js.AttemptOutcome")]
public sealed record AttemptOutcome(
    [property: Id(0)] string ExecutionId,
    [property: Id(1)] string JobId,
    [property: Id(2)] ExecutionStatus Status,
    [property: Id(3)] string? Error);
