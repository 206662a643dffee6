namespace JobScheduler.Abstractions.Executions;

/// <summary>An execution that exhausted its retries, kept until it is redriven or discarded.</summary>
[GenerateSerializer, Alias("js.DeadLetterInfo")]
public sealed record DeadLetterInfo
{
    /// <summary>Dead letter id: <c>dlq_</c>, the job's ULID, <c>_</c>, a ULID.</summary>
    [Id(0)] public string DeadLetterId { get; init; } = "";

    /// <summary>Job the execution belongs to.</summary>
    [Id(1)] public string JobId { get; init; } = "";

    /// <summary>Owner of the job.</summary>
    [Id(2)] public string UserId { get; init; } = "";

    /// <summary>The last attempt's execution id.</summary>
    [Id(3)] public string ExecutionId { get; init; } = "";

    /// <summary>Key the target deduplicates on; a redrive keeps it.</summary>
    [Id(4)] public string IdempotencyKey { get; init; } = "";

    /// <summary>The nominal instant.</summary>
    [Id(5)] public DateTimeOffset ScheduledAt { get; init; }

    /// <summary>Attempts made before giving up.</summary>
    [Id(6)] public int Attempts { get; init; }

    /// <summary>The last attempt's error.</summary>
    [Id(7)] public string? LastError { get; init; }

    /// <summary>What started the chain.</summary>
    [Id(8)] public ExecutionTrigger Trigger { get; init; }

    /// <summary>When the execution was dead-lettered.</summary>
    [Id(9)] public DateTimeOffset DeadLetteredAt { get; init; }

    /// <summary>Attempt chain that failed: 0 for the original, one more per redrive.</summary>
    [Id(10)] public int Chain { get; init; }
}

/// <summary>One page of dead letters, newest first.</summary>
[GenerateSerializer, Alias("js.DeadLetterPage")]
public sealed record DeadLetterPage(
    [property: Id(0)] IReadOnlyList<DeadLetterInfo> Items,
    [property: Id(1)] string? NextCursor);
