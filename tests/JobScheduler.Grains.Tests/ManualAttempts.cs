using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Grains;
using JobScheduler.Abstractions.Jobs;
using JobScheduler.Grains.Ids;
using JobScheduler.Scheduling;

namespace JobScheduler.Grains.Tests;

/// <summary>Attempts that tests hand straight to a shard or an executor, bypassing a job grain.</summary>
public static class ManualAttempts
{
    /// <summary>A first manual attempt of a new job at <paramref name="now"/>, run by the handler <paramref name="handler"/>.</summary>
    public static AttemptRequest New(DateTimeOffset now, string userId, string handler) =>
        For(JobIds.NewJobId(now), now, userId, new TargetDefinition { Type = TargetType.Handler, Name = handler, TimeoutSeconds = 3600 });

    /// <summary>A first manual attempt of job <paramref name="jobId"/> at <paramref name="now"/>.</summary>
    public static AttemptRequest For(string jobId, DateTimeOffset now, string userId, TargetDefinition target) => new()
    {
        ExecutionId = JobIds.NewExecutionId(jobId, now),
        JobId = jobId,
        UserId = userId,
        Shard = ShardMap.ShardOf(jobId, 64),
        ScheduledAt = now,
        AttemptNumber = 1,
        Trigger = ExecutionTrigger.Manual,
        IdempotencyKey = $"{jobId}:manual",
        Target = target,
    };
}
