using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Storage.Tests;

/// <summary>Rows the contract tests write.</summary>
public static class Samples
{
    public static readonly DateTimeOffset Now = new(2026, 12, 4, 10, 0, 0, 123, TimeSpan.Zero);

    public static ShardJob Job(string jobId, DateTimeOffset due, long version = 1) => new()
    {
        JobId = jobId,
        UserId = "alice",
        Version = version,
        Type = JobType.Recurring,
        ScheduleExpression = "*/5 * * * * *",
        TimeZone = "Europe/Dublin",
        Anchor = Now,
        EndAt = Now.AddDays(30),
        MaxExecutions = 100,
        Target = new TargetDefinition
        {
            Type = TargetType.Http,
            Url = "https://reports.example/run",
            Method = "POST",
            Headers = new Dictionary<string, string> { ["X-Team"] = "sales" },
            TimeoutSeconds = 45,
        },
        Payload = """{"report":"sales","n":[1,2]}""",
        Priority = JobPriority.High,
        NextDue = due,
        FiredCount = 7,
        MisfireThreshold = 2,
        MisfirePolicy = MisfirePolicy.FireAll,
    };

    public static ExecutionInfo Execution(string executionId, ExecutionStatus status) => new()
    {
        ExecutionId = executionId,
        JobId = "job_" + executionId[4..30],
        UserId = "alice",
        Status = status,
        Trigger = ExecutionTrigger.Schedule,
        ScheduledAt = Now,
        StartedAt = Now.AddMilliseconds(2),
        FinishedAt = status.IsFinal() ? Now.AddMilliseconds(40) : null,
        AttemptNumber = 2,
        Error = status == ExecutionStatus.Failed ? "The target answered HTTP 500: boom" : null,
        IdempotencyKey = "job_" + executionId[4..30] + ":" + Now.ToUnixTimeMilliseconds(),
        ResponseStatusCode = status == ExecutionStatus.Failed ? 500 : null,
        ResponseBody = status == ExecutionStatus.Failed ? "{\"error\":\"busy\"}" : null,
    };
}
