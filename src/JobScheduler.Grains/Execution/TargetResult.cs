using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Grains.Execution;

/// <summary>What calling a target produced: a status, and for failures the reason.</summary>
public readonly record struct TargetResult(ExecutionStatus Status, string? Error, int? ResponseStatusCode, string? ResponseBody = null)
{
    public static TargetResult Succeeded(int? statusCode = null, string? body = null) => new(ExecutionStatus.Succeeded, null, statusCode, body);

    public static TargetResult Failed(string error, int? statusCode = null, string? body = null) => new(ExecutionStatus.Failed, error, statusCode, body);
}
