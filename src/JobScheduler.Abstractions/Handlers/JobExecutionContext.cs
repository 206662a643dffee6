using JobScheduler.Abstractions.Executions;

namespace JobScheduler.Abstractions.Handlers;

/// <summary>What a handler knows about the attempt it runs.</summary>
public sealed class JobExecutionContext
{
    /// <summary>Job id.</summary>
    public required string JobId { get; init; }

    /// <summary>Execution id of this attempt.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>1 for the first attempt, 2 for the first retry, and so on.</summary>
    public required int AttemptNumber { get; init; }

    /// <summary>Key to deduplicate on: the same for every attempt at one instant.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The nominal instant of this execution.</summary>
    public required DateTimeOffset ScheduledAt { get; init; }

    /// <summary>What started the execution.</summary>
    public required ExecutionTrigger Trigger { get; init; }

    /// <summary>The job's payload as raw JSON text, or null.</summary>
    public string? Payload { get; init; }
}
