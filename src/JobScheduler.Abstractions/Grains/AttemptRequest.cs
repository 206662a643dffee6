using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Abstractions.Grains;

/// <summary>One attempt handed from a shard to an executor: everything needed to run it.</summary>
[GenerateSerializer, Alias("js.AttemptRequest")]
public sealed record AttemptRequest
{
    /// <summary>Execution id of this attempt.</summary>
    [Id(0)] public string ExecutionId { get; init; } = "";

    /// <summary>Job id.</summary>
    [Id(1)] public string JobId { get; init; } = "";

    /// <summary>Owner of the job.</summary>
    [Id(2)] public string UserId { get; init; } = "";

    /// <summary>Shard that dispatched it, which receives the outcome.</summary>
    [Id(3)] public int Shard { get; init; }

    /// <summary>Nominal instant.</summary>
    [Id(4)] public DateTimeOffset ScheduledAt { get; init; }

    /// <summary>1 for the first attempt.</summary>
    [Id(5)] public int AttemptNumber { get; init; } = 1;

    /// <summary>What started it.</summary>
    [Id(6)] public ExecutionTrigger Trigger { get; init; }

    /// <summary>Key the target deduplicates on.</summary>
    [Id(7)] public string IdempotencyKey { get; init; } = "";

    /// <summary>What to call.</summary>
    [Id(8)] public TargetDefinition Target { get; init; } = new();

    /// <summary>Raw JSON payload, or null.</summary>
    [Id(9)] public string? Payload { get; init; }

    /// <summary>Dispatch priority while waiting for capacity.</summary>
    [Id(10)] public JobPriority Priority { get; init; } = JobPriority.Normal;

    /// <summary>Attempt chain: 0 for the original, one more per redrive of a dead letter.</summary>
    [Id(11)] public int Chain { get; init; }

    /// <summary>Where this attempt's events are posted, or null.</summary>
    [Id(12)] public WebhookDefinition? Webhook { get; init; }

    /// <summary>W3C traceparent the attempt's trace continues, or null.</summary>
    [Id(13)] public string? TraceParent { get; init; }

    /// <summary>When the shard handed the attempt to an executor and its lease began; default before dispatch.</summary>
    [Id(14)] public DateTimeOffset DispatchedAt { get; init; }
}
