namespace JobScheduler.Abstractions.Executions;

/// <summary>
/// The final status of one execution, sent to the observers that watch it. The execution's history row contains
/// the same status and error, plus timings and the response.
/// </summary>
[GenerateSerializer, Alias("js.ExecutionOutcome")]
public sealed record ExecutionOutcome
{
    /// <summary>Id of the execution that ended.</summary>
    [Id(0)] public string ExecutionId { get; init; } = "";

    /// <summary>Job the execution belongs to.</summary>
    [Id(1)] public string JobId { get; init; } = "";

    /// <summary>Final status: SUCCEEDED, FAILED, TIMED_OUT or CANCELLED.</summary>
    [Id(2)] public ExecutionStatus Status { get; init; }

    /// <summary>Attempt number of the execution, 1 for the first attempt.</summary>
    [Id(3)] public int AttemptNumber { get; init; }

    /// <summary>Why the attempt did not succeed, or null.</summary>
    [Id(4)] public string? Error { get; init; }
}
