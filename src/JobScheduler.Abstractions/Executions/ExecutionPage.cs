namespace JobScheduler.Abstractions.Executions;

/// <summary>One page of a job's executions, newest first.</summary>
[GenerateSerializer, Alias("js.ExecutionPage")]
public sealed record ExecutionPage(
    [property: Id(0)] IReadOnlyList<ExecutionInfo> Items,
    [property: Id(1)] string? NextCursor);
