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
    /// <summary>The members a create or a replace must give, as the OpenAPI document lists them.</summary>
    public static readonly string[] RequiredFields = ["name", "type", "scheduleExpression", "target"];

    /// <summary>Required. A name of 1 to 200 characters, for people. It need not be unique.</summary>
    public string? Name { get; init; }

    /// <summary>Required. <c>ONE_TIME</c> or <c>RECURRING</c>.</summary>
    public JobType? Type { get; init; }

    /// <summary>Required. For <c>RECURRING</c>, a cron expression of 5 or 6 fields (seconds first), a macro such as <c>@daily</c>, or <c>@every 30s</c>. For <c>ONE_TIME</c>, an ISO-8601 instant.</summary>
    public string? ScheduleExpression { get; init; }

    /// <summary>The IANA time zone the cron expression is read in, such as <c>Europe/Berlin</c>. <c>UTC</c> by default.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Required. What each execution calls: an HTTP endpoint or a named in-process handler.</summary>
    public TargetDefinition? Target { get; init; }

    /// <summary>Any JSON value, sent as the body of each HTTP call or passed to the handler.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Retries of a failed attempt, with exponential backoff. By default three retries, the first after 300 s.</summary>
    public RetryPolicy? RetryPolicy { get; init; }

    /// <summary><c>LOW</c>, <c>NORMAL</c> (the default) or <c>HIGH</c>: which due attempts go first when executors are busy.</summary>
    public JobPriority? Priority { get; init; }

    /// <summary>No instant before this time fires.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>No instant after this time fires, and the job then completes.</summary>
    public DateTimeOffset? EndAt { get; init; }

    /// <summary>The job completes after this many scheduled instants.</summary>
    public int? MaxExecutions { get; init; }

    /// <summary>Seconds an instant may be late before it counts as missed. 60 by default.</summary>
    public int? MisfireThreshold { get; init; }

    /// <summary>What happens to missed instants: <c>SKIP</c>, <c>FIRE_ONCE</c> (the default) or <c>FIRE_ALL</c>.</summary>
    public MisfirePolicy? MisfirePolicy { get; init; }

    /// <summary>Where signed execution events are posted, and which ones.</summary>
    public WebhookDefinition? Webhook { get; init; }

    /// <summary>When an instant comes while the previous run is active: <c>ALLOW</c> (the default), <c>FORBID</c> or <c>REPLACE</c>.</summary>
    public ConcurrencyPolicy? ConcurrencyPolicy { get; init; }

    /// <summary>Each start is delayed by a fixed per-instant amount of up to this many seconds, to spread load.</summary>
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
