using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Execution;

/// <summary>What calling a target produced: a status, and for failures the reason.</summary>
public readonly record struct TargetResult(ExecutionStatus Status, string? Error, int? ResponseStatusCode)
{
    public static TargetResult Succeeded(int? statusCode = null) => new(ExecutionStatus.Succeeded, null, statusCode);

    public static TargetResult Failed(string error, int? statusCode = null) => new(ExecutionStatus.Failed, error, statusCode);
}
