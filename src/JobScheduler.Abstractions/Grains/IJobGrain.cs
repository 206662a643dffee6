using Orleans.Concurrency;

using JobScheduler.Abstractions.Executions;
using JobScheduler.Abstractions.Jobs;

namespace JobScheduler.Abstractions.Grains;

/// <summary>
/// Owner and source of truth of one job (key: the job id). Every method takes the caller's user id and
/// answers NotFound for a job the caller does not own, so no client can reach another user's job.
/// </summary>
[Alias("js.IJobGrain")]
public interface IJobGrain : IGrainWithStringKey
{
    /// <summary>Validates and creates the job, then schedules its first instant.</summary>
    [Alias("Create")]
    Task<ApiResult<JobInfo>> Create(string userId, JobDefinition definition);

    /// <summary>Returns the job.</summary>
    [Alias("GetJob")]
    Task<ApiResult<JobInfo>> GetJob(string userId);

    /// <summary>Starts a manual execution now; returns its execution id.</summary>
    [Alias("ExecuteNow")]
    Task<ApiResult<string>> ExecuteNow(string userId);

    /// <summary>Returns one execution of this job.</summary>
    [Alias("GetExecution")]
    Task<ApiResult<ExecutionInfo>> GetExecution(string userId, string executionId);

    /// <summary>Returns a page of this job's executions, newest first.</summary>
    [Alias("ListExecutions")]
    Task<ApiResult<ExecutionPage>> ListExecutions(string userId, int limit, string? cursor);

    /// <summary>Told by the shard that the schedule has no further instant.</summary>
    [Alias("OnScheduleExhausted"), OneWay]
    Task OnScheduleExhausted(long version);
}
