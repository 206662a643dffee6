using System.Text.Json;
using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Silo.Gateway;

/// <summary>
/// The body of <c>POST /api/v1/jobs</c> and <c>PUT /api/v1/jobs/{jobId}</c>: a whole job definition. Field
/// names are the public contract.
/// </summary>
public sealed record JobRequest
{
    public string? Name { get; init; }

    public JobType? Type { get; init; }

    public string? ScheduleExpression { get; init; }

    public string? TimeZone { get; init; }

    public TargetDefinition? Target { get; init; }

    public JsonElement? Payload { get; init; }

    public RetryPolicy? RetryPolicy { get; init; }

    public JobPriority? Priority { get; init; }

    public DateTimeOffset? StartAt { get; init; }

    public DateTimeOffset? EndAt { get; init; }

    public int? MaxExecutions { get; init; }

    public int? MisfireThreshold { get; init; }

    public MisfirePolicy? MisfirePolicy { get; init; }

    public WebhookDefinition? Webhook { get; init; }

    public ConcurrencyPolicy? ConcurrencyPolicy { get; init; }

    public int? JitterSeconds { get; init; }

    /// <summary>Converts to the wire definition; the payload travels as raw JSON text.</summary>
    public JobDefinition ToDefinition() => new()
    {
        Name = Name,
        Type = Type,
        ScheduleExpression = ScheduleExpression,
        TimeZone = TimeZone,
        Target = Target,
        Payload = Payload is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } payload
            ? payload.GetRawText()
            : null,
        RetryPolicy = RetryPolicy,
        Priority = Priority,
        StartAt = StartAt,
        EndAt = EndAt,
        MaxExecutions = MaxExecutions,
        MisfireThreshold = MisfireThreshold,
        MisfirePolicy = MisfirePolicy,
        Webhook = Webhook,
        ConcurrencyPolicy = ConcurrencyPolicy,
        JitterSeconds = JitterSeconds,
    };
}

/// <summary>A job in API responses: its definition at the top level plus the server-set fields.</summary>
public sealed record JobResponse(
    string JobId,
    string UserId,
    string Name,
    JobType Type,
    string ScheduleExpression,
    string TimeZone,
    TargetDefinition Target,
    JsonElement? Payload,
    RetryPolicy? RetryPolicy,
    JobPriority Priority,
    DateTimeOffset? StartAt,
    DateTimeOffset? EndAt,
    int? MaxExecutions,
    int? MisfireThreshold,
    MisfirePolicy MisfirePolicy,
    WebhookDefinition? Webhook,
    ConcurrencyPolicy ConcurrencyPolicy,
    int JitterSeconds,
    JobStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextExecutionAt,
    long Version)
{
    public static JobResponse From(JobInfo job)
    {
        var definition = job.Definition;
        return new JobResponse(
            job.JobId,
            job.UserId,
            definition.Name ?? "",
            definition.Type ?? JobType.Recurring,
            definition.ScheduleExpression ?? "",
            definition.TimeZone ?? "UTC",
            definition.Target ?? new TargetDefinition(),
            definition.Payload is { } payload ? JsonDocument.Parse(payload).RootElement.Clone() : null,
            definition.RetryPolicy,
            definition.Priority ?? JobPriority.Normal,
            definition.StartAt,
            definition.EndAt,
            definition.MaxExecutions,
            definition.MisfireThreshold,
            definition.MisfirePolicy ?? MisfirePolicy.FireOnce,
            definition.Webhook,
            definition.ConcurrencyPolicy ?? ConcurrencyPolicy.Allow,
            definition.JitterSeconds ?? 0,
            job.Status,
            job.CreatedAt,
            job.UpdatedAt,
            job.NextExecutionAt,
            job.Version);
    }
}

/// <summary>An execution in API responses.</summary>
public sealed record ExecutionResponse(
    string ExecutionId,
    string JobId,
    ExecutionStatus Status,
    ExecutionTrigger Trigger,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? DurationMs,
    int AttemptNumber,
    string? Error,
    string IdempotencyKey,
    int? ResponseStatusCode,
    string? ResponseBody)
{
    public static ExecutionResponse From(ExecutionInfo execution) => new(
        execution.ExecutionId,
        execution.JobId,
        execution.Status,
        execution.Trigger,
        execution.ScheduledAt,
        execution.StartedAt,
        execution.FinishedAt,
        execution.DurationMs,
        execution.AttemptNumber,
        execution.Error,
        execution.IdempotencyKey,
        execution.ResponseStatusCode,
        execution.ResponseBody);
}

/// <summary>A page of executions, newest first; pass <c>nextCursor</c> as <c>cursor</c> for the next page.</summary>
public sealed record ExecutionPageResponse(IReadOnlyList<ExecutionResponse> Items, string? NextCursor);

/// <summary>The answer to an execute-now request.</summary>
public sealed record ExecuteResponse(string ExecutionId);
